/**
 * @module processors/swapper/identity
 * The frozen identity encoder an AEI-Net was trained against, as its model card describes it
 * (`identity` in models/aei_lite.card.json): which R2 object, tensor names, input size and normalisation,
 * embedding size. AEI-Net is only meaningful with the very net it was trained on, so the pair travels in one
 * card instead of constants in code.
 */
import aeiCard from '../../../models/aei_lite.card.json';

export type IdentitySpec = {
  /** Key in the MODELS R2 bucket (also the file under models/). */
  model: string;
  input: string;
  output: string;
  /** Square input side (the ArcFace crop). */
  size: number;
  layout: 'NHWC' | 'NCHW';
  /** Raw embedding length, what AEI-Net's `source_id` takes. */
  dim: number;
  /** value = (pixel/255 − mean)/std per RGB channel. */
  normalize: { mean: [number, number, number]; std: [number, number, number] };
};

const triple = (v: unknown): v is [number, number, number] =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Validates the card's `identity` block; a malformed card fails at import, not mid-request. */
export function parseIdentitySpec(raw: unknown): IdentitySpec {
  const r = raw as Partial<IdentitySpec> | undefined;
  const ok = !!r && typeof r.model === 'string' && /^[\w.-]+\.onnx$/.test(r.model)
    && typeof r.input === 'string' && typeof r.output === 'string'
    && Number.isInteger(r.size) && (r.size as number) > 0 && Number.isInteger(r.dim) && (r.dim as number) > 0
    && (r.layout === 'NHWC' || r.layout === 'NCHW')
    && triple(r.normalize?.mean) && triple(r.normalize?.std) && r.normalize.std.every((s) => s !== 0);
  if (!ok) throw new Error('aei model card: malformed `identity` block (model, input, output, size, layout, dim, normalize.mean/std)');
  const { model, input, output, size, layout, dim, normalize } = r as IdentitySpec;
  return Object.freeze({ model, input, output, size, layout, dim, normalize: { mean: normalize.mean, std: normalize.std } });
}

export const IDENTITY: IdentitySpec = parseIdentitySpec((aeiCard as { identity?: unknown }).identity);
