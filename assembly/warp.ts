/**
 * Affine warps of RGBA8 images with bilinear sampling.
 * Matrices are row-major 2x3 [a b c; d e f] mapping an output position to a source position in
 * continuous coordinates (pixel centres at +0.5). Positions are stepped along a row in 32.32 fixed point.
 */
import { loadPx, storePx, sampleRgba, sampleF32, toFixed, FX_HALF } from './common';

/** dst (dw x dh) = src sampled at M * (x + 0.5, y + 0.5). border 0 = transparent black, 1 = replicate. */
export function warpAffine(
  src: usize, sw: i32, sh: i32, dst: usize, dw: i32, dh: i32,
  a: f64, b: f64, c: f64, d: f64, e: f64, f: f64, border: i32,
): void {
  const ax = toFixed(a), dx = toFixed(d);
  let out = dst;
  for (let y = 0; y < dh; y++) {
    const yc = <f64>y + 0.5;
    let sx = toFixed(a * 0.5 + b * yc + c - 0.5), sy = toFixed(d * 0.5 + e * yc + f - 0.5);
    for (let x = 0; x < dw; x++, sx += ax, sy += dx, out += 4) {
      storePx(out, sampleRgba(src, sw, sh, sx, sy, border));
    }
  }
}

/**
 * Pastes a crop back into dst in place. M (a..f) maps image -> crop; only pixels in the box
 * [x0, x1) x [y0, y1) whose crop position falls inside the crop are touched:
 * dst = m * crop + (1 - m) * dst, with crop and mask sampled bilinearly (replicate taps).
 */
export function pasteBack(
  dst: usize, dw: i32, crop: usize, cw: i32, ch: i32, mask: usize,
  a: f64, b: f64, c: f64, d: f64, e: f64, f: f64,
  x0: i32, y0: i32, x1: i32, y1: i32,
): void {
  // Inside the crop: continuous u in [0, cw) <=> index-space sx in [-0.5, cw - 0.5).
  const hiX = (<i64>cw << 32) - FX_HALF, hiY = (<i64>ch << 32) - FX_HALF;
  const ax = toFixed(a), dx = toFixed(d);
  const xs = <f64>x0 + 0.5;
  for (let y = y0; y < y1; y++) {
    const yc = <f64>y + 0.5;
    let sx = toFixed(a * xs + b * yc + c - 0.5), sy = toFixed(d * xs + e * yc + f - 0.5);
    let out = dst + ((<usize>y * <usize>dw + <usize>x0) << 2);
    for (let x = x0; x < x1; x++, sx += ax, sy += dx, out += 4) {
      if (sx < -FX_HALF || sy < -FX_HALF || sx >= hiX || sy >= hiY) continue;
      let m = sampleF32(mask, cw, ch, sx, sy);
      if (!(m > 0)) continue;
      if (m > 1) m = 1;
      const fg = sampleRgba(crop, cw, ch, sx, sy, 1);
      const bg = loadPx(out);
      storePx(out, f32x4.add(bg, f32x4.mul(f32x4.splat(m), f32x4.sub(fg, bg))));
    }
  }
}
