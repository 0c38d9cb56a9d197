/**
 * @module pipeline/blend/outline
 * Mask outlines from landmarks: convex hull of a landmark subset, densification and the recipe's random
 * deformations (elastic smooth field / piecewise-affine vertex jitter). Mirrors training/xray/masks.py.
 * Points are continuous image coordinates (pixel centre at +0.5).
 */
import type { Point2 } from '../types';
import type { Rng } from '../random';
import type { MaskRecipe } from './recipe';

/** Long side of the landmark bounding box, the unit of every `*_frac` length in the recipe. */
export function faceSize(points: readonly Point2[]): number {
  const [x1, y1, x2, y2] = bounds(points);
  return Math.max(x2 - x1, y2 - y1);
}

/** [minX, minY, maxX, maxY] of the finite points. */
import { boundingBox as bounds } from '../align';

export { bounds };

/** Monotone-chain convex hull (no repeated end point); collinear points dropped. */
export function convexHull(points: readonly Point2[]): Point2[] {
  const p = [...new Map(points.map((q) => [`${q[0]},${q[1]}`, [q[0], q[1]] as Point2])).values()];
  if (p.length < 3) return p;
  p.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Point2, a: Point2, b: Point2) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (seq: Point2[]) => {
    const h: Point2[] = [];
    for (const q of seq) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
      h.push(q);
    }
    return h;
  };
  const lower = half(p), upper = half([...p].reverse());
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** Closed outline resampled so that no segment is longer than `step` px. */
export function densify(poly: readonly Point2[], step: number): Point2[] {
  const out: Point2[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i], b = poly[(i + 1) % poly.length];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / Math.max(step, 1e-3)));
    for (let k = 0; k < n; k++) out.push([a[0] + (k / n) * (b[0] - a[0]), a[1] + (k / n) * (b[1] - a[1])]);
  }
  return out;
}

/** Displacements at pts of a grid × grid field of N(0,1) pairs, bilinear over the box [lo, hi]. */
function smoothField(rng: Rng, grid: number, lo: Point2, hi: Point2, pts: readonly Point2[]): Point2[] {
  const g = Float64Array.from({ length: grid * grid * 2 }, () => rng.normal());
  const at = (gx: number, gy: number, c: number) => g[(gy * grid + gx) * 2 + c];
  return pts.map(([x, y]) => {
    const ux = Math.min(grid - 1 - 1e-6, Math.max(0, ((x - lo[0]) / Math.max(hi[0] - lo[0], 1e-6)) * (grid - 1)));
    const uy = Math.min(grid - 1 - 1e-6, Math.max(0, ((y - lo[1]) / Math.max(hi[1] - lo[1], 1e-6)) * (grid - 1)));
    const ix = Math.floor(ux), iy = Math.floor(uy), fx = ux - ix, fy = uy - iy;
    const v = (c: number) =>
      (1 - fx) * (1 - fy) * at(ix, iy, c) + fx * (1 - fy) * at(ix + 1, iy, c) + (1 - fx) * fy * at(ix, iy + 1, c) + fx * fy * at(ix + 1, iy + 1, c);
    return [v(0), v(1)] as Point2;
  });
}

export type DeformKind = 'none' | 'elastic' | 'piecewise_affine';

/** Randomly deformed outline per recipe.mask.deform; `size` = faceSize of the landmarks. */
export function deformOutline(poly: readonly Point2[], size: number, rng: Rng, cfg: MaskRecipe['deform']): { outline: Point2[]; deform: DeformKind } {
  if (!rng.chance(cfg.prob) || poly.length < 3) return { outline: poly.map((p) => [p[0], p[1]] as Point2), deform: 'none' };
  if (rng.chance(cfg.elastic_prob)) {
    const e = cfg.elastic;
    const pts = densify(poly, e.step_frac * size);
    const amp = rng.uniform(e.alpha_frac[0], e.alpha_frac[1]) * size;
    const [x1, y1, x2, y2] = bounds(poly);
    const field = smoothField(rng, Math.max(2, Math.round(e.grid)), [x1, y1], [x2, y2], pts);
    return { outline: pts.map(([x, y], i) => [x + amp * field[i][0], y + amp * field[i][1]] as Point2), deform: 'elastic' };
  }
  const [lo, hi] = cfg.piecewise_affine.vertex_jitter_frac;
  const j = rng.uniform(lo, hi) * size;
  return { outline: poly.map(([x, y]) => [x + rng.uniform(-j, j), y + rng.uniform(-j, j)] as Point2), deform: 'piecewise_affine' };
}
