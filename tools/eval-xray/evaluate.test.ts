import { describe, expect, it } from 'vitest';
import type { Point2, RgbaImage } from '../../src/pipeline/types.js';
import { evaluate, formatReport, maxOverFaces } from './evaluate.js';
import type { ImageEntry } from './inputs.js';

/** Each "image" is 1×1 whose red value encodes the score ×100; 255 = no face. */
const entry = (v: number): ImageEntry => ({ name: String(v), bytes: () => Uint8Array.of(v) });
const decode = async (b: Uint8Array): Promise<RgbaImage> => ({ width: 1, height: 1, data: Uint8ClampedArray.of(b[0], 0, 0, 255) });
const locate = async (img: RgbaImage): Promise<Point2[][]> => (img.data[0] === 255 ? [] : [[[img.data[0], 0]], [[img.data[0] / 2, 0]]]);
const score = async (_: RgbaImage, p: readonly Point2[]) => ({ score: p[0][0] / 100 });

describe('evaluate', () => {
  it('scores through the injected pipeline, counts no-face images as 0 and computes the metrics', async () => {
    const r = await evaluate({
      real: [10, 40, 255].map(entry), fake: [35, 80, 255].map(entry), scoreImage: maxOverFaces(locate, score), decode, threshold: 0.5,
    });
    // real 0.1 0.4 0 ; fake 0.35 0.8 0 → pairs: .35>.1,.35<.4,.35>0 | .8 > all | 0=0 tie, 0<.1, 0<.4 → (2+3+0.5)/9
    expect(r.scores).toEqual([0.1, 0.4, 0, 0.35, 0.8, 0]);
    expect(r.noFaceReal).toBe(1);
    expect(r.noFaceFake).toBe(1);
    expect(r.auc).toBeCloseTo(5.5 / 9, 12);
    expect(r.faceFound).toEqual([true, true, false, true, true, false]);
    expect(r.aucFaceFound).toBeCloseTo(3 / 4, 12); // real .1 .4 vs fake .35 .8
    expect(r.fprAtThreshold).toBe(0);
    expect(r.tprAtThreshold).toBeCloseTo(1 / 3, 12);
    expect(r.tprAtFpr1).toBeCloseTo(1 / 3, 12);
    const lines = formatReport(r);
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ real: 3, fake: 3, noFaceReal: 1, noFaceFake: 1, fprAtThreshold: 0 });
  });

  it('re-compresses both classes when asked', async () => {
    const seen: number[] = [];
    const r = await evaluate({
      real: [entry(10)], fake: [entry(90)], decode, threshold: 0.5,
      scoreImage: async (img) => img.data[0] / 100,
      jpeg: { quality: 50, encode: async (img, q) => { seen.push(q); return Uint8Array.of(img.data[0] + 1); } },
    });
    expect(seen).toEqual([50, 50]);
    expect(r.scores).toEqual([0.11, 0.91]);
    expect(r.auc).toBe(1);
  });
});
