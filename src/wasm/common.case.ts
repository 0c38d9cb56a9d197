/**
 * Known-answer cases run against every `Kernels` implementation (wasm SIMD and TS reference).
 * @example runKernelCases(wasmKernels)
 */
import { describe, expect, it } from 'vitest';
import { composeAffine, IDENTITY_AFFINE, invertAffine, type Affine } from '../pipeline/align';
import type { RgbaImage } from '../pipeline/types';
import { HEAT_PALETTE } from './kernel-math';
import { testImage, testMask } from './test-images';
import type { Kernels } from './types';

const px = (img: RgbaImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

export function runKernelCases(k: Kernels): void {
  describe(`kernels (${k.name})`, () => {
    const img = testImage(37, 29, 3);

    it('identity warp is an exact copy (both borders)', () => {
      expect(k.warpAffine(img, IDENTITY_AFFINE, 37, 29).data).toEqual(img.data);
      expect(k.warpAffine(img, IDENTITY_AFFINE, 37, 29, { border: 'replicate' }).data).toEqual(img.data);
    });

    it('90° rotation moves pixels exactly', () => {
      const rot: Affine = [0, 1, 0, -1, 0, img.height]; // out (x, y) <- src (col y, row H-1-x)
      const out = k.warpAffine(img, rot, img.height, img.width);
      for (const [x, y] of [[0, 0], [5, 7], [28, 36], [13, 2]]) expect(px(out, x, y)).toEqual(px(img, y, img.height - 1 - x));
    });

    it('integer shift: zero vs replicate border; half-pixel shift averages', () => {
      const shift: Affine = [1, 0, 3, 0, 1, 0]; // out x <- src x + 3
      const zero = k.warpAffine(img, shift, 37, 29), rep = k.warpAffine(img, shift, 37, 29, { border: 'replicate' });
      expect(px(zero, 0, 4)).toEqual(px(img, 3, 4));
      expect(px(zero, 35, 4)).toEqual([0, 0, 0, 0]);
      expect(px(rep, 35, 4)).toEqual(px(img, 36, 4));
      const half = k.warpAffine(img, [1, 0, 0.5, 0, 1, 0], 37, 29);
      const a = px(img, 10, 5), b = px(img, 11, 5);
      expect(px(half, 10, 5)).toEqual(a.map((v, c) => Math.floor((v + b[c]) / 2 + 0.5)));
    });

    it('warpToTensor: identity equals rgbaToTensor; layouts, order and mean/std', () => {
      const opts = { mean: [0.5, 0.4, 0.3], std: [0.5, 0.25, 0.2] } as const;
      const a = k.warpToTensor(img, IDENTITY_AFFINE, 37, 29, opts), b = k.rgbaToTensor(img, opts);
      expect(Array.from(a)).toEqual(Array.from(b));
      const n = 37 * 29, i = 5 * 37 + 9, p = px(img, 9, 5);
      expect(a[i]).toBeCloseTo((p[0] / 255 - 0.5) / 0.5, 5);
      expect(a[n + i]).toBeCloseTo((p[1] / 255 - 0.4) / 0.25, 5);
      expect(a[2 * n + i]).toBeCloseTo((p[2] / 255 - 0.3) / 0.2, 5);
      const hwc = k.rgbaToTensor(img, { layout: 'nhwc', channelOrder: 'bgr' });
      expect(hwc.length).toBe(3 * n);
      expect(hwc[i * 3]).toBeCloseTo(p[2] / 255, 6);
      expect(hwc[i * 3 + 2]).toBeCloseTo(p[0] / 255, 6);
      const last = px(img, 36, 28);
      const tail = Array.from(hwc.subarray(3 * n - 3));
      [last[2], last[1], last[0]].forEach((v, c) => expect(tail[c]).toBeCloseTo(v / 255, 6));
    });

    it('pasteBack: identity crop with mask 1 restores the crop; mask 0 keeps dst', () => {
      const crop = testImage(37, 29, 9);
      const ones = new Float32Array(37 * 29).fill(1);
      expect(k.pasteBack(img, crop, ones, IDENTITY_AFFINE).data).toEqual(crop.data);
      expect(k.pasteBack(img, crop, new Float32Array(37 * 29), IDENTITY_AFFINE).data).toEqual(img.data);
      const before = img.data.slice();
      k.pasteBack(img, crop, ones, IDENTITY_AFFINE);
      expect(img.data).toEqual(before); // inputs untouched
    });

    it('pasteBack: translated crop lands in place, the rest is untouched', () => {
      const small = testImage(8, 6, 4);
      const out = k.pasteBack(img, small, new Float32Array(48).fill(1), [1, 0, 10, 0, 1, 5]);
      expect(px(out, 10, 5)).toEqual(px(small, 0, 0));
      expect(px(out, 17, 10)).toEqual(px(small, 7, 5));
      expect(px(out, 18, 10)).toEqual(px(img, 18, 10));
      expect(px(out, 9, 5)).toEqual(px(img, 9, 5));
      const half = k.pasteBack(img, small, new Float32Array(48).fill(0.5), [1, 0, 10, 0, 1, 5]);
      const a = px(img, 12, 7), b = px(small, 2, 2);
      expect(px(half, 12, 7)).toEqual(a.map((v, c) => Math.floor(v + 0.5 * (b[c] - v) + 0.5)));
    });

    it('warp to a crop and paste it back through the inverse restores the image inside', () => {
      const big = testImage(64, 64, 5);
      const cropToImage: Affine = composeAffine([1, 0, 32, 0, 1, 32], composeAffine([0, -1, 0, 1, 0, 0], [1, 0, -16, 0, 1, -16]));
      const crop = k.warpAffine(big, cropToImage, 32, 32);
      expect(invertAffine(cropToImage)).toHaveLength(6);
      const back = k.pasteBack(testImage(64, 64, 6), crop, new Float32Array(32 * 32).fill(1), cropToImage);
      for (let y = 17; y < 47; y++) for (let x = 17; x < 47; x++) expect(px(back, x, y)).toEqual(px(big, x, y));
    });

    it('featherMask keeps constants, spreads a step symmetrically, σ=0 is identity', () => {
      const c = k.featherMask(new Float32Array(20 * 10).fill(0.7), 20, 10, 2);
      for (const v of c) expect(v).toBeCloseTo(0.7, 5);
      const step = new Float32Array(21 * 9).map((_, i) => (i % 21 < 10 ? 1 : i % 21 === 10 ? 0.5 : 0));
      const f = k.featherMask(step, 21, 9, 1.5);
      for (let d = 1; d < 8; d++) expect(f[4 * 21 + 10 - d] + f[4 * 21 + 10 + d]).toBeCloseTo(1, 5);
      expect(f[4 * 21 + 8]).toBeGreaterThan(0.7);
      expect(f[4 * 21 + 8]).toBeLessThan(1);
      const m = testMask(13, 11);
      expect(Array.from(k.featherMask(m, 13, 11, 0))).toEqual(Array.from(m));
    });

    it('erodeDilate grows and shrinks a square by k px', () => {
      const m = new Float32Array(15 * 13);
      m[6 * 15 + 7] = 1;
      const d = k.erodeDilate(m, 15, 13, 2);
      expect(sum(d)).toBe(25);
      expect(d[4 * 15 + 5]).toBe(1);
      expect(d[8 * 15 + 9]).toBe(1);
      expect(d[3 * 15 + 7]).toBe(0);
      const e = k.erodeDilate(d, 15, 13, -2);
      expect(Array.from(e)).toEqual(Array.from(m));
    });

    it('fillPolygon: hard square is exact, AA triangle has the right area, winding does not matter', () => {
      const sq = k.fillPolygon(30, 30, [[10, 10], [20, 10], [20, 20], [10, 20]], { antialias: false });
      expect(sum(sq)).toBe(100);
      expect(sq[10 * 30 + 10]).toBe(1);
      expect(sq[9 * 30 + 10]).toBe(0);
      const tri = [[3.2, 4.1], [27.5, 8.3], [12.7, 26.6]] as [number, number][];
      const a = k.fillPolygon(30, 30, tri), b = k.fillPolygon(30, 30, [...tri].reverse());
      expect(Array.from(a)).toEqual(Array.from(b));
      const area = Math.abs((27.5 - 3.2) * (26.6 - 4.1) - (12.7 - 3.2) * (8.3 - 4.1)) / 2;
      expect(Math.abs(sum(a) - area) / area).toBeLessThan(0.02);
      expect(sum(k.fillPolygon(10, 10, [[1, 1], [5, 5]]))).toBe(0);
    });

    it('alphaBlend: mask 1 → foreground, 0 → background, ½ → mean; boundary = 4m(1−m)', () => {
      const fg = testImage(37, 29, 11);
      const mask = new Float32Array(37 * 29).map((_, i) => (i % 3) / 2);
      const { image, boundary } = k.alphaBlend(fg, img, mask);
      for (const i of [0, 1, 2, 300, 301, 302]) {
        const m = (i % 3) / 2, f = px(fg, i % 37, Math.floor(i / 37)), b = px(img, i % 37, Math.floor(i / 37));
        expect(px(image, i % 37, Math.floor(i / 37))).toEqual(b.map((v, c) => Math.floor(v + m * (f[c] - v) + 0.5)));
        expect(boundary[i]).toBeCloseTo(4 * m * (1 - m), 6);
      }
    });

    it('colorTransfer: self-transfer and strength 0 are identity; statistics move towards the reference', () => {
      const src = testImage(40, 30, 12, true);
      const maxDiff = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      expect(maxDiff(k.colorTransfer(src, src).data, src.data)).toBeLessThanOrEqual(1);
      const red: RgbaImage = { ...src, data: src.data.map((v, i) => (i % 4 === 0 ? 200 + (v % 40) : i % 4 === 3 ? 255 : 40 + (v % 30))) };
      expect(maxDiff(k.colorTransfer(src, red, { strength: 0 }).data, src.data)).toBeLessThanOrEqual(1);
      const out = k.colorTransfer(src, red);
      const mean = (im: RgbaImage, c: number) => sum(im.data.filter((_, i) => i % 4 === c)) / (im.width * im.height);
      expect(mean(out, 0) - mean(out, 1)).toBeGreaterThan(100);
      expect(Math.abs(mean(out, 0) - mean(red, 0))).toBeLessThan(15);
      expect(out.data[3]).toBe(255);
    });

    it('xrayStats / xrayOverlay / xrayHeatmap known answers', () => {
      const map = new Float32Array(64).map((_, i) => (i < 16 ? 0.8 : 0.1));
      const st = k.xrayStats(map, 0.5);
      expect(st.peak).toBeCloseTo(0.8, 6);
      expect(st.mean).toBeCloseTo((16 * 0.8 + 48 * 0.1) / 64, 6);
      expect(st.fractionAbove).toBe(0.25);
      const untouched = k.xrayOverlay(img, new Float32Array(64), 8, 8, [2, 0, 5, 0, 2, 5]);
      expect(untouched.image.data).toEqual(img.data);
      expect(untouched.stats.peak).toBe(0);
      const full = k.xrayOverlay(img, new Float32Array(64).fill(1), 8, 8, [2, 0, 5, 0, 2, 5], { opacity: 1, threshold: 0.5 });
      expect(px(full.image, 5, 5)).toEqual(Array.from(HEAT_PALETTE.subarray(1020, 1024)));
      expect(px(full.image, 20, 20)).toEqual(Array.from(HEAT_PALETTE.subarray(1020, 1024)));
      expect(px(full.image, 21, 20)).toEqual(px(img, 21, 20));
      expect(px(full.image, 4, 5)).toEqual(px(img, 4, 5));
      const heat = k.xrayHeatmap(new Float32Array(16).fill(0.25), 4, 4, 9, 7, { normalize: true });
      expect(heat.width * heat.height).toBe(63);
      expect(px(heat, 8, 6)).toEqual(Array.from(HEAT_PALETTE.subarray(1020, 1024)));
      const raw = k.xrayHeatmap(new Float32Array(16).fill(0), 4, 4, 3, 3);
      expect(px(raw, 1, 1)).toEqual(Array.from(HEAT_PALETTE.subarray(0, 4)));
    });

    it('warpTriangles: identical point sets copy the image inside the hull, transparent outside', () => {
      const pts: [number, number][] = [[4.2, 3.1], [33.7, 5.4], [30.3, 26.2], [6.6, 24.8], [18.9, 14.3]];
      const tris = [[0, 1, 4], [1, 2, 4], [2, 3, 4], [3, 0, 4]] as const;
      const out = k.warpTriangles(img, pts, pts, tris, 37, 29);
      const copy = k.warpAffine(img, IDENTITY_AFFINE, 37, 29);
      let inside = 0;
      for (let y = 0; y < 29; y++) {
        for (let x = 0; x < 37; x++) {
          const hull = k.fillPolygon(37, 29, [pts[0], pts[1], pts[2], pts[3]], { antialias: false })[y * 37 + x];
          if (hull === 1) {
            inside++;
            expect(px(out, x, y)).toEqual(px(copy, x, y));
          }
          if (x === 0 || y === 0 || x === 36 || y === 28) expect(px(out, x, y)).toEqual([0, 0, 0, 0]);
        }
      }
      expect(inside).toBeGreaterThan(500);
    });

    it('warpTriangles: one triangle with a known affine equals warpAffine inside it; no cracks on shared edges', () => {
      const m: Affine = [0.8, 0.25, 3.5, -0.2, 0.9, 6.25];
      const dst: [number, number][] = [[2, 2], [35, 2], [35, 27], [2, 27]];
      const src = dst.map(([x, y]) => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]] as [number, number]);
      const out = k.warpTriangles(img, src, dst, [[0, 1, 2], [0, 2, 3]], 37, 29);
      const ref = k.warpAffine(img, m, 37, 29);
      for (let y = 2; y < 27; y++) for (let x = 2; x < 35; x++) {
        const a = px(out, x, y), b = px(ref, x, y);
        a.forEach((v, c) => expect(Math.abs(v - b[c])).toBeLessThanOrEqual(1)); // fixed-point stepping starts per span
      }
      expect(px(out, 1, 10)).toEqual([0, 0, 0, 0]);
      expect(px(out, 35, 10)).toEqual([0, 0, 0, 0]);
      // a pure translation by whole pixels moves pixels exactly
      const shifted = dst.map(([x, y]) => [x + 1, y + 2] as [number, number]);
      const moved = k.warpTriangles(img, shifted, dst, [[0, 1, 2], [0, 2, 3]], 37, 29);
      for (const [x, y] of [[2, 2], [20, 14], [34, 26], [10, 20]]) expect(px(moved, x, y)).toEqual(px(img, x + 1, y + 2));
    });

    it('warpTriangles: degenerate triangles are skipped, bad input is rejected', () => {
      const pts: [number, number][] = [[1, 1], [20, 1], [10, 1]];
      expect(sum(k.warpTriangles(img, pts, pts, [[0, 1, 2]], 37, 29).data)).toBe(0);
      expect(() => k.warpTriangles(img, pts, pts, [[0, 1, 5]], 37, 29)).toThrow(RangeError);
      expect(() => k.warpTriangles(img, pts, pts.slice(1), [[0, 1, 2]], 37, 29)).toThrow(RangeError);
      expect(() => k.warpTriangles(img, [[0, 0], [1e12, 0], [0, 1]], [[0, 0], [30, 0], [0, 20]], [[0, 1, 2]], 37, 29)).toThrow(RangeError);
    });

    it('rejects inconsistent sizes', () => {
      expect(() => k.warpAffine({ width: 4, height: 4, data: new Uint8ClampedArray(10) }, IDENTITY_AFFINE, 4, 4)).toThrow(RangeError);
      expect(() => k.featherMask(new Float32Array(5), 2, 2, 1)).toThrow(RangeError);
      expect(() => k.pasteBack(img, img, new Float32Array(3), IDENTITY_AFFINE)).toThrow(RangeError);
      expect(() => k.warpAffine(img, [1e9, 0, 0, 0, 1, 0], 4, 4)).toThrow(RangeError);
    });
  });
}
