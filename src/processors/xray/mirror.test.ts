import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/index.js';
import { decodeImage } from '../../image/index.js';
import { findFaces } from '../../pipeline/faces.js';
import type { Point2, RgbaImage } from '../../pipeline/types.js';
import xrayCard from '../../../models/xray.card.json';
import { XRAY } from '../../models.js';
import { XRAY_MAP, landmarks68, mirrorPlanes, xrayFace } from './index.js';

function mirrorImage(image: RgbaImage): RgbaImage {
  const { width: w, height: h } = image;
  const data = new Uint8ClampedArray(image.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    data.set(image.data.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), (y * w + (w - 1 - x)) * 4);
  }
  return { width: w, height: h, data };
}

describe('X-ray mirror averaging', () => {
  it('mirrorPlanes reverses every row of every plane and undoes itself', () => {
    const t = Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => i);
    expect([...mirrorPlanes(t, 3)]).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 17, 16, 15]);
    expect(mirrorPlanes(mirrorPlanes(t, 3), 3)).toEqual(t);
  });

  it('follows the card, and when on makes the score of a face and of its mirror image agree', async () => {
    expect(XRAY.mirrorAverage).toBe(xrayCard.inference.mirrorAverage);
    const image = await decodeImage(fixture('face-1.jpg'));
    const points = landmarks68((await findFaces(image)).faces[0]);
    const mirrored = mirrorImage(image);
    // The same landmarks, mirrored, and re-labelled left ↔ right does not matter: the crop uses their bounding box.
    const mirroredPoints = points.map(([x, y]) => [image.width - x, y] as Point2);
    const a = await xrayFace(image, points, { mirrorAverage: true });
    const b = await xrayFace(mirrored, mirroredPoints, { mirrorAverage: true });
    expect(Math.abs(a.logit - b.logit)).toBeLessThan(0.05);
    let diff = 0;
    for (let y = 0; y < XRAY_MAP; y++) for (let x = 0; x < XRAY_MAP; x++) {
      diff = Math.max(diff, Math.abs(a.boundary[y * XRAY_MAP + x] - b.boundary[y * XRAY_MAP + XRAY_MAP - 1 - x]));
    }
    expect(diff).toBeLessThan(0.02);
  });
});
