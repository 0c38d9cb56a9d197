/**
 * @module pipeline/triangulate
 * Delaunay triangulation (Bowyer–Watson) of a small point set — the 68 iBUG landmarks of a face plus a few
 * extra points — for the piecewise-affine warp (`kernels.warpTriangles`). O(n²), fine for n ≲ 500.
 *
 * Points that repeat an earlier point (within `mergeDistance`) are left out of the mesh; their indices never
 * appear in a triangle. Output triangles are index triples into the input, all with the same orientation
 * (`orient(a, b, c) > 0`), and together they tile the convex hull of the points without overlaps.
 * @example
 * const triangles = triangulate(points68);
 * const donor = kernels.warpTriangles(source, sourcePoints68, points68, triangles, width, height);
 */
import type { Triangle } from '../wasm/kernel-math';
import type { Point2 } from './types';

export type { Triangle };

export type TriangulateOptions = {
  /** Points closer than this (px) to an earlier point are merged into it. Default 1e-6. */
  mergeDistance?: number;
};

type Tri = { a: number; b: number; c: number; cx: number; cy: number; r2: number };

/** Twice the signed area of (a, b, c); > 0 when counter-clockwise in a y-up frame. */
export function orient(a: Point2, b: Point2, c: Point2): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** Circumcentre and squared radius of (a, b, c); radius Infinity for collinear points. */
export function circumcircle(a: Point2, b: Point2, c: Point2): { x: number; y: number; r2: number } {
  const bx = b[0] - a[0], by = b[1] - a[1], cx = c[0] - a[0], cy = c[1] - a[1];
  const d = 2 * (bx * cy - by * cx);
  if (d === 0) return { x: a[0], y: a[1], r2: Infinity };
  const b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
  const ux = (cy * b2 - by * c2) / d, uy = (bx * c2 - cx * b2) / d;
  return { x: a[0] + ux, y: a[1] + uy, r2: ux * ux + uy * uy };
}

/**
 * Delaunay triangles of `points` (index triples, each with positive `orient`).
 * Fewer than 3 distinct points, or all of them collinear, give [].
 */
export function triangulate(points: readonly Point2[], options: TriangulateOptions = {}): Triangle[] {
  const merge2 = (options.mergeDistance ?? 1e-6) ** 2;
  for (const p of points) {
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new RangeError('triangulate: points must be finite [x, y] pairs');
  }
  const used: number[] = [];
  for (let i = 0; i < points.length; i++) {
    if (!used.some((j) => (points[j][0] - points[i][0]) ** 2 + (points[j][1] - points[i][1]) ** 2 <= merge2)) used.push(i);
  }
  if (used.length < 3) return [];

  // Work in coordinates centred on the bounding box and scaled to ~unit size, for stable predicates.
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const i of used) {
    x1 = Math.min(x1, points[i][0]); y1 = Math.min(y1, points[i][1]);
    x2 = Math.max(x2, points[i][0]); y2 = Math.max(y2, points[i][1]);
  }
  const size = Math.max(x2 - x1, y2 - y1) || 1, mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
  const pts: Point2[] = points.map(([x, y]) => [(x - mx) / size, (y - my) / size]);
  // Super-triangle far away (vertices n, n+1, n+2) so that it does not bend the hull.
  const n = points.length, far = 1e5;
  pts.push([-far, -far], [far, -far], [0, far]);

  const make = (a: number, b: number, c: number): Tri => {
    if (orient(pts[a], pts[b], pts[c]) < 0) [b, c] = [c, b];
    const cc = circumcircle(pts[a], pts[b], pts[c]);
    return { a, b, c, cx: cc.x, cy: cc.y, r2: cc.r2 };
  };
  let tris: Tri[] = [make(n, n + 1, n + 2)];

  for (const i of used) {
    const [px, py] = pts[i];
    const bad: Tri[] = [], keep: Tri[] = [];
    for (const t of tris) {
      const dx = px - t.cx, dy = py - t.cy;
      // Strictly inside (relative tolerance): cocircular points keep the existing triangles.
      (dx * dx + dy * dy < t.r2 * (1 - 1e-12) ? bad : keep).push(t);
    }
    // Boundary of the cavity = edges of bad triangles not shared by two bad triangles.
    const count = new Map<number, [number, number, number]>();
    const stride = n + 3;
    for (const t of bad) {
      for (const [u, v] of [[t.a, t.b], [t.b, t.c], [t.c, t.a]]) {
        const key = u < v ? u * stride + v : v * stride + u;
        const seen = count.get(key);
        count.set(key, seen ? [seen[0], seen[1], seen[2] + 1] : [u, v, 1]);
      }
    }
    tris = keep;
    for (const [u, v, k] of count.values()) {
      if (k !== 1) continue;
      // Skip slivers with the new point on the edge's line (cannot happen for a point strictly inside the cavity).
      if (orient(pts[u], pts[v], pts[i]) === 0) continue;
      tris.push(make(u, v, i));
    }
  }

  return tris
    .filter((t) => t.a < n && t.b < n && t.c < n)
    .map((t) => [t.a, t.b, t.c] as Triangle)
    .filter((t) => orient(points[t[0]], points[t[1]], points[t[2]]) > 0);
}
