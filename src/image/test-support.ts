/**
 * Test-only builders for synthetic image bytes (EXIF segments, hand-made headers). Not imported by
 * production code.
 */
import { concatBytes } from '../lib/bytes.js';

/** A TIFF block with IFD0 holding only Orientation (tag 0x0112, SHORT). */
export function tiffWithOrientation(orientation: number, littleEndian = true): Uint8Array {
  const b = new Uint8Array(26);
  const v = new DataView(b.buffer);
  v.setUint16(0, littleEndian ? 0x4949 : 0x4d4d);
  v.setUint16(2, 42, littleEndian);
  v.setUint32(4, 8, littleEndian);
  v.setUint16(8, 1, littleEndian); // one entry
  v.setUint16(10, 0x0112, littleEndian);
  v.setUint16(12, 3, littleEndian); // SHORT
  v.setUint32(14, 1, littleEndian);
  v.setUint16(18, orientation, littleEndian);
  v.setUint32(22, 0, littleEndian); // no next IFD
  return b;
}

/** Inserts an APP1 `Exif\0\0` segment right after the JPEG SOI marker. */
export function withExifOrientation(jpeg: Uint8Array, orientation: number, littleEndian = true): Uint8Array {
  const tiff = tiffWithOrientation(orientation, littleEndian);
  const length = 2 + 6 + tiff.length;
  const segment = new Uint8Array(2 + length);
  segment.set([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  segment.set(tiff, 10);
  return concatBytes(jpeg.subarray(0, 2), segment, jpeg.subarray(2));
}

/** A PNG chunk (CRC left zero: header parsing never checks it). */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  return out;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG signature + IHDR (8-bit RGBA by default) + one IDAT of `idat` + IEND. */
export function pngWithHeader(width: number, height: number, idat = new Uint8Array(16), colorType = 6): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  return concatBytes(PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0)));
}

/** Mean absolute difference over RGB channels of two same-size RGBA buffers. */
export function meanAbsDiff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  if (a.length !== b.length) throw new Error(`size mismatch ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
  return sum / ((a.length / 4) * 3);
}
