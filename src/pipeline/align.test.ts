import { describe, expect, it } from 'vitest';
import {
  ARCFACE_TEMPLATE_112, alignmentMatrix, applyAffine, arcfaceTemplate, composeAffine, estimateSimilarity, invertAffine, type Affine,
} from './align';
import type { Point2 } from './types';

const similarity = (scale: number, angle: number, tx: number, ty: number): Affine => {
  const c = scale * Math.cos(angle), s = scale * Math.sin(angle);
  return [c, -s, tx, s, c, ty];
};
const close = (a: readonly number[], b: readonly number[], digits = 9) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

describe('align', () => {
  it('Umeyama recovers a known similarity exactly from clean points', () => {
    const m = similarity(1.7, 0.4, 12.5, -3.25);
    const src = ARCFACE_TEMPLATE_112.map((p) => [p[0] * 3, p[1] * 3] as Point2);
    close(estimateSimilarity(src, src.map((p) => applyAffine(m, p))), m);
  });

  it('never returns a reflection, and is the least-squares fit under noise', () => {
    const src: Point2[] = [[0, 0], [10, 0], [0, 10], [7, 7]];
    const mirrored = src.map(([x, y]) => [-x, y] as Point2);
    const e = estimateSimilarity(src, mirrored);
    expect(e[0] * e[4] - e[1] * e[3]).toBeGreaterThanOrEqual(0);
    const m = similarity(0.8, -1.1, 5, 6);
    const noisy = src.map((p, i) => applyAffine(m, p).map((v, j) => v + (i + j) % 2 * 0.3 - 0.15) as Point2);
    const fit = estimateSimilarity(src, noisy);
    const err = (t: Affine) => src.reduce((s, p, i) => s + (applyAffine(t, p)[0] - noisy[i][0]) ** 2 + (applyAffine(t, p)[1] - noisy[i][1]) ** 2, 0);
    for (const d of [[1e-3, 0], [0, 1e-3]]) {
      const [da, db] = d;
      expect(err(fit)).toBeLessThan(err([fit[0] + da, fit[1] - db, fit[2], fit[3] + db, fit[4] + da, fit[5]]));
    }
  });

  it('invertAffine / composeAffine / applyAffine are consistent', () => {
    const m: Affine = [1.2, 0.3, -4, -0.2, 0.9, 7];
    close(composeAffine(invertAffine(m), m), [1, 0, 0, 0, 1, 0]);
    const p: Point2 = [3.5, -2];
    close(applyAffine(composeAffine(m, [2, 0, 1, 0, 2, 1]), p), applyAffine(m, [8, -3]));
    expect(() => invertAffine([1, 2, 0, 2, 4, 0])).toThrow(RangeError);
  });

  it('alignmentMatrix maps keypoints onto the scaled template (OpenCV pixel centres)', () => {
    const m = similarity(2.3, 0.2, 300, 180);
    const kps = ARCFACE_TEMPLATE_112.map((p) => applyAffine(invertAffine(similarity(1 / 2.3 * 112 / 112, 0, 0, 0)), p))
      .map((p) => applyAffine(m, p));
    const { imageToCrop, cropToImage } = alignmentMatrix(kps, 224);
    const t = arcfaceTemplate(224);
    kps.forEach((p, i) => close(applyAffine(imageToCrop, [p[0] + 0.5, p[1] + 0.5]), [t[i][0] + 0.5, t[i][1] + 0.5], 6));
    close(composeAffine(cropToImage, imageToCrop), [1, 0, 0, 0, 1, 0]);
    expect(t[0][0]).toBeCloseTo(38.2946 * 2, 9);
  });
});
