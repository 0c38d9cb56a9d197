import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures/index.js';
import { ProblemError } from '../problem.js';
import { readTiffOrientation } from './exif.js';
import { sniffImage } from './sniff.js';
import { concatBytes as concat } from '../lib/bytes.js';
import { pngChunk, pngWithHeader, tiffWithOrientation, withExifOrientation } from './test-support.js';

const problem = (fn: () => unknown): ProblemError => {
  try { fn(); } catch (e) { if (e instanceof ProblemError) return e; throw e; }
  throw new Error('expected a ProblemError');
};

describe('sniffImage: decodable formats', () => {
  it('reads a FairFace JPEG (YCbCr, no EXIF)', () => {
    expect(sniffImage(fixture('face-1.jpg'))).toMatchObject({
      format: 'jpeg', mimeType: 'image/jpeg', width: 224, height: 224, orientation: 1, animated: false,
      channels: 3, colorModel: 'rgb', hasAlpha: false, adobeTransform: null, progressive: false,
    });
  });
  it('reads gray, CMYK (Adobe APP14 transform 0) and EXIF orientation 6', () => {
    expect(sniffImage(fixture('face-6-gray.jpg'))).toMatchObject({ channels: 1, colorModel: 'gray' });
    expect(sniffImage(fixture('face-4-cmyk.jpg'))).toMatchObject({ channels: 4, colorModel: 'cmyk', adobeTransform: 0 });
    expect(sniffImage(fixture('face-1-exif6.jpg'))).toMatchObject({ orientation: 6, width: 224, height: 224 });
  });
  it('calls a 4-component JPEG with Adobe transform 2 YCCK', () => {
    const b = fixture('face-4-cmyk.jpg').slice();
    const at = Buffer.from(b).indexOf('Adobe');
    b[at + 11] = 2;
    expect(sniffImage(b).colorModel).toBe('ycck');
  });
  it('reads EXIF orientation in both byte orders, and ignores junk values', () => {
    for (let o = 1; o <= 8; o++) {
      expect(readTiffOrientation(tiffWithOrientation(o, true))).toBe(o);
      expect(readTiffOrientation(tiffWithOrientation(o, false))).toBe(o);
      expect(sniffImage(withExifOrientation(fixture('face-1.jpg'), o, o % 2 === 0)).orientation).toBe(o);
    }
    expect(readTiffOrientation(tiffWithOrientation(9))).toBe(1);
    expect(readTiffOrientation(tiffWithOrientation(6).subarray(0, 20))).toBe(1); // entry cut short
    expect(readTiffOrientation(new Uint8Array([0x49, 0x49, 42, 0, 0xff, 0xff, 0xff, 0x7f]))).toBe(1); // IFD offset out of range
  });
  it('reads PNG IHDR, tRNS alpha, 16-bit depth, eXIf orientation and APNG', () => {
    expect(sniffImage(fixture('face-7-alpha.png'))).toMatchObject({ format: 'png', width: 224, height: 224, colorModel: 'rgba', channels: 4, hasAlpha: true, animated: false });
    expect(sniffImage(fixture('palette-trns.png'))).toMatchObject({ colorModel: 'indexed', hasAlpha: true });
    expect(sniffImage(fixture('gray-alpha.png'))).toMatchObject({ colorModel: 'gray-alpha', channels: 2, hasAlpha: true });
    expect(sniffImage(fixture('gray16.png'))).toMatchObject({ colorModel: 'gray', bitDepth: 16, hasAlpha: false });
    expect(sniffImage(fixture('animated.png'))).toMatchObject({ animated: true, width: 16, height: 16 });
    const png = pngWithHeader(4, 3);
    const withExif = concat(png.subarray(0, 33), pngChunk('eXIf', tiffWithOrientation(8, false)), png.subarray(33));
    expect(sniffImage(withExif)).toMatchObject({ width: 4, height: 3, orientation: 8 });
  });
  it('reads WebP lossy, animated VP8X and a VP8X EXIF chunk', () => {
    expect(sniffImage(fixture('face-1.webp'))).toMatchObject({ format: 'webp', width: 224, height: 224, colorModel: 'rgb', animated: false });
    expect(sniffImage(fixture('animated.webp'))).toMatchObject({ format: 'webp', width: 16, height: 16, animated: true });
    expect(sniffImage(webpVp8xWithExif(6))).toMatchObject({ width: 300, height: 200, orientation: 6, animated: false, hasAlpha: false });
  });
  it('reads a 1×1 PNG', () => {
    expect(sniffImage(pngWithHeader(1, 1))).toMatchObject({ width: 1, height: 1 });
  });
});

describe('sniffImage: refusals', () => {
  it('zero bytes → 400 empty-image', () => {
    expect(problem(() => sniffImage(new Uint8Array(0)))).toMatchObject({ status: 400, code: 'empty-image' });
  });
  it('unknown magic → 415', () => {
    expect(problem(() => sniffImage(new TextEncoder().encode('hello, not an image')))).toMatchObject({ status: 415, code: 'unsupported-image-format' });
    expect(problem(() => sniffImage(new Uint8Array([0xff])))).toMatchObject({ status: 415 });
  });
  it('recognises GIF, BMP, TIFF, HEIC and AVIF (returned with their format so decode can 415 precisely)', () => {
    expect(sniffImage(fixture('tiny.gif'))).toMatchObject({ format: 'gif', width: 16, height: 16, animated: false });
    expect(sniffImage(fixture('animated.gif'))).toMatchObject({ format: 'gif', animated: true });
    expect(sniffImage(fixture('tiny.bmp'))).toMatchObject({ format: 'bmp', width: 16, height: 8 });
    expect(sniffImage(fixture('tiny.tiff'))).toMatchObject({ format: 'tiff' });
    expect(sniffImage(ftyp('heic', ['mif1', 'heic']))).toMatchObject({ format: 'heic', mimeType: 'image/heic' });
    expect(sniffImage(ftyp('mif1', ['mif1', 'avif']))).toMatchObject({ format: 'avif' });
    expect(problem(() => sniffImage(ftyp('isom', ['isom', 'mp41'])))).toMatchObject({ status: 415 }); // MP4 is not an image
  });
  it('malformed headers of known formats → 422 corrupt-image', () => {
    const jpeg = fixture('face-1.jpg');
    expect(problem(() => sniffImage(jpeg.subarray(0, 30)))).toMatchObject({ status: 422, code: 'corrupt-image' }); // cut before SOF
    expect(problem(() => sniffImage(fixture('face-7-alpha.png').subarray(0, 20)))).toMatchObject({ status: 422 });
    expect(problem(() => sniffImage(pngWithHeader(0, 10)))).toMatchObject({ status: 422 });
    expect(problem(() => sniffImage(fixture('face-1.webp').subarray(0, 22)))).toMatchObject({ status: 422 });
  });
  it('12-bit and lossless JPEG → 415', () => {
    const b = fixture('face-1.jpg').slice();
    const sof = Buffer.from(b).indexOf(Buffer.from([0xff, 0xc0]));
    b[sof + 4] = 12;
    expect(problem(() => sniffImage(b))).toMatchObject({ status: 415 });
    b[sof + 4] = 8;
    b[sof + 1] = 0xc3;
    expect(problem(() => sniffImage(b))).toMatchObject({ status: 415 });
  });
});

function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  const b = new Uint8Array(size + 8);
  new DataView(b.buffer).setUint32(0, size);
  const text = 'ftyp' + major + '\0\0\0\0' + compatible.join('');
  for (let i = 0; i < text.length; i++) b[4 + i] = text.charCodeAt(i);
  return b;
}

/** RIFF/WEBP with a VP8X header (EXIF flag), a dummy VP8 chunk and an EXIF chunk. */
function webpVp8xWithExif(orientation: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(8 + data.length + (data.length & 1));
    for (let i = 0; i < 4; i++) out[i] = type.charCodeAt(i);
    new DataView(out.buffer).setUint32(4, data.length, true);
    out.set(data, 8);
    return out;
  };
  const vp8x = new Uint8Array(10);
  vp8x[0] = 0x08;
  const dims = new DataView(vp8x.buffer);
  dims.setUint16(4, 299, true); // width − 1 (24-bit LE, high byte 0)
  dims.setUint16(7, 199, true);
  const body = concat(new TextEncoder().encode('WEBP'), chunk('VP8X', vp8x), chunk('VP8 ', new Uint8Array(11)), chunk('EXIF', tiffWithOrientation(orientation)));
  const riff = concat(new TextEncoder().encode('RIFF'), new Uint8Array(4), body);
  new DataView(riff.buffer).setUint32(4, body.length, true);
  return riff;
}
