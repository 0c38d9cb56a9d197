/**
 * @module
 * `decodeImage`: bytes → upright RGBA8. Order of checks, all before the codec allocates anything:
 *
 * 1. zero bytes → 400 `empty-image`
 * 2. header sniff: unknown magic → 415 `unsupported-image-format`; GIF/BMP/TIFF/HEIC/AVIF → 415;
 *    malformed header → 422 `corrupt-image`
 * 3. animated (APNG with >1 frame, animated WebP) → 422 `animated-image` (we never pick a frame)
 * 4. width × height from the header > `maxPixels` → 413 `image-too-many-pixels`
 *
 * Then the codec runs; a codec failure, truncated JPEG data, or pixels that disagree with the
 * header → 422 `corrupt-image`. Gray and palette images come out as RGB(A), 16-bit PNG as 8-bit,
 * alpha is kept (see `flattenAlpha`), CMYK/YCCK JPEG is converted to RGB, and the EXIF orientation
 * (JPEG APP1, WebP EXIF, PNG eXIf) is applied, so `width`/`height` are the display size.
 * With `maxDecodedPixels`, larger images are decoded scaled down (see the option).
 */
import { ProblemError } from '../problem.js';
import type { RgbaImage } from '../pipeline/types.js';
import { mozjpegDecode, pngDecode, webpDecode, type CodecImage } from './codecs.js';
import { checkPngChunks } from './png-chunks.js';
import { cmykToRgba, decodeJpegCmyk, decodeJpegScaled } from './jpeg-turbo.js';
import { downscaleArea, scaledSize } from './downscale.js';
import { applyOrientation } from './orientation.js';
import { assertDecodable, sniffImage, type DecodableFormat, type ImageInfo } from './sniff.js';

/** Default pixel budget (25 MP), the same as the `MAX_IMAGE_PIXELS` default. */
export const DEFAULT_MAX_PIXELS = 25_000_000;

export type DecodeImageOptions = {
  /** Largest width × height accepted (stored size, from the header). Default 25 000 000. */
  maxPixels?: number;
  /**
   * Largest width × height to decode to. A larger image comes out scaled down by `scale`: a JPEG while
   * it is decoded (libjpeg DCT scaling by M/8, so it never exists at full size), PNG and WebP after
   * (area average). Default: no limit (full size).
   */
  maxDecodedPixels?: number;
  /**
   * Largest width × height of a PNG or WebP over `maxDecodedPixels`: those have no scaled decoder here, so
   * they exist whole (codec heap and a JS copy) before they are scaled down; over this → 413. Default: no limit.
   */
  maxWholePixels?: number;
};

export type DecodedImage = {
  image: RgbaImage;
  info: ImageInfo;
  /** Decoded pixels per original pixel (1 at full size): original coordinates = decoded / scale. */
  scale: number;
};

/**
 * Decodes JPEG, PNG or WebP bytes to upright RGBA8. Throws `ProblemError` (400/413/415/422) as
 * listed in the module doc.
 *
 * @example
 * const image = await decodeImage(bytes, { maxPixels: 25_000_000 });
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<RgbaImage> {
  return (await decodeImageWithInfo(bytes, options)).image;
}

/** `decodeImage` that also returns the sniffed header info. */
export async function decodeImageWithInfo(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const info = checkImageHeader(bytes, options);
  const maxDecoded = options.maxDecodedPixels ?? Infinity;
  const shrink = info.width * info.height > maxDecoded;
  if (shrink) checkWholeDecode(info, options.maxWholePixels ?? Infinity);
  let { image: raw, scale } = shrink && info.format === 'jpeg'
    ? decodeJpegSmaller(bytes, info, maxDecoded)
    : { image: await runCodec(bytes, info), scale: 1 };
  const expected = scaledSize(info.width, info.height, scale);
  if (raw.width !== expected.width || raw.height !== expected.height || raw.data.length !== raw.width * raw.height * 4) {
    throw corrupt(info.format, `decoded ${raw.width}×${raw.height} but the header says ${info.width}×${info.height}`);
  }
  if (raw.width * raw.height > maxDecoded) {
    // PNG, WebP, or a JPEG still too large at 1/8.
    const target = Math.sqrt(maxDecoded / (info.width * info.height));
    raw = downscaleArea(raw, target / scale);
    scale = target;
  }
  const image = applyOrientation({ width: raw.width, height: raw.height, data: raw.data }, info.orientation);
  return { image, info, scale };
}

/**
 * Steps 1–4 of the module doc without decoding: returns the header info of a decodable, still,
 * within-budget image, or throws.
 */
export function checkImageHeader(bytes: Uint8Array, options: DecodeImageOptions = {}): ImageInfo & { format: DecodableFormat } {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const info = sniffImage(bytes);
  assertDecodable(info);
  if (info.animated) {
    throw new ProblemError(422, 'animated-image', `Animated ${info.format.toUpperCase()} is not supported; send a single still image.`, {
      format: info.format,
    });
  }
  const pixels = info.width * info.height;
  if (pixels > maxPixels) {
    throw new ProblemError(413, 'image-too-many-pixels', `The image is ${info.width}×${info.height} (${pixels} pixels); the limit is ${maxPixels} pixels.`, {
      width: info.width,
      height: info.height,
      maxPixels,
    });
  }
  return info;
}

async function runCodec(bytes: Uint8Array, info: ImageInfo & { format: DecodableFormat }): Promise<CodecImage> {
  try {
    switch (info.format) {
      case 'jpeg':
        return info.channels === 4 ? decodeCmykJpeg(bytes, info) : await decodeJpeg(bytes);
      case 'png':
        checkPngChunks(bytes);
        return await pngDecode(bytes);
      case 'webp':
        return await webpDecode(bytes);
    }
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw corrupt(info.format, error instanceof Error ? error.message : String(error));
  }
}

/** libjpeg's JWRN_JPEG_EOF: the data ran out and libjpeg filled the rest of the image with gray. */
const TRUNCATED = /premature end of jpeg file/i;

async function decodeJpeg(bytes: Uint8Array): Promise<CodecImage> {
  const { image, messages } = await mozjpegDecode(bytes);
  if (messages.some((m) => TRUNCATED.test(m))) throw corrupt('jpeg', 'the JPEG data is truncated');
  return image;
}

function decodeCmykJpeg(bytes: Uint8Array, info: ImageInfo, maxPixels?: number): CodecImage & { eighths: number } {
  const { width, height, cmyk, eighths } = decodeJpegCmyk(bytes, maxPixels);
  // Adobe APP14 present → Photoshop-style inverted CMYK (YCCK always carries APP14).
  return { width, height, data: cmykToRgba(cmyk, info.adobeTransform != null), eighths };
}

/** Peak bytes per pixel of a whole decode before scaling down: the codec's RGBA heap and its JS copy. */
const WHOLE_DECODE_BYTES_PER_PIXEL = 8;

/**
 * PNG and WebP are scaled down only after a whole decode, so their size has its own limit. A progressive
 * JPEG decodes scaled, but holds every DCT coefficient of the full image meanwhile: it gets the same
 * byte budget (3 bytes per pixel at 4:2:0, 6 at 4:4:4, against 8 for a whole decode).
 */
function checkWholeDecode(info: ImageInfo, maxWholePixels: number): void {
  const format = info.format.toUpperCase();
  const { width, height } = info;
  if (info.format === 'jpeg') {
    const budget = WHOLE_DECODE_BYTES_PER_PIXEL * maxWholePixels;
    if (!info.progressive || (info.dctCoefficientBytes ?? 0) <= budget) return;
    throw new ProblemError(
      413, 'image-too-many-pixels',
      `The progressive JPEG is ${width}×${height}; decoding it holds ${mib(info.dctCoefficientBytes!)} MiB of DCT coefficients, ` +
      `over the ${mib(budget)} MiB allowed. Send it as a baseline JPEG (any size up to the pixel limit) or smaller.`,
      { width, height, maxPixels: maxWholePixels },
    );
  }
  if (width * height <= maxWholePixels) return;
  throw new ProblemError(
    413, 'image-too-many-pixels',
    `The ${format} image is ${width}×${height}; ${format} is decoded whole, which is limited to ${maxWholePixels} pixels ` +
    '(JPEG is decoded scaled down and may be larger).',
    { width, height, maxPixels: maxWholePixels },
  );
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** A JPEG over the decode budget, decoded at M/8 of its size (the same checks as the full-size path). */
function decodeJpegSmaller(bytes: Uint8Array, info: ImageInfo, maxPixels: number): { image: CodecImage; scale: number } {
  try {
    if (info.channels === 4) {
      const { eighths, ...image } = decodeCmykJpeg(bytes, info, maxPixels);
      return { image, scale: eighths / 8 };
    }
    const { width, height, rgba, eighths, truncated } = decodeJpegScaled(bytes, maxPixels);
    if (truncated) throw corrupt('jpeg', 'the JPEG data is truncated');
    return { image: { width, height, data: new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length) }, scale: eighths / 8 };
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw corrupt('jpeg', error instanceof Error ? error.message : String(error));
  }
}

const corrupt = (format: string, detail: string) =>
  new ProblemError(422, 'corrupt-image', `The ${format.toUpperCase()} image could not be decoded: ${detail}.`, { format });
