/**
 * @module pipeline/blend/samples
 * One BI or SBI sample from already-decoded faces and their 68 landmarks: donor → mask → optional colour
 * correction → blend. Step and draw order follow training/xray/synth.py `make_example` / `blend`
 * (augmentation and cropping are left to the caller).
 */
import type { Point2, RgbaImage } from '../types';
import type { Rng } from '../random';
import { alignPartner } from './bi';
import { blendFaces, type BlendFacesResult } from './blend';
import { matchColorStats } from './color';
import { makeBlendMask, type MaskParams } from './mask';
import type { BlendRecipe } from './recipe';
import { sbiSource, type SbiParams } from './sbi';

export type FaceInput = { image: RgbaImage; points68: readonly Point2[] };

export type BlendSample = BlendFacesResult & {
  kind: 'bi' | 'sbi';
  mask: Float32Array;
  maskParams: MaskParams;
  colorCorrected: boolean;
  sbi?: SbiParams;
};

function finish(target: FaceInput, donor: RgbaImage, rng: Rng, recipe: BlendRecipe, colorProb: number) {
  const { width, height } = target.image;
  const m = makeBlendMask(target.points68, width, height, rng, recipe.mask);
  const colorCorrected = rng.chance(colorProb);
  const source = colorCorrected ? matchColorStats(donor, target.image, m.hard, { space: recipe.bi.color_space }) : donor;
  return { ...blendFaces(target.image, source, m.mask), maskParams: m.params, colorCorrected };
}

/**
 * Face X-Ray blended image: `partner` aligned onto `target`, colour-corrected with the recipe's
 * probability, blended through a random landmark mask of the target.
 * @example
 * const { image, mask, boundary } = makeBiSample(target, partner, createRng(seed), recipe);
 */
export function makeBiSample(target: FaceInput, partner: FaceInput, rng: Rng, recipe: BlendRecipe): BlendSample {
  const { width, height } = target.image;
  const donor = alignPartner(partner.image, partner.points68, target.points68, width, height);
  return { kind: 'bi', ...finish(target, donor, rng, recipe, recipe.bi.color_correction_prob) };
}

/** Self-blended image: `target` blended with its own jittered copy (no colour correction). */
export function makeSbiSample(target: FaceInput, rng: Rng, recipe: BlendRecipe): BlendSample {
  const { image: donor, params } = sbiSource(target.image, target.points68, rng, recipe.sbi);
  return { kind: 'sbi', ...finish(target, donor, rng, recipe, 0), sbi: params };
}
