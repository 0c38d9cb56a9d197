/**
 * @module pipeline/blend/blend
 * The blend itself: I = M · donor + (1 − M) · target, and the Face X-Ray boundary B = 4 M (1 − M).
 * Shared by the BI/SBI synthesiser and the classical face swap.
 */
import { kernels } from '../../wasm/kernels';
import type { RgbaImage } from '../types';

export type BlendFacesResult = {
  image: RgbaImage;
  /** The mask used, clamped to [0, 1]. */
  mask: Float32Array;
  /** B = 4 M (1 − M). */
  boundary: Float32Array;
};

/**
 * Blends `donor` (already aligned to the target, same size) into `target` through `mask`.
 * The output keeps the target's alpha, so a donor warped with a transparent border cannot punch holes.
 * @example
 * const { image, boundary } = blendFaces(target, kernels.warpAffine(partner, targetToPartner, w, h), mask);
 */
export function blendFaces(target: RgbaImage, donor: RgbaImage, mask: Float32Array): BlendFacesResult {
  if (donor.width !== target.width || donor.height !== target.height) throw new RangeError('blendFaces: donor and target differ in size');
  const m = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) m[i] = Math.min(1, Math.max(0, mask[i]));
  const { image, boundary } = kernels.alphaBlend(donor, target, m);
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = target.data[i];
  return { image, mask: m, boundary };
}
