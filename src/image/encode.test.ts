import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../pipeline/types.js';
import { decodeImage } from './decode.js';
import { encodeJpeg, encodePng } from './encode.js';
import { sniffImage } from './sniff.js';
import { meanAbsDiff } from './test-support.js';

const gradient = (w: number, h: number, alpha = (_x: number, _y: number) => 255): RgbaImage => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([(x * 255) / (w - 1), (y * 255) / (h - 1), 128, alpha(x, y)], (y * w + x) * 4);
  return { width: w, height: h, data };
};

describe('encodePng / encodeJpeg', () => {
  it('PNG is lossless, alpha included', async () => {
    const img = gradient(37, 23, (x) => (x * 7) % 256);
    const png = await encodePng(img);
    expect(sniffImage(png)).toMatchObject({ format: 'png', width: 37, height: 23, colorModel: 'rgba' });
    expect((await decodeImage(png)).data).toEqual(img.data);
  });

  it('JPEG is close to the source, and quality changes the size', async () => {
    const img = gradient(64, 48);
    const q90 = await encodeJpeg(img, 90);
    const q30 = await encodeJpeg(img, 30);
    expect(sniffImage(q90)).toMatchObject({ format: 'jpeg', width: 64, height: 48, progressive: false });
    expect(q30.length).toBeLessThan(q90.length);
    expect(meanAbsDiff((await decodeImage(q90)).data, img.data)).toBeLessThan(3);
  });

  it('JPEG composites transparency over white', async () => {
    const clear: RgbaImage = { width: 16, height: 16, data: new Uint8ClampedArray(16 * 16 * 4) }; // transparent black
    const out = await decodeImage(await encodeJpeg(clear, 95));
    expect(Math.min(...out.data)).toBeGreaterThan(245);
  });

  it('rejects bad input', async () => {
    await expect(encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(3) })).rejects.toThrow(RangeError);
    await expect(encodeJpeg(gradient(4, 4), 0)).rejects.toThrow(RangeError);
  });
});
