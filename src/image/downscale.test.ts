import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../pipeline/types.js';
import { downscaleArea, scaledSize } from './downscale.js';

const image = (width: number, height: number, pixel: (x: number, y: number) => number[]): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
};

describe('downscaleArea', () => {
  it('averages each 2×2 block at scale 1/2', () => {
    const checker = image(4, 2, (x, y) => ((x + y) % 2 ? [200, 100, 0, 255] : [0, 50, 100, 255]));
    const half = downscaleArea(checker, 0.5);
    expect([half.width, half.height]).toEqual([2, 1]);
    expect(Array.from(half.data)).toEqual([100, 75, 50, 255, 100, 75, 50, 255]);
  });

  it('weights partly covered pixels by coverage (scale 2/3: outputs cover 1.5 inputs)', () => {
    const ramp = image(3, 1, (x) => [x * 90, 0, 0, 255]); // 0, 90, 180
    const out = downscaleArea(ramp, 2 / 3);
    expect(out.width).toBe(2);
    expect([out.data[0], out.data[4]]).toEqual([30, 150]); // (0 + 0.5·90)/1.5, (0.5·90 + 180)/1.5
  });

  it('keeps a flat image flat and its size is ⌈n·scale⌉; the last pixel may cover less', () => {
    const flat = image(101, 37, () => [12, 34, 56, 78]);
    const out = downscaleArea(flat, 0.3);
    expect([out.width, out.height]).toEqual([31, 12]);
    expect(scaledSize(101, 37, 0.3)).toEqual({ width: 31, height: 12 });
    for (let i = 0; i < out.data.length; i += 4) expect(Array.from(out.data.subarray(i, i + 4))).toEqual([12, 34, 56, 78]);
  });

  it('refuses scales outside (0, 1)', () => {
    const one = image(2, 2, () => [0, 0, 0, 255]);
    for (const s of [0, 1, 1.5, -0.5, Number.NaN]) expect(() => downscaleArea(one, s)).toThrow(RangeError);
  });
});
