import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures/index.js';
import { ProblemError } from '../problem.js';
import type { RgbaImage } from '../pipeline/types.js';
import { decodeImage, decodeImageWithInfo } from './decode.js';
import { downscaleArea } from './downscale.js';
import { encodeJpeg, encodePng } from './encode.js';
import { flattenAlpha, toRgb } from './pixels.js';
import { meanAbsDiff, pngWithHeader, withExifOrientation } from './test-support.js';

async function problem(p: Promise<unknown>): Promise<ProblemError> {
  try { await p; } catch (e) { if (e instanceof ProblemError) return e; throw e; }
  throw new Error('expected a ProblemError');
}
const px = (img: RgbaImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const channelMeans = (img: RgbaImage) => {
  const s = [0, 0, 0];
  for (let i = 0; i < img.data.length; i += 4) { s[0] += img.data[i]; s[1] += img.data[i + 1]; s[2] += img.data[i + 2]; }
  return s.map((v) => v / (img.width * img.height));
};
const inverted = (img: RgbaImage): RgbaImage => ({ ...img, data: img.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)) });

describe('decodeImage: formats and colour models', () => {
  it('decodes a FairFace JPEG to 224×224 RGBA (pixel matches libjpeg-turbo / PIL)', async () => {
    const img = await decodeImage(fixture('face-1.jpg'));
    expect([img.width, img.height, img.data.length]).toEqual([224, 224, 224 * 224 * 4]);
    expect(px(img, 10, 10)).toEqual([3, 2, 0, 255]);
  });

  it('grayscale JPEG → RGB with R = G = B, close to the colour original', async () => {
    const gray = await decodeImage(fixture('face-6-gray.jpg'));
    for (let i = 0; i < gray.data.length; i += 4) {
      if (gray.data[i] !== gray.data[i + 1] || gray.data[i] !== gray.data[i + 2] || gray.data[i + 3] !== 255) throw new Error(`pixel ${i / 4} not opaque gray`);
    }
    const colour = await decodeImage(fixture('face-6.jpg'));
    const lumaMean = channelMeans(colour).reduce((a, v, i) => a + v * [0.299, 0.587, 0.114][i], 0);
    expect(Math.abs(channelMeans(gray)[0] - lumaMean)).toBeLessThan(3);
  });

  it('CMYK JPEG (Adobe, inverted) → RGB matching the RGB original', async () => {
    const { image, info } = await decodeImageWithInfo(fixture('face-4-cmyk.jpg'));
    expect(info).toMatchObject({ colorModel: 'cmyk', adobeTransform: 0 });
    const original = await decodeImage(fixture('face-4.jpg'));
    const diff = meanAbsDiff(image.data, original.data);
    expect(diff).toBeLessThan(4); // two JPEG generations apart
    expect(meanAbsDiff(inverted(image).data, original.data)).toBeGreaterThan(60); // the wrong polarity is far off
    const means = channelMeans(image);
    [175.97, 133.76, 111.28].forEach((m, i) => expect(Math.abs(means[i] - m)).toBeLessThan(1.5)); // PIL's CMYK→RGB of this file
  });

  it('CMYK JPEG without an Adobe marker is read as plain (non-inverted) CMYK', async () => {
    const b = fixture('face-4-cmyk.jpg');
    expect([b[2], b[3]]).toEqual([0xff, 0xee]); // APP14 comes first in this fixture
    const stripped = new Uint8Array([0xff, 0xd8, ...b.subarray(4 + ((b[4] << 8) | b[5]))]);
    const { image, info } = await decodeImageWithInfo(stripped);
    expect(info.adobeTransform).toBeNull();
    // The samples are really inverted with K stored as 255 (PIL writes K = 0): read as plain CMYK that is
    // full black ink, so the image comes out black; the Adobe path above gives the face.
    channelMeans(image).forEach((m) => expect(m).toBeLessThan(2));
  });

  it('YCCK JPEG (Adobe transform 2) goes through libjpeg YCCK→CMYK and matches PIL', async () => {
    const b = fixture('face-4-cmyk.jpg').slice();
    b[Buffer.from(b).indexOf('Adobe') + 11] = 2; // reinterpret the stored components as Y, Cb, Cr, K
    const { image, info } = await decodeImageWithInfo(b);
    expect(info.colorModel).toBe('ycck');
    const means = channelMeans(image);
    [96.78, 69.06, 77.33].forEach((m, i) => expect(Math.abs(means[i] - m)).toBeLessThan(1.5)); // PIL (libjpeg + CMYK→RGB) on the same bytes
  });

  it('PNG with alpha keeps alpha; flattenAlpha composites over white', async () => {
    const img = await decodeImage(fixture('face-7-alpha.png'));
    expect(px(img, 0, 100)[3]).toBe(0); // outside the ellipse
    expect(px(img, 112, 112)[3]).toBe(255);
    expect(px(img, 112, 2)[3]).toBe(128); // half-transparent strip
    const flat = flattenAlpha(img);
    expect(px(flat, 0, 100)).toEqual([255, 255, 255, 255]);
    expect(px(flat, 112, 112)).toEqual(px(img, 112, 112));
    const [r, , , a] = px(img, 112, 2);
    expect(px(flat, 112, 2)[0]).toBe(Math.round((r * a + 255 * (255 - a)) / 255));
    const rgb = toRgb(img);
    expect(rgb.data.length).toBe(224 * 224 * 3);
    expect(Array.from(rgb.data.subarray((100 * 224) * 3, (100 * 224) * 3 + 3))).toEqual([255, 255, 255]);
  });

  it('PNG gray+alpha, palette+tRNS and 16-bit gray come out as 8-bit RGBA', async () => {
    expect(px(await decodeImage(fixture('gray-alpha.png')), 3, 3)).toEqual([100, 100, 100, 50]);
    const pal = await decodeImage(fixture('palette-trns.png'));
    expect(px(pal, 2, 2)[3]).toBe(0);
    expect(px(pal, 12, 2)).toEqual([0, 0, 255, 255]);
    const g16 = px(await decodeImage(fixture('gray16.png')), 5, 5);
    expect(g16[0]).toBeGreaterThanOrEqual(155); // 40000 / 257 = 155.6
    expect(g16[0]).toBeLessThanOrEqual(156);
    expect(g16.slice(1)).toEqual([g16[0], g16[0], 255]);
  });

  it('WebP decodes close to the JPEG it was made from', async () => {
    const webp = await decodeImage(fixture('face-1.webp'));
    const jpeg = await decodeImage(fixture('face-1.jpg'));
    expect(meanAbsDiff(webp.data, jpeg.data)).toBeLessThan(5);
  });

  it('1×1 images round-trip through PNG and JPEG', async () => {
    const one: RgbaImage = { width: 1, height: 1, data: new Uint8ClampedArray([200, 100, 50, 255]) };
    expect(px(await decodeImage(await encodePng(one)), 0, 0)).toEqual([200, 100, 50, 255]);
    const j = await decodeImage(await encodeJpeg(one, 95));
    expect([j.width, j.height]).toEqual([1, 1]);
    px(j, 0, 0).slice(0, 3).forEach((v, i) => expect(Math.abs(v - [200, 100, 50][i])).toBeLessThan(8));
  });
});

describe('decodeImage: EXIF orientation', () => {
  it('the orientation-6 fixture comes out upright (matches the unrotated face)', async () => {
    const { image, info } = await decodeImageWithInfo(fixture('face-1-exif6.jpg'));
    expect(info.orientation).toBe(6);
    const upright = await decodeImage(fixture('face-1.jpg'));
    expect(meanAbsDiff(image.data, upright.data)).toBeLessThan(6);
    const ignoringExif = await decodeImage(withExifOrientation(fixture('face-1-exif6.jpg'), 1)); // first APP1 wins
    expect(meanAbsDiff(ignoringExif.data, upright.data)).toBeGreaterThan(20);
  });

  // Stored image 64×32: four solid 32×16 quadrants A B / C D. Each orientation's display layout is
  // written from the EXIF definition of where stored row 0 / column 0 end up.
  const A = [230, 30, 30], B = [30, 230, 30], C = [30, 30, 230], D = [230, 230, 30];
  const displays: Record<number, { size: [number, number]; grid: number[][][] }> = {
    1: { size: [64, 32], grid: [[A, B], [C, D]] },
    2: { size: [64, 32], grid: [[B, A], [D, C]] }, // row 0 top, col 0 right
    3: { size: [64, 32], grid: [[D, C], [B, A]] }, // row 0 bottom, col 0 right
    4: { size: [64, 32], grid: [[C, D], [A, B]] }, // row 0 bottom, col 0 left
    5: { size: [32, 64], grid: [[A, C], [B, D]] }, // row 0 left, col 0 top
    6: { size: [32, 64], grid: [[C, A], [D, B]] }, // row 0 right, col 0 top
    7: { size: [32, 64], grid: [[D, B], [C, A]] }, // row 0 right, col 0 bottom
    8: { size: [32, 64], grid: [[B, D], [A, C]] }, // row 0 left, col 0 bottom
  };
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i, big- and little-endian EXIF', async (o) => {
    const stored: RgbaImage = { width: 64, height: 32, data: new Uint8ClampedArray(64 * 32 * 4) };
    for (let y = 0; y < 32; y++) for (let x = 0; x < 64; x++) {
      const colour = [[A, B], [C, D]][y < 16 ? 0 : 1][x < 32 ? 0 : 1];
      stored.data.set([...colour, 255], (y * 64 + x) * 4);
    }
    const jpeg = await encodeJpeg(stored, 95);
    for (const little of [true, false]) {
      const img = await decodeImage(withExifOrientation(jpeg, o, little));
      const { size, grid } = displays[o];
      expect([img.width, img.height]).toEqual(size);
      for (const [gy, row] of grid.entries()) for (const [gx, colour] of row.entries()) {
        const x = Math.floor((gx + 0.5) * img.width / 2), y = Math.floor((gy + 0.5) * img.height / 2);
        px(img, x, y).slice(0, 3).forEach((v, i) => expect(Math.abs(v - colour[i])).toBeLessThan(12));
      }
    }
  });
});

describe('decodeImage: refusals', () => {
  it('zero bytes → 400 empty-image', async () => {
    expect(await problem(decodeImage(new Uint8Array(0)))).toMatchObject({ status: 400, code: 'empty-image' });
  });

  it('wrong magic → 415; GIF/BMP/TIFF/animated GIF → 415 (no GIF codec is bundled)', async () => {
    expect(await problem(decodeImage(new TextEncoder().encode('%PDF-1.7 not an image')))).toMatchObject({ status: 415, code: 'unsupported-image-format' });
    for (const name of ['tiny.gif', 'animated.gif', 'tiny.bmp', 'tiny.tiff']) {
      expect(await problem(decodeImage(fixture(name)))).toMatchObject({ status: 415, code: 'unsupported-image-format' });
    }
  });

  it('animated PNG and animated WebP → 422 animated-image', async () => {
    for (const name of ['animated.png', 'animated.webp']) {
      const e = await problem(decodeImage(fixture(name)));
      expect(e).toMatchObject({ status: 422, code: 'animated-image' });
    }
  });

  it('a PNG whose IHDR claims 30000×30000 → 413 from the header alone (fast, no big allocation)', async () => {
    const bomb = pngWithHeader(30000, 30000, new Uint8Array(1000).fill(0xab)); // IDAT is garbage: a decode attempt would 422, not 413
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const e = await problem(decodeImage(bomb, { maxPixels: 25_000_000 }));
    const ms = performance.now() - t0;
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(e).toMatchObject({ status: 413, code: 'image-too-many-pixels', extensions: { width: 30000, height: 30000, maxPixels: 25_000_000 } });
    expect(ms).toBeLessThan(50);
    expect(grown).toBeLessThan(8 * 1024 * 1024); // a decode would need 3.6 GB
  });

  it('pixel budget is width × height from the header, inclusive', async () => {
    const face = fixture('face-1.jpg');
    await expect(decodeImage(face, { maxPixels: 224 * 224 })).resolves.toMatchObject({ width: 224 });
    expect(await problem(decodeImage(face, { maxPixels: 224 * 224 - 1 }))).toMatchObject({ status: 413 });
  });

  it('truncated JPEG / CMYK JPEG / PNG / WebP → 422 corrupt-image, and the codecs keep working afterwards', async () => {
    const cut = (name: string, keep: number) => { const b = fixture(name); return b.subarray(0, Math.floor(b.length * keep)); };
    for (const [name, keep] of [['face-1.jpg', 0.6], ['face-4-cmyk.jpg', 0.6], ['face-7-alpha.png', 0.5], ['face-1.webp', 0.5]] as const) {
      expect(await problem(decodeImage(cut(name, keep)))).toMatchObject({ status: 422, code: 'corrupt-image' });
    }
    expect(px(await decodeImage(fixture('face-1.jpg')), 10, 10)).toEqual([3, 2, 0, 255]);
    expect((await decodeImage(fixture('face-4-cmyk.jpg'))).width).toBe(224);
  });

  it('garbage after a valid header → 422', async () => {
    expect(await problem(decodeImage(pngWithHeader(4, 3, new Uint8Array(32).fill(7))))).toMatchObject({ status: 422 });
    const jpeg = fixture('face-1.jpg').slice();
    const sos = Buffer.from(jpeg).indexOf(Buffer.from([0xff, 0xda]));
    jpeg.fill(0xff, sos - 200, sos); // wipe the Huffman tables before the scan
    expect(await problem(decodeImage(jpeg))).toMatchObject({ status: 422 });
  });
});

describe('decodeImage: maxDecodedPixels (analysis size)', () => {
  /** The full-size decode, area-averaged to `scale`: what a scaled decode should look like. */
  const reference = async (bytes: Uint8Array, scale: number) => downscaleArea(await decodeImage(bytes), scale);

  it('a JPEG over the budget is decoded at the largest M/8 that fits, matching the area-averaged full decode', async () => {
    // 224² = 50 176 px; 5/8 → 140² = 19 600 ≤ 20 000 < 6/8 → 168² = 28 224.
    const { image, scale } = await decodeImageWithInfo(fixture('face-1.jpg'), { maxDecodedPixels: 20_000 });
    expect(scale).toBe(5 / 8);
    expect([image.width, image.height]).toEqual([140, 140]);
    expect(meanAbsDiff(image.data, (await reference(fixture('face-1.jpg'), 5 / 8)).data)).toBeLessThan(2);
  });

  it('at or under the budget nothing changes (scale 1, identical pixels)', async () => {
    const full = await decodeImage(fixture('face-1.jpg'));
    const same = await decodeImageWithInfo(fixture('face-1.jpg'), { maxDecodedPixels: 224 * 224 });
    expect(same.scale).toBe(1);
    expect(same.image.data).toEqual(full.data);
  });

  it('gray, CMYK and EXIF-rotated JPEGs scale the same way (orientation applied after)', async () => {
    for (const name of ['face-6-gray.jpg', 'face-4-cmyk.jpg', 'face-1-exif6.jpg']) {
      const { image, scale } = await decodeImageWithInfo(fixture(name), { maxDecodedPixels: 10_000 });
      expect(scale, name).toBe(3 / 8); // 84² = 7 056 ≤ 10 000 < 112² = 12 544
      expect([image.width, image.height], name).toEqual([84, 84]);
      expect(meanAbsDiff(image.data, (await reference(fixture(name), 3 / 8)).data), name).toBeLessThan(2.5);
    }
  });

  it('PNG and WebP are decoded whole, then area-averaged to the budget', async () => {
    for (const name of ['face-7-alpha.png', 'face-1.webp']) {
      const { image, scale } = await decodeImageWithInfo(fixture(name), { maxDecodedPixels: 10_000 });
      expect(scale, name).toBeCloseTo(Math.sqrt(10_000 / 50_176), 12);
      expect(image.width * image.height, name).toBeLessThanOrEqual(10_100);
      expect(image.data, name).toEqual((await reference(fixture(name), scale)).data);
    }
  });

  it('a truncated JPEG is still 422 on the scaled path; a JPEG with data after its end marker still decodes', async () => {
    const jpeg = fixture('face-1.jpg');
    expect(await problem(decodeImage(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), { maxDecodedPixels: 20_000 })))
      .toMatchObject({ status: 422, code: 'corrupt-image' });
    const trailing = new Uint8Array(jpeg.length + 64);
    trailing.set(jpeg);
    expect((await decodeImage(trailing, { maxDecodedPixels: 20_000 })).width).toBe(140);
  });

  it('PNG and WebP over the analysis size must fit maxWholePixels (decoded whole); a JPEG of that size need not', async () => {
    for (const name of ['face-7-alpha.png', 'face-1.webp']) {
      expect(await problem(decodeImage(fixture(name), { maxDecodedPixels: 10_000, maxWholePixels: 50_000 })), name)
        .toMatchObject({ status: 413, code: 'image-too-many-pixels' });
      await expect(decodeImage(fixture(name), { maxDecodedPixels: 10_000, maxWholePixels: 50_176 })).resolves.toBeTruthy();
      await expect(decodeImage(fixture(name), { maxDecodedPixels: 60_000, maxWholePixels: 50_000 })).resolves.toMatchObject({ width: 224 });
    }
    await expect(decodeImage(fixture('face-1.jpg'), { maxDecodedPixels: 10_000, maxWholePixels: 50_000 })).resolves.toMatchObject({ width: 84 });
  });

  it('a progressive JPEG over the analysis size must fit the whole-decode byte budget with its DCT coefficients; baseline need not', async () => {
    const face = await decodeImage(fixture('face-1.jpg'));
    const progressive = await encodeJpeg(face, 90, { progressive: true });
    const { info } = await decodeImageWithInfo(progressive);
    // MozJPEG keeps 4:4:4 at q90: 3 components × 28 × 28 blocks × 64 coefficients × 2 B
    expect(info).toMatchObject({ progressive: true, dctCoefficientBytes: 301_056 });
    expect(await problem(decodeImage(progressive, { maxDecodedPixels: 20_000, maxWholePixels: 37_000 }))) // budget 8 × 37 000 = 296 000 B
      .toMatchObject({ status: 413, code: 'image-too-many-pixels' });
    await expect(decodeImage(progressive, { maxDecodedPixels: 20_000, maxWholePixels: 38_000 })).resolves.toMatchObject({ width: 140 });
    await expect(decodeImage(progressive, { maxDecodedPixels: 60_000, maxWholePixels: 1 })).resolves.toMatchObject({ width: 224 });
    const baseline = await encodeJpeg(face, 90);
    await expect(decodeImage(baseline, { maxDecodedPixels: 20_000, maxWholePixels: 1 })).resolves.toMatchObject({ width: 140 });
  });

  it('the pixel limit still applies to the stored size, before any scaling', async () => {
    expect(await problem(decodeImage(fixture('face-1.jpg'), { maxPixels: 40_000, maxDecodedPixels: 20_000 }))).toMatchObject({ status: 413 });
  });
});
