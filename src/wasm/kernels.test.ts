import { describe, expect, it } from 'vitest';
import { alignmentMatrix, composeAffine, type Affine } from '../pipeline/align';
import type { Point2, RgbaImage } from '../pipeline/types';
import { runKernelCases } from './common.case';
import { kernels, referenceKernels, wasmKernels } from './kernels';
import { testImage, testMask } from './test-images';

runKernelCases(wasmKernels);
runKernelCases(referenceKernels);

/** Max |a - b| on uint8 and the fraction of values that differ at all. */
function compareBytes(a: RgbaImage, b: RgbaImage) {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let max = 0, diff = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    if (d > max) max = d;
    if (d) diff++;
  }
  return { max, fraction: diff / a.data.length };
}

function expectBytesAgree(a: RgbaImage, b: RgbaImage): void {
  const { max, fraction } = compareBytes(a, b);
  expect(max).toBeLessThanOrEqual(1);
  // f32 (wasm) vs f64 (reference) only flips exact .5 ties, which simple matrices make common.
  expect(fraction).toBeLessThan(0.05);
}

function expectFloatsAgree(a: Float32Array, b: Float32Array, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('wasm SIMD kernels agree with the TS reference', () => {
  const w = wasmKernels, r = referenceKernels;
  const image = testImage(320, 240, 21);
  const keypoints: Point2[] = [[130.2, 101.7], [188.9, 97.3], [160.4, 131.8], [139.5, 162.2], [183.1, 158.9]];
  const { cropToImage } = alignmentMatrix(keypoints, 96);

  it('uses the wasm implementation by default', () => {
    expect(kernels.name).toBe('wasm-simd');
  });

  it('warpAffine (rotated/scaled crop, both borders, crop hanging off the image)', () => {
    expectBytesAgree(w.warpAffine(image, cropToImage, 96, 96), r.warpAffine(image, cropToImage, 96, 96));
    const off: Affine = composeAffine([1, 0, -60, 0, 1, -40], [1.7, 0.3, 0, -0.3, 1.7, 0]);
    for (const border of ['zero', 'replicate'] as const) {
      expectBytesAgree(w.warpAffine(image, off, 200, 150, { border }), r.warpAffine(image, off, 200, 150, { border }));
    }
  });

  it('warpToTensor and rgbaToTensor (NCHW/NHWC, BGR, mean/std)', () => {
    const opts = [
      { layout: 'nchw', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
      { layout: 'nhwc', channelOrder: 'bgr', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], border: 'replicate' },
    ] as const;
    for (const o of opts) {
      expectFloatsAgree(w.warpToTensor(image, cropToImage, 96, 96, o), r.warpToTensor(image, cropToImage, 96, 96, o));
      expectFloatsAgree(w.rgbaToTensor(image, o), r.rgbaToTensor(image, o));
    }
  });

  it('pasteBack of a rotated crop with a soft mask', () => {
    const crop = testImage(96, 96, 22);
    const mask = testMask(96, 96);
    expectBytesAgree(w.pasteBack(image, crop, mask, cropToImage), r.pasteBack(image, crop, mask, cropToImage));
    const huge: Affine = [3, 0.5, -40, -0.5, 3, -20]; // partly outside the image
    expectBytesAgree(w.pasteBack(image, crop, mask, huge), r.pasteBack(image, crop, mask, huge));
  });

  it('featherMask, erodeDilate, fillPolygon (odd sizes exercise the SIMD tails)', () => {
    const m = testMask(67, 45);
    for (const sigma of [0.8, 3.3]) expectFloatsAgree(w.featherMask(m, 67, 45, sigma), r.featherMask(m, 67, 45, sigma));
    for (const k of [3, -2]) expectFloatsAgree(w.erodeDilate(m, 67, 45, k), r.erodeDilate(m, 67, 45, k), 0);
    const hull: Point2[] = [[10.3, 5.2], [50.1, 8.7], [60.2, 30.4], [33.3, 42.9], [8.8, 25.5]];
    for (const antialias of [true, false]) {
      const a = w.fillPolygon(67, 45, hull, { antialias }), b = r.fillPolygon(67, 45, hull, { antialias });
      expectFloatsAgree(a, b, antialias ? 1e-4 : 0);
    }
  });

  it('alphaBlend', () => {
    const fg = testImage(320, 240, 23), mask = testMask(320, 240);
    const a = w.alphaBlend(fg, image, mask), b = r.alphaBlend(fg, image, mask);
    expectBytesAgree(a.image, b.image);
    expectFloatsAgree(a.boundary, b.boundary, 1e-6);
  });

  it('colorTransfer with masks and partial strength', () => {
    const src = testImage(120, 90, 24, true), ref = testImage(100, 80, 25, true);
    const options = { sourceMask: testMask(120, 90), referenceMask: testMask(100, 80, 3), strength: 0.8 };
    expectBytesAgree(w.colorTransfer(src, ref, options), r.colorTransfer(src, ref, options));
    expectBytesAgree(w.colorTransfer(src, ref), r.colorTransfer(src, ref));
  });

  it('xrayStats, xrayOverlay (rotated box, normalised), xrayHeatmap', () => {
    const map = testMask(64, 64, 7).map((v, i) => v * (0.3 + 0.5 * ((i * 7919) % 13) / 13));
    const toImage = composeAffine(cropToImage, [1.5, 0, 0, 0, 1.5, 0]);
    const sa = w.xrayStats(map, 0.3), sb = r.xrayStats(map, 0.3);
    expect(sa.fractionAbove).toBe(sb.fractionAbove);
    expect(sa.peak).toBeCloseTo(sb.peak, 6);
    expect(sa.mean).toBeCloseTo(sb.mean, 5);
    for (const normalize of [false, true]) {
      const a = w.xrayOverlay(image, map, 64, 64, toImage, { normalize, threshold: 0.3 });
      const b = r.xrayOverlay(image, map, 64, 64, toImage, { normalize, threshold: 0.3 });
      expectBytesAgree(a.image, b.image);
      expect(compareBytes(a.image, image).max).toBeGreaterThan(50); // the overlay did something
    }
    expectBytesAgree(w.xrayHeatmap(map, 64, 64, 100, 80, { normalize: true }), r.xrayHeatmap(map, 64, 64, 100, 80, { normalize: true }));
  });

  it('warpTriangles (a fan of sheared triangles, partly outside source and output)', () => {
    const centre: Point2 = [160.3, 118.7];
    const dst: Point2[] = [centre, ...Array.from({ length: 14 }, (_, i) => [centre[0] + 150 * Math.cos(i * 0.45), centre[1] + 130 * Math.sin(i * 0.45)] as Point2)];
    const src = dst.map(([x, y], i) => [0.9 * x + 0.15 * y - 20 + 7 * Math.sin(i), -0.1 * x + 1.1 * y + 15 + 5 * Math.cos(i)] as Point2);
    const tris = Array.from({ length: 13 }, (_, i) => [0, i + 1, i + 2] as const);
    const a = w.warpTriangles(image, src, dst, tris, 320, 240), b = r.warpTriangles(image, src, dst, tris, 320, 240);
    expectBytesAgree(a, b);
    let covered = 0;
    for (let i = 3; i < a.data.length; i += 4) if (a.data[i] > 0) covered++;
    expect(covered).toBeGreaterThan(20000);
    expect(covered).toBeLessThan(320 * 240);
  });

  it('grows wasm memory for large images and stays correct afterwards', () => {
    const big = testImage(900, 700, 26);
    const m: Affine = [0.9, 0.1, 12, -0.1, 0.9, 30];
    expectBytesAgree(w.warpAffine(big, m, 640, 480), r.warpAffine(big, m, 640, 480));
    const small = testImage(17, 13, 27);
    expect(w.warpAffine(small, [1, 0, 0, 0, 1, 0], 17, 13).data).toEqual(small.data);
  });
});
