import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../pipeline/types.js';
import type { Orientation } from './exif.js';
import { applyOrientation } from './orientation.js';

// Stored 3×2 image, pixel ids 0..5:  0 1 2 / 3 4 5. Expected display images written by hand from the
// EXIF tag definition (where stored row 0 and column 0 are shown).
const expected: Record<Orientation, number[][]> = {
  1: [[0, 1, 2], [3, 4, 5]],
  2: [[2, 1, 0], [5, 4, 3]], // row 0 top, column 0 right
  3: [[5, 4, 3], [2, 1, 0]], // row 0 bottom, column 0 right
  4: [[3, 4, 5], [0, 1, 2]], // row 0 bottom, column 0 left
  5: [[0, 3], [1, 4], [2, 5]], // row 0 left, column 0 top
  6: [[3, 0], [4, 1], [5, 2]], // row 0 right, column 0 top (90° clockwise)
  7: [[5, 2], [4, 1], [3, 0]], // row 0 right, column 0 bottom
  8: [[2, 5], [1, 4], [0, 3]], // row 0 left, column 0 bottom (90° counter-clockwise)
};

const stored: RgbaImage = { width: 3, height: 2, data: new Uint8ClampedArray([0, 1, 2, 3, 4, 5].flatMap((id) => [id, 10 + id, 20 + id, 255])) };

describe('applyOrientation', () => {
  it.each(Object.keys(expected).map(Number) as Orientation[])('orientation %i', (o) => {
    const out = applyOrientation(stored, o);
    const rows = expected[o];
    expect([out.width, out.height]).toEqual([rows[0].length, rows.length]);
    const ids = [];
    for (let i = 0; i < out.data.length; i += 4) {
      expect([out.data[i + 1], out.data[i + 2], out.data[i + 3]]).toEqual([10 + out.data[i], 20 + out.data[i], 255]); // whole pixels move
      ids.push(out.data[i]);
    }
    expect(ids).toEqual(rows.flat());
  });
  it('orientation 1 returns the same object; others leave the input untouched', () => {
    expect(applyOrientation(stored, 1)).toBe(stored);
    const copy = stored.data.slice();
    applyOrientation(stored, 6);
    expect(stored.data).toEqual(copy);
  });
});
