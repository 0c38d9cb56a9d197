import { describe, expect, it } from 'vitest';
import { rng } from '../wasm/test-images';
import { convexHull } from './blend/outline';
import { MEAN_FACE_68 } from './blend/mean-shape';
import { circumcircle, orient, triangulate, type Triangle } from './triangulate';
import type { Point2 } from './types';

const area = (pts: readonly Point2[], t: Triangle) => orient(pts[t[0]], pts[t[1]], pts[t[2]]) / 2;
const polygonArea = (poly: readonly Point2[]) => Math.abs(poly.reduce((s, p, i) => s + (p[0] * poly[(i + 1) % poly.length][1] - poly[(i + 1) % poly.length][0] * p[1]), 0)) / 2;

/** The three properties of a Delaunay triangulation of `pts`, checked independently of the algorithm. */
function expectDelaunay(pts: readonly Point2[], tris: readonly Triangle[]) {
  // every triangle has positive area (consistent orientation)
  for (const t of tris) expect(area(pts, t)).toBeGreaterThan(0);
  // areas add up to the hull area: with no overlaps (next check) this means the hull is covered
  const hullArea = polygonArea(convexHull(pts));
  const sum = tris.reduce((s, t) => s + area(pts, t), 0);
  expect(Math.abs(sum - hullArea) / hullArea).toBeLessThan(1e-9);
  // no overlaps: every interior edge is shared by exactly two triangles with opposite directions, hull edges by one
  const directed = new Set<string>();
  for (const [a, b, c] of tris) {
    for (const [u, v] of [[a, b], [b, c], [c, a]]) {
      expect(directed.has(`${u},${v}`)).toBe(false);
      directed.add(`${u},${v}`);
    }
  }
  // random probe points inside the hull fall in exactly one triangle
  const r = rng(5);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  let probes = 0;
  for (let k = 0; k < 400; k++) {
    const q: Point2 = [Math.min(...xs) + r() * (Math.max(...xs) - Math.min(...xs)), Math.min(...ys) + r() * (Math.max(...ys) - Math.min(...ys))];
    const hits = tris.filter(([a, b, c]) => orient(pts[a], pts[b], q) > 0 && orient(pts[b], pts[c], q) > 0 && orient(pts[c], pts[a], q) > 0).length;
    expect(hits).toBeLessThanOrEqual(1);
    probes += hits;
  }
  expect(probes).toBeGreaterThan(0);
  // empty circumcircles: no point strictly inside any triangle's circumcircle
  for (const t of tris) {
    const cc = circumcircle(pts[t[0]], pts[t[1]], pts[t[2]]);
    for (let i = 0; i < pts.length; i++) {
      if (t.includes(i)) continue;
      const d2 = (pts[i][0] - cc.x) ** 2 + (pts[i][1] - cc.y) ** 2;
      expect(d2).toBeGreaterThanOrEqual(cc.r2 * (1 - 1e-9));
    }
  }
}

describe('triangulate (Bowyer–Watson Delaunay)', () => {
  it('two triangles for a square, none for too few or collinear points', () => {
    const sq: Point2[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
    const tris = triangulate(sq);
    expect(tris).toHaveLength(2);
    expectDelaunay(sq, tris);
    expect(triangulate([[0, 0], [1, 1]])).toEqual([]);
    expect(triangulate([[0, 0], [1, 1], [2, 2], [3, 3]])).toEqual([]);
  });

  it('the 68-point mean face scaled to image pixels: 2n − h − 2 triangles, Delaunay', () => {
    const face = MEAN_FACE_68.map(([x, y]) => [200 + 180 * x, 150 + 180 * y] as Point2);
    const tris = triangulate(face);
    const h = convexHull(face).length;
    expect(tris.length).toBe(2 * 68 - h - 2); // Euler, when no hull point is collinear and no point is repeated
    expectDelaunay(face, tris);
  });

  it('random points, cocircular points (a grid) and repeated points', () => {
    const r = rng(9);
    const random = Array.from({ length: 120 }, () => [r() * 640, r() * 480] as Point2);
    expectDelaunay(random, triangulate(random));
    const grid = Array.from({ length: 36 }, (_, i) => [(i % 6) * 10, Math.floor(i / 6) * 10] as Point2);
    const g = triangulate(grid);
    expect(g).toHaveLength(50);
    expectDelaunay(grid, g);
    const repeated: Point2[] = [[0, 0], [10, 0], [10, 0], [10, 10], [0, 10], [5, 5], [5, 5]];
    const t = triangulate(repeated);
    expect(t.flat()).not.toContain(2);
    expect(t.flat()).not.toContain(6);
    expect(t).toHaveLength(4);
    expectDelaunay(repeated.filter((_, i) => i !== 2 && i !== 6), triangulate(repeated.filter((_, i) => i !== 2 && i !== 6)));
  });

  it('rejects non-finite points', () => {
    expect(() => triangulate([[0, 0], [1, NaN], [2, 0]])).toThrow(RangeError);
  });
});
