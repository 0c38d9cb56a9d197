/**
 * PNG header walk: IHDR, then chunk headers up to the first IDAT, looking for acTL (APNG), tRNS
 * (alpha for gray/RGB/palette images) and eXIf (orientation). Chunk data other than those is skipped
 * by length; CRCs are left to the decoder.
 */
import { readTiffOrientation, type Orientation } from '../exif.js';
import type { ColorModel, HeaderInfo } from '../sniff.js';
import { ascii, corruptHeader, u32be } from './util.js';

const COLOR_TYPES: Record<number, { model: ColorModel; channels: number; depths: number[] }> = {
  0: { model: 'gray', channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { model: 'rgb', channels: 3, depths: [8, 16] },
  3: { model: 'indexed', channels: 1, depths: [1, 2, 4, 8] },
  4: { model: 'gray-alpha', channels: 2, depths: [8, 16] },
  6: { model: 'rgba', channels: 4, depths: [8, 16] },
};
const MAX_DIMENSION = 0x7fffffff;

export function sniffPng(b: Uint8Array): HeaderInfo {
  if (b.length < 33) throw corruptHeader('PNG', 'file ends inside IHDR');
  if (u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') throw corruptHeader('PNG', 'first chunk is not a 13-byte IHDR');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const bitDepth = b[24];
  const colorType = b[25];
  if (width === 0 || height === 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
    throw corruptHeader('PNG', `invalid size ${width}×${height}`);
  }
  const kind = COLOR_TYPES[colorType];
  if (!kind || !kind.depths.includes(bitDepth)) throw corruptHeader('PNG', `invalid colour type ${colorType} / bit depth ${bitDepth}`);

  let animated = false;
  let hasAlpha = colorType === 4 || colorType === 6;
  let orientation: Orientation = 1;
  let at = 33;
  while (at + 8 <= b.length) {
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    if (type === 'IDAT' || type === 'IEND') break;
    const data = at + 8;
    if (length > b.length - data) throw corruptHeader('PNG', `chunk ${type} runs past the end`);
    if (type === 'acTL' && length >= 8) animated = u32be(b, data) > 1;
    else if (type === 'tRNS') hasAlpha = true;
    else if (type === 'eXIf') orientation = readTiffOrientation(b.subarray(data, data + length));
    at = data + length + 4;
  }
  return { format: 'png', width, height, orientation, animated, channels: kind.channels, colorModel: kind.model, hasAlpha, bitDepth };
}
