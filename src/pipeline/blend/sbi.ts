/**
 * @module pipeline/blend/sbi
 * Self-blended images (Shiohara & Yamasaki 2022): the donor is a jittered copy of the target itself —
 * colour, then resolution or sharpness, then a small scale/translation about the landmark-box centre.
 * Draw order and semantics follow training/xray/synth.py `sbi_source`.
 */
import { invertAffine, type Affine } from '../align';
import { kernels } from '../../wasm/kernels';
import type { Point2, RgbaImage } from '../types';
import type { Rng } from '../random';
import { adjustColor, degradeResolution, sharpen, type ColorJitter } from './enhance';
import { bounds, faceSize } from './outline';
import type { SbiRecipe } from './recipe';

export type SbiParams = {
  color?: ColorJitter;
  /** Down/up-scale factor, when the resolution step was drawn. */
  downscale?: number;
  /** Sharpen strength, when drawn. */
  sharpen?: number;
  scale: number;
  translate: Point2;
};

/**
 * The jittered self-copy used as the SBI donor (same size as `image`, aligned to it up to the jitter).
 * @example
 * const { image: donor } = sbiSource(face, points68, rng, recipe.sbi);
 * const { image } = blendFaces(face, donor, makeBlendMask(points68, w, h, rng, recipe.mask).mask);
 */
export function sbiSource(image: RgbaImage, points68: readonly Point2[], rng: Rng, cfg: SbiRecipe): { image: RgbaImage; params: SbiParams } {
  let img = image;
  const params: Partial<SbiParams> = {};
  const u = (r: readonly [number, number]) => rng.uniform(r[0], r[1]);
  if (rng.chance(cfg.color_prob)) {
    const saturation = u(cfg.saturation), contrast = u(cfg.contrast), brightness = u(cfg.brightness);
    const shift = [u(cfg.rgb_shift), u(cfg.rgb_shift), u(cfg.rgb_shift)] as const;
    params.color = { saturation, contrast, brightness, shift };
    img = adjustColor(img, params.color);
  }
  const { width: w, height: h } = img;
  if (rng.chance(cfg.downscale_prob)) {
    const s = u(cfg.downscale);
    params.downscale = s;
    img = degradeResolution(img, Math.max(8, Math.floor(w * s)), Math.max(8, Math.floor(h * s)));
  } else if (rng.chance(cfg.sharpen_prob)) {
    params.sharpen = u(cfg.sharpen_amount);
    img = sharpen(img, params.sharpen);
  }
  const size = faceSize(points68);
  const [x1, y1, x2, y2] = bounds(points68);
  const cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
  const s = u(cfg.scale);
  const t: Point2 = [u(cfg.translate_frac) * size, u(cfg.translate_frac) * size];
  const forward: Affine = [s, 0, (1 - s) * cx + t[0], 0, s, (1 - s) * cy + t[1]];
  return { image: kernels.warpAffine(img, invertAffine(forward), w, h), params: { ...params, scale: s, translate: t } };
}
