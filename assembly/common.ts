/**
 * Shared inline helpers for the kernels: RGBA8 <-> f32x4 conversion and bilinear samplers.
 * Coordinates given to the samplers are in pixel-index space (pixel centre = integer), i.e. the
 * continuous coordinate minus 0.5.
 */

/** Loads one RGBA8 pixel as f32x4 (r, g, b, a) in 0..255. */
@inline export function loadPx(ptr: usize): v128 {
  return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(ptr))));
}

/** Rounds (half up), saturates to 0..255 and stores f32x4 as one RGBA8 pixel. */
@inline export function storePx(ptr: usize, v: v128): void {
  const i = i32x4.trunc_sat_f32x4_s(f32x4.add(v, f32x4.splat(0.5)));
  const s = i16x8.narrow_i32x4_u(i, i);
  v128.store32_lane(ptr, i8x16.narrow_i16x8_u(s, s), 0);
}

@inline export function clampI(v: i32, lo: i32, hi: i32): i32 {
  return v < lo ? lo : v > hi ? hi : v;
}

/** 32.32 fixed point: per-pixel coordinates are stepped in i64 (V8 float->int conversions are slow). */
export const FX_ONE: f64 = 4294967296.0;
export const FX_HALF: i64 = 2147483648;

/** One f64 -> fixed conversion (per row); |v| must stay below 2^30 (checked on the JS side). */
@inline export function toFixed(v: f64): i64 {
  return <i64>Math.floor(v * FX_ONE);
}

/**
 * (fx, fy, fx, fy) fractional parts as f32x4. Converted in the vector unit on purpose: scalar
 * f32.convert_i32_s measured ~7 ns each in V8 here (false dependency), the vector convert ~free.
 */
@inline function fracs(sx: i64, sy: i64): v128 {
  const v = i32x4.replace_lane(i32x4.splat(<i32>((sx >> 8) & 0xffffff)), 1, <i32>((sy >> 8) & 0xffffff));
  return f32x4.mul(f32x4.convert_i32x4_s(v), f32x4.splat(<f32>(1.0 / 16777216.0)));
}

/**
 * Bilinear RGBA sample at fixed-point (sx, sy) in pixel-index space (pixel centre = integer).
 * border 0: taps outside the image are transparent black; border 1: taps are clamped (replicate).
 */
@inline export function sampleRgba(src: usize, sw: i32, sh: i32, sx: i64, sy: i64, border: i32): v128 {
  let x0 = <i32>(sx >> 32), y0 = <i32>(sy >> 32);
  const t = fracs(sx, sy);
  const stride = <usize>sw << 2;
  // Fast path: all four taps inside. Two 8-byte row loads, widened to 2 x f32x4 each.
  if (<u32>x0 < <u32>(sw - 1) && <u32>y0 < <u32>(sh - 1)) {
    const vx = v128.shuffle<f32>(t, t, 0, 0, 0, 0), vy = v128.shuffle<f32>(t, t, 1, 1, 1, 1);
    const p = src + <usize>y0 * stride + (<usize>x0 << 2);
    const r0 = i16x8.extend_low_i8x16_u(v128.load64_zero(p));
    const r1 = i16x8.extend_low_i8x16_u(v128.load64_zero(p + stride));
    const a0 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(r0)), b0 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(r0));
    const a1 = f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(r1)), b1 = f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(r1));
    const top = f32x4.add(a0, f32x4.mul(f32x4.sub(b0, a0), vx));
    const bottom = f32x4.add(a1, f32x4.mul(f32x4.sub(b1, a1), vx));
    return f32x4.add(top, f32x4.mul(f32x4.sub(bottom, top), vy));
  }
  // Beyond one pixel outside the result no longer changes, so clamping keeps indices small.
  x0 = clampI(x0, -2, sw + 1);
  y0 = clampI(y0, -2, sh + 1);
  const x1 = x0 + 1, y1 = y0 + 1;
  const tx = f32x4.extract_lane(t, 0), ty = f32x4.extract_lane(t, 1);
  const w00 = f32x4.splat((1 - tx) * (1 - ty));
  const w10 = f32x4.splat(tx * (1 - ty));
  const w01 = f32x4.splat((1 - tx) * ty);
  const w11 = f32x4.splat(tx * ty);
  if (border == 1) {
    const cx0 = <usize>clampI(x0, 0, sw - 1) << 2, cx1 = <usize>clampI(x1, 0, sw - 1) << 2;
    const r0 = src + <usize>clampI(y0, 0, sh - 1) * stride, r1 = src + <usize>clampI(y1, 0, sh - 1) * stride;
    let acc = f32x4.mul(loadPx(r0 + cx0), w00);
    acc = f32x4.add(acc, f32x4.mul(loadPx(r0 + cx1), w10));
    acc = f32x4.add(acc, f32x4.mul(loadPx(r1 + cx0), w01));
    return f32x4.add(acc, f32x4.mul(loadPx(r1 + cx1), w11));
  }
  let acc = f32x4.splat(0);
  const in0 = x0 >= 0 && x0 < sw, in1 = x1 >= 0 && x1 < sw;
  if (y0 >= 0 && y0 < sh) {
    const r = src + <usize>y0 * stride;
    if (in0) acc = f32x4.add(acc, f32x4.mul(loadPx(r + (<usize>x0 << 2)), w00));
    if (in1) acc = f32x4.add(acc, f32x4.mul(loadPx(r + (<usize>x1 << 2)), w10));
  }
  if (y1 >= 0 && y1 < sh) {
    const r = src + <usize>y1 * stride;
    if (in0) acc = f32x4.add(acc, f32x4.mul(loadPx(r + (<usize>x0 << 2)), w01));
    if (in1) acc = f32x4.add(acc, f32x4.mul(loadPx(r + (<usize>x1 << 2)), w11));
  }
  return acc;
}

/** Bilinear sample of a float map with clamped (replicate) taps at fixed-point (sx, sy) in pixel-index space. */
@inline export function sampleF32(src: usize, w: i32, h: i32, sx: i64, sy: i64): f32 {
  const x0 = clampI(<i32>(sx >> 32), -2, w + 1), y0 = clampI(<i32>(sy >> 32), -2, h + 1);
  const t = fracs(sx, sy);
  const tx = f32x4.extract_lane(t, 0), ty = f32x4.extract_lane(t, 1);
  const cx0 = <usize>clampI(x0, 0, w - 1) << 2, cx1 = <usize>clampI(x0 + 1, 0, w - 1) << 2;
  const r0 = src + (<usize>clampI(y0, 0, h - 1) * <usize>w << 2);
  const r1 = src + (<usize>clampI(y0 + 1, 0, h - 1) * <usize>w << 2);
  const top = load<f32>(r0 + cx0) * (1 - tx) + load<f32>(r0 + cx1) * tx;
  const bottom = load<f32>(r1 + cx0) * (1 - tx) + load<f32>(r1 + cx1) * tx;
  return top * (1 - ty) + bottom * ty;
}
