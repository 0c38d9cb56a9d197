/**
 * Decodes tfjs weight shards into typed arrays. Quantized weights are expanded to fp32 the way
 * tfjs-core's io.decodeWeights does: float16 bit patterns → fp32, uint8/uint16 affine → q·scale + min.
 */
import { decodeHalfArray } from './half.js';
import type { WeightSpec } from './tfjs-model.js';

export interface DecodedTensor {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
  /** How the tensor was stored in the shard: 'float32', 'float16', 'uint8', 'int32', … */
  storedAs: string;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function bytesPerElement(spec: WeightSpec): number {
  if (spec.quantization) return spec.quantization.dtype === 'uint8' ? 1 : 2;
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool') return 1;
  throw new Error(`weights: unsupported dtype ${spec.dtype} for ${spec.name}`);
}

export function decodeWeight(spec: WeightSpec, bytes: Uint8Array): DecodedTensor {
  const n = size(spec.shape);
  // Copy so that typed-array views are aligned regardless of the entry's offset in the shard.
  const buf = bytes.slice().buffer;
  const q = spec.quantization;
  if (q) {
    if (spec.dtype !== 'float32' && q.dtype === 'float16') throw new Error(`weights: float16 quantization of ${spec.dtype}`);
    if (q.dtype === 'float16') return { dtype: 'float32', shape: spec.shape, data: decodeHalfArray(new Uint16Array(buf, 0, n)), storedAs: 'float16' };
    const raw = q.dtype === 'uint8' ? new Uint8Array(buf, 0, n) : new Uint16Array(buf, 0, n);
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    if (spec.dtype === 'int32') return { dtype: 'int32', shape: spec.shape, data: Int32Array.from(raw, (v) => Math.round(v * scale + min)), storedAs: q.dtype };
    return { dtype: 'float32', shape: spec.shape, data: Float32Array.from(raw, (v) => v * scale + min), storedAs: q.dtype };
  }
  if (spec.dtype === 'float32') return { dtype: 'float32', shape: spec.shape, data: new Float32Array(buf, 0, n), storedAs: 'float32' };
  if (spec.dtype === 'int32') return { dtype: 'int32', shape: spec.shape, data: new Int32Array(buf, 0, n), storedAs: 'int32' };
  return { dtype: 'bool', shape: spec.shape, data: new Uint8Array(buf, 0, n), storedAs: 'bool' };
}

/** Walks the manifest in order; each weight occupies size(shape)·bytesPerElement bytes, no padding. */
export function decodeWeights(specs: WeightSpec[], data: Uint8Array): Map<string, DecodedTensor> {
  const out = new Map<string, DecodedTensor>();
  let offset = 0;
  for (const spec of specs) {
    const length = size(spec.shape) * bytesPerElement(spec);
    if (offset + length > data.length) throw new Error(`weights: ${spec.name} runs past the end of the shards`);
    out.set(spec.name, decodeWeight(spec, data.subarray(offset, offset + length)));
    offset += length;
  }
  if (offset !== data.length) throw new Error(`weights: manifest covers ${offset} bytes, shards hold ${data.length}`);
  return out;
}
