/**
 * Face X-Ray boundary-map post-processing: summary statistics, heat-map overlay onto the image through an
 * affine (map -> image), and a standalone heat-map thumbnail. palette: 256 RGBA8 entries.
 */
import { loadPx, storePx, sampleF32, toFixed, FX_HALF } from './common';

/** out f64[3] = peak, sum, count of values > threshold over n map values. */
export function mapStats(map: usize, n: i32, threshold: f32, out: usize): void {
  const count = <usize>n;
  let peak = f32x4.splat(-Infinity), sum = f32x4.splat(0), above = i32x4.splat(0);
  const thr = f32x4.splat(threshold);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const v = v128.load(map + (i << 2));
    peak = f32x4.max(peak, v);
    sum = f32x4.add(sum, v);
    above = i32x4.sub(above, f32x4.gt(v, thr)); // true lanes are -1
  }
  let p = Mathf.max(Mathf.max(f32x4.extract_lane(peak, 0), f32x4.extract_lane(peak, 1)),
    Mathf.max(f32x4.extract_lane(peak, 2), f32x4.extract_lane(peak, 3)));
  let s: f64 = <f64>f32x4.extract_lane(sum, 0) + <f64>f32x4.extract_lane(sum, 1) +
    <f64>f32x4.extract_lane(sum, 2) + <f64>f32x4.extract_lane(sum, 3);
  let c = i32x4.extract_lane(above, 0) + i32x4.extract_lane(above, 1) + i32x4.extract_lane(above, 2) + i32x4.extract_lane(above, 3);
  for (; i < count; i++) {
    const v = load<f32>(map + (i << 2));
    p = Mathf.max(p, v);
    s += v;
    if (v > threshold) c++;
  }
  store<f64>(out, p); store<f64>(out, s, 8); store<f64>(out, <f64>c, 16);
}

@inline function level(v: f32): usize {
  return <usize>(Mathf.min(Mathf.max(v, 0), 1) * 255 + 0.5);
}

/**
 * In place over img (width w): for pixels in [x0,x1) x [y0,y1) whose map position (M = image -> map)
 * lies inside the map, v = clamp(sample * scale, 0, 1); if v > threshold blend palette[v] with alpha opacity * v.
 */
export function overlay(
  img: usize, w: i32, map: usize, mw: i32, mh: i32,
  a: f64, b: f64, c: f64, d: f64, e: f64, f: f64,
  x0: i32, y0: i32, x1: i32, y1: i32,
  palette: usize, scale: f32, threshold: f32, opacity: f32,
): void {
  const hiX = (<i64>mw << 32) - FX_HALF, hiY = (<i64>mh << 32) - FX_HALF;
  const ax = toFixed(a), dx = toFixed(d);
  const xs = <f64>x0 + 0.5;
  for (let y = y0; y < y1; y++) {
    const yc = <f64>y + 0.5;
    let sx = toFixed(a * xs + b * yc + c - 0.5), sy = toFixed(d * xs + e * yc + f - 0.5);
    let out = img + ((<usize>y * <usize>w + <usize>x0) << 2);
    for (let x = x0; x < x1; x++, sx += ax, sy += dx, out += 4) {
      if (sx < -FX_HALF || sy < -FX_HALF || sx >= hiX || sy >= hiY) continue;
      const val = Mathf.min(Mathf.max(sampleF32(map, mw, mh, sx, sy) * scale, 0), 1);
      if (!(val > threshold)) continue;
      const col = loadPx(palette + (level(val) << 2));
      const bg = loadPx(out);
      storePx(out, f32x4.add(bg, f32x4.mul(f32x4.splat(opacity * val), f32x4.sub(col, bg))));
    }
  }
}

/** out (w x h RGBA) = palette[clamp(map resampled to w x h * scale)]. */
export function heatmap(map: usize, mw: i32, mh: i32, out: usize, w: i32, h: i32, palette: usize, scale: f32): void {
  const kx = <f64>mw / <f64>w, ky = <f64>mh / <f64>h;
  const ax = toFixed(kx);
  let dst = out;
  for (let y = 0; y < h; y++) {
    const sy = toFixed((<f64>y + 0.5) * ky - 0.5);
    let sx = toFixed(0.5 * kx - 0.5);
    for (let x = 0; x < w; x++, dst += 4, sx += ax) {
      const v = sampleF32(map, mw, mh, sx, sy) * scale;
      store<u32>(dst, load<u32>(palette + (level(v) << 2)));
    }
  }
}
