/**
 * @module pipeline/blend/color
 * Colour correction of a donor towards the target inside a region (mean/std matching). 'rgb' is the
 * recipe's default (per-channel, as training/xray/synth.py `colour_transfer`); 'lab' reuses the
 * kernels' Reinhard transfer in CIELAB.
 */
import { kernels } from '../../wasm/kernels';
import type { RgbaImage } from '../types';

export type ColorSpace = 'rgb' | 'lab';

export type MatchColorOptions = {
  /** Default 'rgb'. */
  space?: ColorSpace;
  /** Fewer region pixels (sum of weights) than this → source returned unchanged. Default 16. */
  minPixels?: number;
};

/**
 * `source` re-coloured so that its mean/std inside `region` match `reference`'s inside the same region
 * (both images the same size, region = weights in 0..1, e.g. the hard blend mask). Alpha is kept.
 * @example
 * const donor = matchColorStats(warpedPartner, target, mask.hard);
 */
export function matchColorStats(source: RgbaImage, reference: RgbaImage, region: Float32Array, options: MatchColorOptions = {}): RgbaImage {
  const { space = 'rgb', minPixels = 16 } = options;
  const n = source.width * source.height;
  if (reference.width !== source.width || reference.height !== source.height || region.length !== n) {
    throw new RangeError('matchColorStats: source, reference and region must have the same size');
  }
  let w = 0;
  for (let i = 0; i < n; i++) w += Math.min(1, Math.max(0, region[i]));
  if (w < minPixels) return { width: source.width, height: source.height, data: new Uint8ClampedArray(source.data) };
  if (space === 'lab') return kernels.colorTransfer(source, reference, { sourceMask: region, referenceMask: region });
  const s = channelStats(source, region, w), d = channelStats(reference, region, w);
  const out = new Uint8ClampedArray(source.data);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const k = i * 4 + c;
      out[k] = Math.round((source.data[k] - s.mean[c]) * (d.std[c] / s.std[c]) + d.mean[c]);
    }
  }
  return { width: source.width, height: source.height, data: out };
}

function channelStats(img: RgbaImage, region: Float32Array, w: number): { mean: number[]; std: number[] } {
  const sum = [0, 0, 0], sq = [0, 0, 0];
  for (let i = 0; i < region.length; i++) {
    const m = Math.min(1, Math.max(0, region[i]));
    if (!(m > 0)) continue;
    for (let c = 0; c < 3; c++) {
      const v = img.data[i * 4 + c];
      sum[c] += m * v;
      sq[c] += m * v * v;
    }
  }
  const mean = sum.map((v) => v / w);
  return { mean, std: sq.map((v, c) => Math.sqrt(Math.max(v / w - mean[c] * mean[c], 0)) + 1e-3) };
}
