/**
 * @module pipeline/blend/raster
 * Hard (0/1) rasterisation of an arbitrary — possibly concave or self-touching — closed polygon with
 * the non-zero winding rule, sampled at pixel centres. `kernels.fillPolygon` covers convex polygons
 * only, and deformed mask outlines are not convex.
 */
import type { Point2 } from '../types';

/** width × height Float32Array, 1 where the pixel centre (x + 0.5, y + 0.5) is inside `poly`. */
export function fillOutline(width: number, height: number, poly: readonly Point2[]): Float32Array {
  const out = new Float32Array(width * height);
  const n = poly.length;
  if (n < 3) return out;
  let ymin = Infinity, ymax = -Infinity;
  for (const [, y] of poly) { ymin = Math.min(ymin, y); ymax = Math.max(ymax, y); }
  const rowStart = Math.max(0, Math.floor(ymin - 0.5)), rowEnd = Math.min(height - 1, Math.ceil(ymax - 0.5));
  const xs: number[] = [], dirs: number[] = [];
  for (let row = rowStart; row <= rowEnd; row++) {
    const yc = row + 0.5;
    xs.length = 0; dirs.length = 0;
    for (let i = 0; i < n; i++) {
      const [ax, ay] = poly[i], [bx, by] = poly[(i + 1) % n];
      // half-open in y so that a vertex on the scan line is counted once
      if ((ay <= yc && yc < by) || (by <= yc && yc < ay)) {
        xs.push(ax + ((yc - ay) / (by - ay)) * (bx - ax));
        dirs.push(by > ay ? 1 : -1);
      }
    }
    if (xs.length < 2) continue;
    const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    let winding = 0;
    for (let k = 0; k < order.length - 1; k++) {
      winding += dirs[order[k]];
      if (winding === 0) continue;
      // pixels whose centre lies in [xs[k], xs[k+1])
      const x0 = Math.max(0, Math.ceil(xs[order[k]] - 0.5)), x1 = Math.min(width - 1, Math.ceil(xs[order[k + 1]] - 0.5) - 1);
      for (let x = x0; x <= x1; x++) out[row * width + x] = 1;
    }
  }
  return out;
}
