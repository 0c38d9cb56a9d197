/**
 * Storage variants applied to a converted fp32 graph:
 * - fp16: every float initializer stored as binary16, followed by Cast→float (ORT folds these Casts
 *   into fp32 initializers when the session is created, so compute stays fp32).
 * - int8: Conv/Gemm/MatMul weights stored as symmetric per-output-channel int8 with a
 *   DequantizeLinear (weight-only; activations stay fp32). Weights named in `keepFloat` (the layers
 *   most sensitive to int8, chosen by measurement in build-models.ts) and every other float
 *   initializer (biases, PReLU slopes) are stored fp16 instead; DequantizeLinear scales stay fp32.
 */
import { attr, type Initializer, type OnnxGraph, type OnnxNode } from './graph.js';
import { encodeHalfArray } from './half.js';

export type StorageDtype = 'fp32' | 'fp16' | 'int8';

function uniqueName(graph: OnnxGraph, base: string): string {
  const taken = new Set([...graph.initializers.map((t) => t.name), ...graph.nodes.flatMap((n) => n.outputs)]);
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

export function toFp16(graph: OnnxGraph, skip: Set<string> = new Set()): void {
  const casts: OnnxNode[] = [];
  graph.initializers = graph.initializers.map((t) => {
    if (t.dtype !== 'float32' || skip.has(t.name)) return t;
    const stored = uniqueName(graph, `${t.name}_fp16`);
    casts.push({ name: `${t.name}/Cast`, op: 'Cast', inputs: [stored], outputs: [t.name], attrs: { to: attr.int(1) } });
    return { name: stored, dtype: 'float16', dims: t.dims, data: encodeHalfArray(t.data as Float32Array) };
  });
  graph.nodes = [...casts, ...graph.nodes];
}

/** Symmetric int8 per slice along `axis`: q = round(w / s), s = max|w| / 127. */
export function quantizePerAxis(data: Float32Array, dims: number[], axis: number): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const scales = new Float32Array(channels);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < inner; i++) scales[c] = Math.max(scales[c], Math.abs(data[(o * channels + c) * inner + i]));
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
  const q = new Int8Array(data.length);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < inner; i++) {
        const k = (o * channels + c) * inner + i;
        q[k] = Math.max(-127, Math.min(127, Math.round(data[k] / scales[c])));
      }
  return { q, scales };
}

/** Which initializers are weights, and along which axis their output channels lie. */
export function weightAxes(graph: OnnxGraph): Map<string, number> {
  const axes = new Map<string, number>();
  for (const n of graph.nodes) {
    if (n.op === 'Conv') axes.set(n.inputs[1], 0);
    if (n.op === 'Gemm') axes.set(n.inputs[1], n.attrs.transB?.value === 1 ? 0 : 1);
    if (n.op === 'MatMul') axes.set(n.inputs[1], 1);
  }
  return axes;
}

export interface Int8Options {
  /** Weight initializers to leave in floating point (stored fp16). */
  keepFloat?: Iterable<string>;
  /** Storage of the remaining float initializers (default fp16). */
  rest?: 'fp16' | 'fp32';
}

export function toInt8(graph: OnnxGraph, options: Int8Options = {}): void {
  const keep = new Set(options.keepFloat ?? []);
  const axes = weightAxes(graph);
  for (const name of keep) if (!axes.has(name)) throw new Error(`int8: keepFloat names unknown weight ${name}`);
  const extra: Initializer[] = [];
  const dq: OnnxNode[] = [];
  graph.initializers = graph.initializers.flatMap((t) => {
    const axis = axes.get(t.name);
    if (axis === undefined || keep.has(t.name) || t.dtype !== 'float32' || t.dims.length < 2) return [t];
    const { q, scales } = quantizePerAxis(t.data as Float32Array, t.dims, axis);
    const qName = uniqueName(graph, `${t.name}_int8`);
    const sName = uniqueName(graph, `${t.name}_scale`);
    const zName = uniqueName(graph, `${t.name}_zero`);
    extra.push({ name: sName, dtype: 'float32', dims: [scales.length], data: scales });
    extra.push({ name: zName, dtype: 'int8', dims: [scales.length], data: new Int8Array(scales.length) });
    dq.push({ name: `${t.name}/DequantizeLinear`, op: 'DequantizeLinear', inputs: [qName, sName, zName], outputs: [t.name], attrs: { axis: attr.int(axis) } });
    return [{ name: qName, dtype: 'int8', dims: t.dims, data: q }];
  });
  graph.initializers.push(...extra);
  graph.nodes = [...dq, ...graph.nodes];
  if ((options.rest ?? 'fp16') === 'fp16') toFp16(graph, new Set(extra.filter((t) => t.dtype === 'float32').map((t) => t.name)));
}

export function applyStorage(graph: OnnxGraph, dtype: StorageDtype, int8: Int8Options = {}): void {
  if (dtype === 'fp16') toFp16(graph);
  else if (dtype === 'int8') toInt8(graph, int8);
}
