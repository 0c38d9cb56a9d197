/**
 * @module
 * Area-average downscaling of RGBA8 pixels in plain JS, for decoders that cannot scale while decoding
 * (PNG, WebP). Kept out of the wasm kernels on purpose: copying a 25 MP image into their arena would
 * grow it for the isolate's lifetime, which is what scaling down avoids.
 */
import type { RgbaImage } from '../pipeline/types.js';

/** The size `downscaleArea` gives for `scale` (≤ 1): ⌈n·scale⌉ per axis, at least 1. */
export const scaledSize = (width: number, height: number, scale: number) => ({
  width: Math.max(1, Math.ceil(width * scale)),
  height: Math.max(1, Math.ceil(height * scale)),
});

/**
 * Each output pixel is the coverage-weighted mean of the input pixels under it (a box filter as wide as
 * the scale step), separably: rows first into a float buffer one output row tall, then columns.
 *
 * @example
 * const small = downscaleArea(image, Math.sqrt(4e6 / (image.width * image.height)));
 */
export function downscaleArea(image: RgbaImage, scale: number): RgbaImage {
  if (!(scale > 0 && scale < 1)) throw new RangeError(`downscaleArea: scale must be in (0, 1), got ${scale}`);
  const { width: w, height: h, data } = image;
  const { width: ow, height: oh } = scaledSize(w, h, scale);
  const xTaps = taps(w, ow, scale);
  const yTaps = taps(h, oh, scale);
  const out = new Uint8ClampedArray(ow * oh * 4);
  const row = new Float32Array(ow * 4);
  const acc = new Float32Array(ow * 4);
  for (let oy = 0; oy < oh; oy++) {
    acc.fill(0);
    for (const [y, wy] of yTaps[oy]) {
      row.fill(0);
      const base = y * w * 4;
      for (let ox = 0; ox < ow; ox++) {
        const o = ox * 4;
        for (const [x, wx] of xTaps[ox]) {
          const i = base + x * 4;
          row[o] += data[i] * wx;
          row[o + 1] += data[i + 1] * wx;
          row[o + 2] += data[i + 2] * wx;
          row[o + 3] += data[i + 3] * wx;
        }
      }
      for (let k = 0; k < acc.length; k++) acc[k] += row[k] * wy;
    }
    out.set(acc, oy * ow * 4); // Uint8ClampedArray rounds to nearest
  }
  return { width: ow, height: oh, data: out };
}

/**
 * For each output index, the input indices it covers with their normalised coverage weights. Output
 * pixel o covers input [o/scale, (o+1)/scale), so coordinates map back exactly by 1/scale (the last
 * pixel may cover less, as in libjpeg's scaled decoding).
 */
function taps(inSize: number, outSize: number, scale: number): [number, number][][] {
  const step = 1 / scale;
  const result: [number, number][][] = [];
  for (let o = 0; o < outSize; o++) {
    const from = o * step, to = Math.min(inSize, (o + 1) * step);
    const list: [number, number][] = [];
    for (let i = Math.floor(from); i < Math.ceil(to); i++) {
      const cover = Math.min(to, i + 1) - Math.max(from, i);
      if (cover > 0) list.push([i, cover / (to - from)]);
    }
    result.push(list);
  }
  return result;
}
