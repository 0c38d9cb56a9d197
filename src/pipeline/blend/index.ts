/**
 * @module pipeline/blend
 * Blend synthesis shared by the Face X-Ray data generator (BI / SBI) and the classical face swap.
 * Pure and worker-safe: only the image kernels and align.ts; randomness from an `Rng` you pass in;
 * parameters from training/xray/blend-recipe.json (load it, then `parseRecipe`).
 *
 * - `makeBlendMask(points68, w, h, rng, recipe.mask)` → soft mask M (+ hard region, drawn params)
 * - `matchColorStats(donor, target, region)` → donor with the target's colour statistics
 * - `blendFaces(target, donor, M)` → { image, mask, boundary = 4M(1−M) }
 * - `makeBiSample` / `makeSbiSample` → a whole BI / SBI sample; `nearestNeighbours` + `normaliseShape`
 *   for BI partner search
 * @example
 * import { createRng } from '../random';
 * import { blendFaces, makeBlendMask, matchColorStats } from './blend';
 * const rng = createRng(42);
 * const { mask, hard } = makeBlendMask(points68, target.width, target.height, rng, recipe.mask);
 * const { image, boundary } = blendFaces(target, matchColorStats(donor, target, hard), mask);
 */
export { makeBlendMask, boundaryOf } from './mask';
export type { BlendMask, BlendMaskOptions, MaskParams } from './mask';
export { matchColorStats } from './color';
export type { ColorSpace, MatchColorOptions } from './color';
export { blendFaces } from './blend';
export type { BlendFacesResult } from './blend';
export { convexHull, deformOutline, densify, faceSize, bounds } from './outline';
export type { DeformKind } from './outline';
export { fillOutline } from './raster';
export { alignPartner, nearestNeighbours, normaliseShape } from './bi';
export { sbiSource } from './sbi';
export type { SbiParams } from './sbi';
export { adjustColor, sharpen, resizeBilinear, degradeResolution } from './enhance';
export type { ColorJitter } from './enhance';
export { makeBiSample, makeSbiSample } from './samples';
export type { BlendSample, FaceInput } from './samples';
export { parseRecipe, parsePoints } from './recipe';
export type { BlendRecipe, MaskRecipe, MaskVariant, SbiRecipe, Range } from './recipe';
