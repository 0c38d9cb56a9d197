/**
 * WebP header walk (RIFF): simple lossy (`VP8 `), simple lossless (`VP8L`) or extended (`VP8X`,
 * whose flags carry animation/alpha/EXIF and whose chunks are walked for an `EXIF` orientation).
 */
import { readTiffOrientation, type Orientation } from '../exif.js';
import type { HeaderInfo } from '../sniff.js';
import { ascii, corruptHeader, u16le, u24le, u32le } from './util.js';

const VP8X_ANIMATION = 0x02;
const VP8X_EXIF = 0x08;
const VP8X_ALPHA = 0x10;

export function sniffWebp(b: Uint8Array): HeaderInfo {
  if (b.length < 20) throw corruptHeader('WebP', 'file ends before the first chunk');
  const first = ascii(b, 12, 4);
  const data = 20;
  const base = { format: 'webp' as const, orientation: 1 as Orientation, bitDepth: 8 };
  if (first === 'VP8 ') {
    if (b.length < data + 10) throw corruptHeader('WebP', 'VP8 frame header cut short');
    if (b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) throw corruptHeader('WebP', 'bad VP8 start code');
    const width = u16le(b, data + 6) & 0x3fff;
    const height = u16le(b, data + 8) & 0x3fff;
    return checked({ ...base, width, height, animated: false, channels: 3, colorModel: 'rgb', hasAlpha: false });
  }
  if (first === 'VP8L') {
    if (b.length < data + 5) throw corruptHeader('WebP', 'VP8L header cut short');
    if (b[data] !== 0x2f) throw corruptHeader('WebP', 'bad VP8L signature');
    const bits = u32le(b, data + 1);
    const width = (bits & 0x3fff) + 1;
    const height = ((bits >>> 14) & 0x3fff) + 1;
    const hasAlpha = ((bits >>> 28) & 1) === 1;
    return checked({ ...base, width, height, animated: false, channels: hasAlpha ? 4 : 3, colorModel: hasAlpha ? 'rgba' : 'rgb', hasAlpha });
  }
  if (first === 'VP8X') {
    if (b.length < data + 10) throw corruptHeader('WebP', 'VP8X header cut short');
    const flags = b[data];
    const width = u24le(b, data + 4) + 1;
    const height = u24le(b, data + 7) + 1;
    const hasAlpha = (flags & VP8X_ALPHA) !== 0;
    const orientation = flags & VP8X_EXIF ? findExifOrientation(b) : 1;
    return checked({
      ...base, width, height, orientation, animated: (flags & VP8X_ANIMATION) !== 0,
      channels: hasAlpha ? 4 : 3, colorModel: hasAlpha ? 'rgba' : 'rgb', hasAlpha,
    });
  }
  throw corruptHeader('WebP', `unknown first chunk "${first}"`);
}

function checked(info: HeaderInfo): HeaderInfo {
  if (info.width === 0 || info.height === 0) throw corruptHeader('WebP', `invalid size ${info.width}×${info.height}`);
  return info;
}

/** Walks RIFF chunks (padded to even sizes) for `EXIF`. */
function findExifOrientation(b: Uint8Array): Orientation {
  let at = 12;
  while (at + 8 <= b.length) {
    const size = u32le(b, at + 4);
    const data = at + 8;
    if (ascii(b, at, 4) === 'EXIF') return readTiffOrientation(b.subarray(data, Math.min(b.length, data + size)));
    at = data + size + (size & 1);
  }
  return 1;
}
