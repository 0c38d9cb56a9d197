/**
 * Formats we recognise but do not decode (no bundled codec): GIF, BMP, TIFF, HEIC/HEIF, AVIF.
 * They are identified so that the client gets a precise 415 instead of "unknown format".
 */
import type { HeaderInfo } from '../sniff.js';
import { ascii, u16le, u32be, u32le } from './util.js';

const unknownPixels = { orientation: 1 as const, channels: 0, colorModel: 'unknown' as const, hasAlpha: false, bitDepth: 0 };

/** GIF: logical screen size, and a walk over blocks (sub-blocks skipped, LZW untouched) to count frames. */
export function sniffGif(b: Uint8Array): HeaderInfo {
  const width = b.length >= 10 ? u16le(b, 6) : 0;
  const height = b.length >= 10 ? u16le(b, 8) : 0;
  return { format: 'gif', width, height, animated: countGifFrames(b) > 1, ...unknownPixels };
}

function countGifFrames(b: Uint8Array): number {
  if (b.length < 13) return 0;
  let at = 13;
  if (b[10] & 0x80) at += 3 * (1 << ((b[10] & 7) + 1));
  let frames = 0;
  const skipSubBlocks = (from: number): number => {
    let p = from;
    while (p < b.length && b[p] !== 0) p += b[p] + 1;
    return p + 1;
  };
  while (at < b.length && frames < 2) {
    const block = b[at];
    if (block === 0x21) at = skipSubBlocks(at + 2);
    else if (block === 0x2c) {
      frames++;
      if (at + 10 > b.length) break;
      const packed = b[at + 9];
      at += 10;
      if (packed & 0x80) at += 3 * (1 << ((packed & 7) + 1));
      at = skipSubBlocks(at + 1);
    } else break; // 0x3B trailer or garbage
  }
  return frames;
}

export function sniffBmp(b: Uint8Array): HeaderInfo {
  const width = Math.abs(u32le(b, 18) | 0);
  const height = Math.abs(u32le(b, 22) | 0);
  return { format: 'bmp', width, height, animated: false, ...unknownPixels };
}

export function sniffTiff(_b: Uint8Array): HeaderInfo {
  return { format: 'tiff', width: 0, height: 0, animated: false, ...unknownPixels };
}

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/** ISO-BMFF `ftyp`: AVIF when the major or a compatible brand says so, else HEIC/HEIF; anything else (MP4…) is unknown. */
export function sniffIsoBmff(b: Uint8Array): HeaderInfo | null {
  const size = Math.min(b.length, b.length >= 4 ? u32be(b, 0) : 0);
  const brands = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(b, at, 4));
  const base = { width: 0, height: 0, animated: false, ...unknownPixels };
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { format: 'avif', ...base, animated: brands.includes('avis') };
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return { format: 'heic', ...base };
  return null;
}
