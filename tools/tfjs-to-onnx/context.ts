/**
 * Conversion state: which ONNX tensor holds each TF tensor, in which layout, and (for constants)
 * its value. Layout handling lives here: conv-family ops produce 'nchw' tensors; anything that needs
 * TF semantics asks for `tf(v)`, which inserts (and caches) a Transpose back to NHWC.
 */
import { GraphBuilder, type OnnxDtype } from './graph.js';
import type { TfNode } from './tfjs-model.js';
import { numel, PERM_NCHW_TO_NHWC, PERM_NHWC_TO_NCHW, transposeData, type NumericArray } from './tensor-utils.js';

/** 'tf': the ONNX tensor has TF's own shape/order. 'nchw': a 4-D TF NHWC tensor stored as NCHW. */
export type Layout = 'tf' | 'nchw';

export interface Value {
  /** ONNX tensor name; absent for constants that have not been materialised. */
  name?: string;
  /** TF logical shape (NHWC for images), batch fixed to 1. */
  shape: number[];
  layout: Layout;
  dtype: 'float32' | 'int32' | 'bool';
  constant?: NumericArray;
  /** TF name a constant came from (used to name its initializers). */
  source?: string;
}

export function constant(data: NumericArray, shape: number[], source?: string): Value {
  if (data.length !== numel(shape)) throw new Error(`constant: ${data.length} values for shape [${shape}]`);
  return { shape, layout: 'tf', dtype: data instanceof Int32Array ? 'int32' : 'float32', constant: data, source };
}

export function tensorName(input: string): string {
  return input.replace(/^\^/, '').replace(/:0$/, '');
}

export class ConvertContext {
  private values = new Map<string, Value>();
  private cache = new Map<string, string>();

  constructor(readonly g: GraphBuilder) {}

  define(tfName: string, value: Value): Value {
    this.values.set(tfName, value);
    return value;
  }

  has(tfName: string): boolean {
    return this.values.has(tfName);
  }

  get(tfName: string): Value {
    const v = this.values.get(tensorName(tfName));
    if (!v) throw new Error(`tensor ${tfName} has not been converted`);
    return v;
  }

  /** Data inputs of a node (control inputs `^x` dropped). */
  inputs(node: TfNode): Value[] {
    return (node.input ?? []).filter((i) => !i.startsWith('^')).map((i) => this.get(i));
  }

  constData(v: Value, what: string): NumericArray {
    if (!v.constant) throw new Error(`${what} must be a constant`);
    return v.constant;
  }

  /** ONNX name of `v` in TF order (transposing NCHW back to NHWC, materialising constants). */
  tf(v: Value): string {
    if (v.constant) return this.materialise(v, 'tf');
    if (!v.name) throw new Error('value without a name');
    if (v.layout === 'tf') return v.name;
    return this.transpose(v.name, PERM_NCHW_TO_NHWC, 'nhwc');
  }

  /** ONNX name of a rank-4 `v` stored NCHW. */
  nchw(v: Value): string {
    if (v.shape.length !== 4) throw new Error(`nchw: rank ${v.shape.length} tensor`);
    if (v.constant) return this.materialise(v, 'nchw');
    if (!v.name) throw new Error('value without a name');
    if (v.layout === 'nchw') return v.name;
    return this.transpose(v.name, PERM_NHWC_TO_NCHW, 'nchw');
  }

  /** Name of `v` in `layout` ('nchw' only applies to rank-4 tensors). */
  inLayout(v: Value, layout: Layout): string {
    return layout === 'nchw' ? this.nchw(v) : this.tf(v);
  }

  /**
   * Materialises a constant so that it broadcasts against a tensor of `rank` stored in `layout`.
   * For 'nchw', the constant is left-padded to rank 4 in NHWC terms and then permuted to NCHW
   * (a per-channel [C] bias becomes [1,C,1,1]); single values stay scalars.
   */
  constFor(v: Value, layout: Layout, rank: number): string {
    if (!v.constant) throw new Error('constFor: not a constant');
    if (layout === 'tf' || numel(v.shape) === 1) return this.materialise(v, 'tf', numel(v.shape) === 1 && layout === 'nchw');
    if (rank !== 4 || v.shape.length > 4) throw new Error('constFor: nchw needs rank 4');
    const padded = [...new Array(4 - v.shape.length).fill(1), ...v.shape];
    return this.materialise({ ...v, shape: padded }, 'nchw');
  }

  private materialise(v: Value, layout: Layout, scalar = false): string {
    const data = v.constant!;
    let key = `const|${layout}|${scalar}`;
    let dims = scalar ? [] : v.shape;
    let out: NumericArray = data;
    if (layout === 'nchw' && !scalar) {
      out = transposeData(data, v.shape, PERM_NHWC_TO_NCHW);
      dims = PERM_NHWC_TO_NCHW.map((p) => v.shape[p]);
    }
    const cached = this.constCache.get(data)?.get(key + dims.join(','));
    if (cached) return cached;
    const dtype: OnnxDtype = data instanceof Int32Array ? 'int32' : 'float32';
    const name = this.g.addInitializer(v.source ?? 'const', dtype, dims, out);
    if (!this.constCache.has(data)) this.constCache.set(data, new Map());
    this.constCache.get(data)!.set(key + dims.join(','), name);
    return name;
  }
  private constCache = new WeakMap<NumericArray, Map<string, string>>();

  private transpose(name: string, perm: number[], tag: string): string {
    const key = `${name}|${tag}`;
    let out = this.cache.get(key);
    if (!out) {
      [out] = this.g.addNode('Transpose', [name], `${name}_${tag}`, { perm: { type: 'ints', value: perm } });
      this.cache.set(key, out);
    }
    return out;
  }
}
