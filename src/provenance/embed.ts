/**
 * @module provenance/embed
 * Watermark embedding: the key's ±1 GRID × GRID pattern (cells in normalised coordinates, so the
 * lattice follows any later resize) is bilinearly interpolated to full resolution — no visible cell
 * edges — and added to luma as the same offset on R, G and B (chroma untouched, so 4:2:0 chroma
 * subsampling cannot hurt it). Alpha is kept.
 */
import type { RgbaImage } from '../pipeline/types.js';
import { SEAMLINE_WATERMARK_KEY } from './key.js';
import { GRID, keyPattern } from './pattern.js';
import type { WatermarkOptions } from './types.js';

/** Peak luma offset (8-bit levels). Gives PSNR ≈ 40.7 dB on the 224 px fixture faces (RMS ≈ 2.3). */
export const DEFAULT_STRENGTH = 3.5;

/** Per pixel along one axis of `size`: the two cells it interpolates between (clamped) and the second one's weight. */
function axisWeights(size: number): { lo: Int32Array; hi: Int32Array; weight: Float32Array } {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = ((i + 0.5) * GRID) / size - 0.5;
    const i0 = Math.floor(u);
    lo[i] = Math.min(GRID - 1, Math.max(0, i0));
    hi[i] = Math.min(GRID - 1, Math.max(0, i0 + 1));
    weight[i] = u - i0;
  }
  return { lo, hi, weight };
}

/**
 * A copy of `image` carrying the watermark for `key`.
 *
 * @example
 * const marked = embedWatermark(swapped); // or { key: watermarkKey(c.env) }
 */
export function embedWatermark(image: RgbaImage, options: WatermarkOptions = {}): RgbaImage {
  const { key = SEAMLINE_WATERMARK_KEY, strength = DEFAULT_STRENGTH } = options;
  const { width, height } = image;
  const p = keyPattern(key);
  const cols = axisWeights(width);
  const rows = axisWeights(height);
  const src = image.data;
  const data = new Uint8ClampedArray(src);
  const line = new Float32Array(GRID);
  const offset = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    const r0 = rows.lo[y] * GRID, r1 = rows.hi[y] * GRID, wy = rows.weight[y];
    for (let c = 0; c < GRID; c++) line[c] = strength * ((1 - wy) * p[r0 + c] + wy * p[r1 + c]);
    for (let x = 0; x < width; x++) offset[x] = line[cols.lo[x]] + cols.weight[x] * (line[cols.hi[x]] - line[cols.lo[x]]);
    for (let x = 0, o = y * width * 4; x < width; x++, o += 4) {
      const d = offset[x];
      // Uint8ClampedArray rounds and clamps.
      data[o] = src[o] + d;
      data[o + 1] = src[o + 1] + d;
      data[o + 2] = src[o + 2] + d;
    }
  }
  return { width, height, data };
}
