/**
 * @module
 * EXIF orientation, read from a TIFF structure (the body of a JPEG `Exif\0\0` APP1 segment, a WebP
 * `EXIF` chunk or a PNG `eXIf` chunk). Only IFD0 tag 0x0112 is read; every offset is bounds-checked,
 * and anything malformed yields orientation 1 rather than an error: a broken EXIF block must not
 * make an otherwise decodable image fail.
 */

/** EXIF orientation: 1 = upright, 2–8 = the seven flips/rotations defined by the TIFF/EXIF spec. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/**
 * Reads the orientation from TIFF bytes (`II*\0` or `MM\0*` header). Tolerates a leading
 * `Exif\0\0` prefix, which some WebP writers put in the EXIF chunk.
 *
 * @example
 * readTiffOrientation(app1.subarray(10)) // → 6
 */
export function readTiffOrientation(tiff: Uint8Array): Orientation {
  let bytes = tiff;
  if (bytes.length >= 6 && isExifPrefix(bytes, 0)) bytes = bytes.subarray(6);
  if (bytes.length < 8) return 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd = view.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > bytes.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > bytes.length) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(entry + 2, little) !== TYPE_SHORT) return 1;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? (value as Orientation) : 1;
  }
  return 1;
}

/** True when `bytes[at..at+6]` is `Exif\0\0`. */
export function isExifPrefix(bytes: Uint8Array, at: number): boolean {
  return (
    at + 6 <= bytes.length &&
    bytes[at] === 0x45 && bytes[at + 1] === 0x78 && bytes[at + 2] === 0x69 && bytes[at + 3] === 0x66 &&
    bytes[at + 4] === 0 && bytes[at + 5] === 0
  );
}

/** Whether the orientation swaps width and height (5–8 are transposing). */
export const swapsAxes = (orientation: Orientation): boolean => orientation >= 5;
