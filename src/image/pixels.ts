/**
 * @module
 * Small pixel helpers around `RgbaImage`: alpha handling for the parts of the pipeline that need
 * opaque RGB (face models take 3 channels).
 */
import type { RgbaImage } from '../pipeline/types.js';

export type Rgb = readonly [number, number, number];
export const WHITE: Rgb = [255, 255, 255];

/** True when every pixel has alpha 255. */
export function isOpaque(image: RgbaImage): boolean {
  const d = image.data;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 255) return false;
  return true;
}

/**
 * Composites the image over a solid background (white by default) and returns an opaque copy
 * (alpha 255 everywhere). Returns the input unchanged when it is already opaque.
 *
 * @example
 * const opaque = flattenAlpha(await decodeImage(bytes, { maxPixels }));
 */
export function flattenAlpha(image: RgbaImage, background: Rgb = WHITE): RgbaImage {
  if (isOpaque(image)) return image;
  const src = image.data;
  const data = new Uint8ClampedArray(src.length);
  const [br, bg, bb] = background;
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3];
    const inv = 255 - a;
    data[i] = (src[i] * a + br * inv) / 255;
    data[i + 1] = (src[i + 1] * a + bg * inv) / 255;
    data[i + 2] = (src[i + 2] * a + bb * inv) / 255;
    data[i + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

/**
 * Packed RGB bytes (3 per pixel), alpha composited over `background` first.
 *
 * @example
 * const { data } = toRgb(image); // data.length === image.width * image.height * 3
 */
export function toRgb(image: RgbaImage, background: Rgb = WHITE): { width: number; height: number; data: Uint8Array } {
  const flat = flattenAlpha(image, background).data;
  const data = new Uint8Array(image.width * image.height * 3);
  for (let i = 0, o = 0; i < flat.length; i += 4, o += 3) {
    data[o] = flat[i];
    data[o + 1] = flat[i + 1];
    data[o + 2] = flat[i + 2];
  }
  return { width: image.width, height: image.height, data };
}
