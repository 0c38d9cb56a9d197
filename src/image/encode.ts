/**
 * @module
 * RGBA8 → PNG / JPEG bytes through the same wasm codecs as decoding (static wasm imports).
 */
import type { RgbaImage } from '../pipeline/types.js';
import { mozjpegEncode, pngEncode } from './codecs.js';
import { flattenAlpha, WHITE, type Rgb } from './pixels.js';

/**
 * Lossless PNG (8-bit RGBA; alpha kept).
 *
 * @example
 * return c.body(await encodePng(result), 200, { 'content-type': 'image/png' });
 */
export async function encodePng(image: RgbaImage): Promise<Uint8Array> {
  checkImage(image);
  return pngEncode(image);
}

export type EncodeJpegOptions = {
  /** Colour behind transparent pixels (JPEG has no alpha). Default white. */
  background?: Rgb;
  progressive?: boolean;
};

/**
 * Baseline-compatible JPEG (MozJPEG, 4:2:0). `quality` is 1–100 (default 90). Transparent pixels are
 * composited over white first, since JPEG has no alpha.
 *
 * @example
 * const jpeg = await encodeJpeg(image, 85);
 */
export async function encodeJpeg(image: RgbaImage, quality = 90, options: EncodeJpegOptions = {}): Promise<Uint8Array> {
  checkImage(image);
  if (!Number.isFinite(quality) || quality < 1 || quality > 100) throw new RangeError(`JPEG quality must be 1–100, got ${quality}`);
  const opaque = flattenAlpha(image, options.background ?? WHITE);
  return mozjpegEncode(opaque, { quality: Math.round(quality), progressive: options.progressive ?? false });
}

function checkImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * 4) {
    throw new RangeError(`Not an RGBA image: ${width}×${height} with ${data.length} bytes`);
  }
}
