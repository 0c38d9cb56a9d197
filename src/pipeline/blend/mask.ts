/**
 * @module pipeline/blend/mask
 * The Face X-Ray / SBI blend mask M: convex hull of a 68-point subset → deformed outline → hard fill →
 * erode/dilate → Gaussian blur (optionally twice) → × blend ratio. Same steps and draw order as
 * training/xray/masks.py `blend_mask`; parameters come from the recipe, randomness from the Rng passed in.
 */
import { kernels } from '../../wasm/kernels';
import type { Point2 } from '../types';
import type { Rng } from '../random';
import { convexHull, deformOutline, faceSize, type DeformKind } from './outline';
import { fillOutline } from './raster';
import type { MaskRecipe } from './recipe';

export type BlendMask = {
  width: number;
  height: number;
  /** Soft mask M in [0, 1] (blend ratio included), row-major width × height. */
  mask: Float32Array;
  /** Binary region after erode/dilate and before blur: where colour statistics are taken. */
  hard: Float32Array;
  /** What was drawn, for manifests and debugging. */
  params: MaskParams;
};

export type MaskParams = {
  variant: string;
  deform: DeformKind;
  /** Erode (< 0) / dilate (> 0) radius in px; 0 = none. */
  erodeDilate: number;
  sigma: number;
  /** Second blur sigma in px; 0 = none. */
  sigma2: number;
  ratio: number;
};

export type BlendMaskOptions = {
  /** Force a variant by name instead of drawing one (the rng still advances identically). */
  variant?: string;
};

/**
 * Random soft blend mask for a face given its 68 landmarks (continuous image coordinates).
 * @example
 * const { mask, hard, params } = makeBlendMask(points68, img.width, img.height, createRng(7), recipe.mask);
 */
export function makeBlendMask(
  points68: readonly Point2[], width: number, height: number, rng: Rng, recipe: MaskRecipe, options: BlendMaskOptions = {},
): BlendMask {
  if (points68.length !== 68) throw new RangeError(`makeBlendMask: expected 68 landmarks, got ${points68.length}`);
  const drawn = recipe.variants[rng.weighted(recipe.variants.map((v) => v.prob))];
  const variant = options.variant ? recipe.variants.find((v) => v.name === options.variant) : drawn;
  if (!variant) throw new RangeError(`makeBlendMask: unknown variant ${options.variant}`);
  const size = faceSize(points68);
  const hull = convexHull(variant.indices.map((i) => points68[i]));
  const { outline, deform } = deformOutline(hull, size, rng, recipe.deform);
  let hard = fillOutline(width, height, outline);
  let erodeDilate = 0;
  if (rng.chance(recipe.erode_dilate.prob)) {
    erodeDilate = Math.round(rng.uniform(recipe.erode_dilate.frac[0], recipe.erode_dilate.frac[1]) * size);
    if (erodeDilate !== 0) hard = kernels.erodeDilate(hard, width, height, erodeDilate);
  }
  const bl = recipe.blur;
  const sigma = rng.uniform(bl.sigma_frac[0], bl.sigma_frac[1]) * size;
  let soft = kernels.featherMask(hard, width, height, sigma);
  let sigma2 = 0;
  if (rng.chance(bl.second_prob)) {
    sigma2 = rng.uniform(bl.second_sigma_frac[0], bl.second_sigma_frac[1]) * size;
    soft = kernels.featherMask(soft, width, height, sigma2);
  }
  const ratio = rng.choice(recipe.blend_ratio_choices);
  const mask = new Float32Array(soft.length);
  for (let i = 0; i < soft.length; i++) mask[i] = Math.min(1, Math.max(0, soft[i])) * ratio;
  return { width, height, mask, hard, params: { variant: variant.name, deform, erodeDilate, sigma, sigma2, ratio } };
}

/** Face X-Ray target B = 4 · M · (1 − M) (0 for a real image, 1 where M = ½). */
export function boundaryOf(mask: Float32Array): Float32Array {
  const b = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    const m = Math.min(1, Math.max(0, mask[i]));
    b[i] = 4 * m * (1 - m);
  }
  return b;
}
