/**
 * Piecewise-affine warp: every destination triangle is filled by inverse-mapping its pixels through that
 * triangle's own affine into the source (bilinear, transparent black outside the source). Pixels outside all
 * triangles stay transparent black. The JS side (src/wasm/kernel-math.ts `triangleWarpParams`) packs, per
 * triangle, 18 f64: the affine dst -> src (a..f), three edge functions (A, B, C) and the rows [y0, y1).
 * Row spans are computed in f64 exactly as `triangleSpan` does, so coverage matches the TS reference bit for bit.
 */
import { storePx, sampleRgba, toFixed } from './common';

const STRIDE: usize = 18 * 8;
const EPS: f64 = 1e-6;

export function warpTriangles(src: usize, sw: i32, sh: i32, dst: usize, dw: i32, dh: i32, params: usize, n: i32): void {
  memory.fill(dst, 0, (<usize>dw * <usize>dh) << 2);
  const maxX = <f64>(dw - 1);
  for (let t = 0; t < n; t++) {
    const p = params + <usize>t * STRIDE;
    const a = load<f64>(p), b = load<f64>(p, 8), c = load<f64>(p, 16);
    const d = load<f64>(p, 24), e = load<f64>(p, 32), f = load<f64>(p, 40);
    const y0 = <i32>load<f64>(p, 120), y1 = <i32>load<f64>(p, 128);
    const ax = toFixed(a), dx = toFixed(d);
    for (let y = y0; y < y1; y++) {
      const yc = <f64>y + 0.5;
      let xl = -Infinity, xr = Infinity;
      let empty = false;
      for (let k = 0; k < 3; k++) {
        const q = p + 48 + <usize>k * 24;
        const A = load<f64>(q), B = load<f64>(q, 8), C = load<f64>(q, 16);
        const v = B * yc + C;
        if (A > 0) {
          const s = -v / A;
          if (s > xl) xl = s;
        } else if (A < 0) {
          const s = -v / A;
          if (s < xr) xr = s;
        } else if (v < -EPS * Math.abs(B)) {
          empty = true;
        }
      }
      if (empty) continue;
      const xs = Math.max(0, Math.ceil(xl - 0.5 - EPS)), xe = Math.min(maxX, Math.floor(xr - 0.5 + EPS));
      if (xe < xs) continue;
      const x0 = <i32>xs, x1 = <i32>xe;
      const xc = xs + 0.5;
      let sx = toFixed(a * xc + b * yc + c - 0.5), sy = toFixed(d * xc + e * yc + f - 0.5);
      let out = dst + ((<usize>y * <usize>dw + <usize>x0) << 2);
      for (let x = x0; x <= x1; x++, sx += ax, sy += dx, out += 4) {
        storePx(out, sampleRgba(src, sw, sh, sx, sy, 0));
      }
    }
  }
}
