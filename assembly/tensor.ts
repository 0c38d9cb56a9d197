/**
 * RGBA8 -> float32 model tensors (3 channels, NCHW or NHWC), optionally fused with an affine warp.
 * value = raw * scale[c] + bias[c] per output channel, i.e. (raw / 255 - mean) / std.
 */
import { loadPx, sampleRgba, toFixed } from './common';

@inline function normalise(px: v128, bgr: i32, scale: v128, bias: v128): v128 {
  const v = bgr ? v128.shuffle<f32>(px, px, 2, 1, 0, 3) : px;
  return f32x4.add(f32x4.mul(v, scale), bias);
}

@inline function writeTensor(dst: usize, i: usize, plane: usize, nhwc: i32, last: bool, v: v128): void {
  if (nhwc) {
    const p = dst + i * 12;
    if (!last) v128.store(p, v); // lane 3 is overwritten by the next pixel
    else {
      v128.store32_lane(p, v, 0);
      v128.store32_lane(p, v, 1, 4);
      v128.store32_lane(p, v, 2, 8);
    }
  } else {
    const p = dst + (i << 2);
    v128.store32_lane(p, v, 0);
    v128.store32_lane(p + plane, v, 1);
    v128.store32_lane(p + plane * 2, v, 2);
  }
}

/** Warp (see warpAffine) and normalise straight into a dw x dh tensor; scale/bias are 4 f32 each at params. */
export function warpToTensor(
  src: usize, sw: i32, sh: i32, dst: usize, dw: i32, dh: i32,
  a: f64, b: f64, c: f64, d: f64, e: f64, f: f64, border: i32,
  params: usize, nhwc: i32, bgr: i32,
): void {
  const scale = v128.load(params), bias = v128.load(params, 16);
  const n = <usize>dw * <usize>dh, plane = n << 2;
  const ax = toFixed(a), dx = toFixed(d);
  let i: usize = 0;
  for (let y = 0; y < dh; y++) {
    const yc = <f64>y + 0.5;
    let sx = toFixed(a * 0.5 + b * yc + c - 0.5), sy = toFixed(d * 0.5 + e * yc + f - 0.5);
    for (let x = 0; x < dw; x++, i++, sx += ax, sy += dx) {
      const px = sampleRgba(src, sw, sh, sx, sy, border);
      writeTensor(dst, i, plane, nhwc, i + 1 == n, normalise(px, bgr, scale, bias));
    }
  }
}

/** Same as warpToTensor without the warp: n = width * height pixels. */
export function rgbaToTensor(src: usize, n: i32, dst: usize, params: usize, nhwc: i32, bgr: i32): void {
  const scale = v128.load(params), bias = v128.load(params, 16);
  const count = <usize>n, plane = count << 2;
  for (let i: usize = 0; i < count; i++) {
    writeTensor(dst, i, plane, nhwc, i + 1 == count, normalise(loadPx(src + (i << 2)), bgr, scale, bias));
  }
}
