/**
 * JPEG header walk: SOI, then marker segments up to the first SOF. Collects EXIF orientation (APP1)
 * and the Adobe colour transform (APP14) on the way; entropy-coded data is never touched.
 */
import { ProblemError } from '../../problem.js';
import { isExifPrefix, readTiffOrientation, type Orientation } from '../exif.js';
import type { ColorModel, HeaderInfo } from '../sniff.js';
import { ascii, corruptHeader, u16be } from './util.js';

const SOF_BASELINE = 0xc0;
const SOF_EXTENDED = 0xc1;
const SOF_PROGRESSIVE = 0xc2;
/** SOF3, 5–7, 9–11, 13–15: lossless, hierarchical and arithmetic-coded processes. */
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const SOS = 0xda;
const EOI = 0xd9;
const APP1 = 0xe1;
const APP14 = 0xee;

export function sniffJpeg(b: Uint8Array): HeaderInfo {
  let orientation: Orientation = 1;
  let adobeTransform: number | null = null;
  let sawExif = false; // only the first EXIF APP1 counts, as in browsers and libexif
  let at = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    while (at < b.length && b[at] === 0xff && b[at + 1] === 0xff) at++;
    if (at + 4 > b.length) throw corruptHeader('JPEG', 'ends before the frame header (SOF)');
    if (b[at] !== 0xff) throw corruptHeader('JPEG', `expected a marker at byte ${at}`);
    const marker = b[at + 1];
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; } // TEM, RSTn: no length
    if (marker === SOS || marker === EOI) throw corruptHeader('JPEG', 'no frame header (SOF) before the scan');
    const length = u16be(b, at + 2);
    if (length < 2) throw corruptHeader('JPEG', `bad segment length at byte ${at}`);
    const body = at + 4;
    const end = at + 2 + length;
    if (marker === SOF_BASELINE || marker === SOF_EXTENDED || marker === SOF_PROGRESSIVE) {
      if (body + 6 > b.length || length < 8) throw corruptHeader('JPEG', 'frame header cut short');
      const precision = b[body];
      const height = u16be(b, body + 1);
      const width = u16be(b, body + 3);
      const channels = b[body + 5];
      if (precision !== 8) {
        throw new ProblemError(415, 'unsupported-image-format', `${precision}-bit JPEG is not supported; only 8-bit JPEG is.`, { format: 'jpeg' });
      }
      if (width === 0 || height === 0) throw corruptHeader('JPEG', `invalid size ${width}×${height}`);
      const progressive = marker === SOF_PROGRESSIVE;
      return {
        format: 'jpeg', width, height, orientation, animated: false, channels,
        colorModel: jpegColorModel(channels, adobeTransform), hasAlpha: false, bitDepth: 8,
        adobeTransform, progressive,
        ...(progressive ? { dctCoefficientBytes: coefficientBytes(b, body, width, height, channels) } : {}),
      };
    }
    if (OTHER_SOF.has(marker)) {
      throw new ProblemError(415, 'unsupported-image-format', 'Lossless, hierarchical and arithmetic-coded JPEG are not supported.', { format: 'jpeg' });
    }
    if (end > b.length) throw corruptHeader('JPEG', `segment 0xFF${marker.toString(16).toUpperCase()} runs past the end`);
    if (marker === APP1 && !sawExif && isExifPrefix(b, body)) {
      sawExif = true;
      orientation = readTiffOrientation(b.subarray(body + 6, end));
    } else if (marker === APP14 && length >= 14 && ascii(b, body, 5) === 'Adobe') {
      adobeTransform = b[body + 11];
    }
    at = end;
  }
}

/**
 * The whole-image DCT coefficient buffer libjpeg keeps while decoding a progressive JPEG (2 bytes per
 * coefficient, 64 per 8×8 block, each component at its own sampling): however small the output, this
 * much is held. Sampling factors from the SOF component list; a list cut short counts as 4:4:4.
 */
function coefficientBytes(b: Uint8Array, body: number, width: number, height: number, channels: number): number {
  const factors: [number, number][] = [];
  for (let c = 0; c < channels; c++) {
    const at = body + 6 + c * 3 + 1;
    factors.push(at < b.length ? [Math.max(1, b[at] >> 4), Math.max(1, b[at] & 15)] : [1, 1]);
  }
  const hMax = Math.max(...factors.map(([h]) => h)), vMax = Math.max(...factors.map(([, v]) => v));
  const mcuCols = Math.ceil(width / (8 * hMax)), mcuRows = Math.ceil(height / (8 * vMax));
  return factors.reduce((sum, [h, v]) => sum + mcuCols * h * mcuRows * v * 64 * 2, 0);
}

function jpegColorModel(channels: number, adobeTransform: number | null): ColorModel {
  if (channels === 1) return 'gray';
  if (channels === 3) return 'rgb';
  if (channels === 4) return adobeTransform === 2 ? 'ycck' : 'cmyk';
  throw corruptHeader('JPEG', `${channels} colour components`);
}
