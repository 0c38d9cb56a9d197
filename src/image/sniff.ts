/**
 * @module
 * Header-only image identification. `sniffImage` reads magic bytes and the format's header (never
 * pixel data), so size limits and format support are decided before any codec allocates memory.
 *
 * Decodable: JPEG (baseline, extended, progressive; gray, YCbCr/RGB, CMYK, YCCK), PNG, WebP.
 * Recognised only so that they get a clear 415: GIF, BMP, TIFF, HEIC/HEIF, AVIF.
 */
import { ProblemError } from '../problem.js';
import type { Orientation } from './exif.js';
import { sniffJpeg } from './headers/jpeg.js';
import { sniffPng } from './headers/png.js';
import { sniffWebp } from './headers/webp.js';
import { sniffBmp, sniffGif, sniffIsoBmff, sniffTiff } from './headers/other.js';
import { ascii } from './headers/util.js';

export type { Orientation } from './exif.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff' | 'heic' | 'avif';

/** Formats `decodeImage` can decode. */
export const DECODABLE_FORMATS = ['jpeg', 'png', 'webp'] as const satisfies readonly ImageFormat[];
export type DecodableFormat = (typeof DECODABLE_FORMATS)[number];

/**
 * How the file stores colour. `rgb` also covers YCbCr JPEG and lossy WebP; `indexed` is a PNG
 * palette; `cmyk`/`ycck` are 4-component JPEGs; `unknown` is used for formats we only recognise.
 */
export type ColorModel = 'gray' | 'gray-alpha' | 'rgb' | 'rgba' | 'indexed' | 'cmyk' | 'ycck' | 'unknown';

export type ImageInfo = {
  format: ImageFormat;
  mimeType: string;
  /** Stored size, before EXIF orientation is applied (0 when the header does not say). */
  width: number;
  height: number;
  orientation: Orientation;
  /** More than one frame (APNG with acTL frames > 1, WebP ANIM, GIF with several images). */
  animated: boolean;
  /** Colour components stored per pixel (1 gray … 4 CMYK/RGBA; 0 when unknown). */
  channels: number;
  colorModel: ColorModel;
  hasAlpha: boolean;
  /** Bits per sample as stored (8 for JPEG/WebP; 1–16 for PNG). */
  bitDepth: number;
  /** JPEG only: Adobe APP14 transform flag (0 = none/CMYK, 1 = YCbCr, 2 = YCCK), null when absent. */
  adobeTransform?: number | null;
  /** JPEG only: progressive (SOF2) coding. */
  progressive?: boolean;
  /** Progressive JPEG only: bytes of DCT coefficients a decoder holds for the whole image, at any output size. */
  dctCoefficientBytes?: number;
};

const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  avif: 'image/avif',
};

/** What a format parser returns; `sniffImage` adds the MIME type. */
export type HeaderInfo = Omit<ImageInfo, 'mimeType'>;

/**
 * Identifies `bytes` from its header only.
 *
 * Throws `ProblemError` 400 `empty-image` for zero bytes, 415 `unsupported-image-format` when no
 * known magic matches, and 422 `corrupt-image` when a known format's header is malformed or cut
 * short. Recognised-but-undecodable formats (GIF, BMP, TIFF, HEIC, AVIF) are returned, not thrown:
 * use `assertDecodable` to turn them into a 415.
 *
 * @example
 * const info = sniffImage(new Uint8Array(await req.arrayBuffer()));
 * if (info.width * info.height > maxPixels) throw new ProblemError(413, …);
 */
export function sniffImage(bytes: Uint8Array): ImageInfo {
  if (bytes.length === 0) throw new ProblemError(400, 'empty-image', 'The image is empty (0 bytes).');
  const header = sniffHeader(bytes);
  if (!header) {
    throw new ProblemError(415, 'unsupported-image-format', 'Unrecognised image format; send JPEG, PNG or WebP.', {
      supported: [...DECODABLE_FORMATS],
    });
  }
  return { ...header, mimeType: MIME[header.format] };
}

function sniffHeader(b: Uint8Array): HeaderInfo | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return sniffPng(b);
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return sniffWebp(b);
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return sniffGif(b);
  if (ascii(b, 0, 2) === 'BM' && b.length >= 26) return sniffBmp(b);
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return sniffTiff(b);
  if (ascii(b, 4, 4) === 'ftyp') return sniffIsoBmff(b);
  return null;
}

/** Whether `decodeImage` supports this format. */
export const isDecodable = (format: ImageFormat): format is DecodableFormat =>
  (DECODABLE_FORMATS as readonly string[]).includes(format);

/** Throws 415 `unsupported-image-format` for recognised formats that have no bundled decoder. */
export function assertDecodable(info: ImageInfo): asserts info is ImageInfo & { format: DecodableFormat } {
  if (isDecodable(info.format)) return;
  throw new ProblemError(
    415,
    'unsupported-image-format',
    `${info.format.toUpperCase()} images are not supported; send JPEG, PNG or WebP.`,
    { format: info.format, supported: [...DECODABLE_FORMATS] },
  );
}

/** Display size: stored size with width/height swapped for orientations 5–8. */
export const orientedSize = (info: Pick<ImageInfo, 'width' | 'height' | 'orientation'>) =>
  info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };

function startsWith(b: Uint8Array, magic: number[]): boolean {
  return b.length >= magic.length && magic.every((v, i) => b[i] === v);
}
