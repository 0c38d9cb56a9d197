/**
 * Reinhard-style colour transfer in CIELAB (D65). The JS side computes the statistics-driven affine in
 * f-space (f = cbrt-companded XYZ), so a pixel costs: 3 LUT loads, a 3x3, a SIMD cube root, a 3x4,
 * a cube, a 3x3 and 3 interpolated LUT loads.
 *
 * params (f32, 16-byte columns): [0..2] linear RGB -> XYZ/white columns, [3..5] f -> f' columns,
 * [6] f offset, [7..9] XYZ/white -> linear RGB columns.
 */

const EPS: f32 = 216.0 / 24389.0;
const KAPPA: f32 = 24389.0 / 27.0;
const DELTA: f32 = 6.0 / 29.0;
const ENC_SIZE: f32 = 4096;

/** Cube root of 4 positive lanes: bit-trick guess + 3 Newton steps (~f32 precision). */
@inline function cbrt4(x: v128): v128 {
  const bits = i32x4.trunc_sat_f32x4_s(f32x4.mul(f32x4.convert_i32x4_s(x), f32x4.splat(<f32>(1.0 / 3.0))));
  let y = i32x4.add(bits, i32x4.splat(0x2a514067));
  const third = f32x4.splat(<f32>(1.0 / 3.0)), two = f32x4.splat(2);
  for (let k = 0; k < 3; k++) {
    y = f32x4.mul(f32x4.add(f32x4.mul(two, y), f32x4.div(x, f32x4.mul(y, y))), third);
  }
  return y;
}

@inline function mat3(c0: v128, c1: v128, c2: v128, v: v128): v128 {
  const a = f32x4.mul(c0, f32x4.splat(f32x4.extract_lane(v, 0)));
  const b = f32x4.mul(c1, f32x4.splat(f32x4.extract_lane(v, 1)));
  return f32x4.add(f32x4.add(a, b), f32x4.mul(c2, f32x4.splat(f32x4.extract_lane(v, 2))));
}

/** Companded f = (f(X/Xn), f(Y/Yn), f(Z/Zn), 0) of one RGBA8 pixel. */
@inline function forwardF(px: u32, lut: usize, params: usize): v128 {
  const lin = f32x4(
    load<f32>(lut + ((<usize>(px & 255)) << 2)),
    load<f32>(lut + ((<usize>((px >> 8) & 255)) << 2)),
    load<f32>(lut + ((<usize>((px >> 16) & 255)) << 2)),
    0,
  );
  const t = mat3(v128.load(params), v128.load(params, 16), v128.load(params, 32), lin);
  const eps = f32x4.splat(EPS);
  const c = cbrt4(f32x4.max(t, eps));
  const l = f32x4.add(f32x4.mul(t, f32x4.splat(KAPPA / 116)), f32x4.splat(<f32>16 / 116));
  return v128.bitselect(c, l, f32x4.gt(t, eps));
}

@inline function toLab(f: v128): v128 {
  const fx = f32x4.extract_lane(f, 0), fy = f32x4.extract_lane(f, 1), fz = f32x4.extract_lane(f, 2);
  return f32x4(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz), 0);
}

/** Weighted sums over pixels with mask > 0 (mask = 0: all, weight 1): out f64[7] = W, ΣwL, Σwa, Σwb, ΣwL², Σwa², Σwb². */
export function labStats(img: usize, n: i32, mask: usize, lut: usize, params: usize, out: usize): void {
  let w: f64 = 0, s = f32x4.splat(0), q = f32x4.splat(0);
  let sumL: f64 = 0, sumA: f64 = 0, sumB: f64 = 0, sqL: f64 = 0, sqA: f64 = 0, sqB: f64 = 0;
  const count = <usize>n;
  for (let i: usize = 0; i < count; i++) {
    let m: f32 = 1;
    if (mask != 0) {
      m = load<f32>(mask + (i << 2));
      if (!(m > 0)) continue;
      if (m > 1) m = 1;
    }
    const lab = toLab(forwardF(load<u32>(img + (i << 2)), lut, params));
    const wl = f32x4.mul(lab, f32x4.splat(m));
    s = f32x4.add(s, wl);
    q = f32x4.add(q, f32x4.mul(wl, lab));
    w += m;
    if ((i & 1023) == 1023) { // flush the f32 partial sums into f64 to keep precision on large images
      sumL += f32x4.extract_lane(s, 0); sumA += f32x4.extract_lane(s, 1); sumB += f32x4.extract_lane(s, 2);
      sqL += f32x4.extract_lane(q, 0); sqA += f32x4.extract_lane(q, 1); sqB += f32x4.extract_lane(q, 2);
      s = f32x4.splat(0); q = f32x4.splat(0);
    }
  }
  sumL += f32x4.extract_lane(s, 0); sumA += f32x4.extract_lane(s, 1); sumB += f32x4.extract_lane(s, 2);
  sqL += f32x4.extract_lane(q, 0); sqA += f32x4.extract_lane(q, 1); sqB += f32x4.extract_lane(q, 2);
  store<f64>(out, w); store<f64>(out, sumL, 8); store<f64>(out, sumA, 16); store<f64>(out, sumB, 24);
  store<f64>(out, sqL, 32); store<f64>(out, sqA, 40); store<f64>(out, sqB, 48);
}

@inline function encode(v: f32, enc: usize): f32 {
  const p = Mathf.min(Mathf.max(v, 0), 1) * ENC_SIZE;
  let i = <i32>p;
  if (i > <i32>ENC_SIZE - 1) i = <i32>ENC_SIZE - 1;
  const t = p - <f32>i;
  const a = load<f32>(enc + (<usize>i << 2)), b = load<f32>(enc + (<usize>i << 2), 4);
  return a + (b - a) * t;
}

/** Applies the f-space affine from params to every pixel; alpha is kept. enc: 4097 f32 linear -> sRGB 0..255. */
export function labApply(img: usize, n: i32, out: usize, lut: usize, enc: usize, params: usize): void {
  const a0 = v128.load(params, 48), a1 = v128.load(params, 64), a2 = v128.load(params, 80), off = v128.load(params, 96);
  const i0 = v128.load(params, 112), i1 = v128.load(params, 128), i2 = v128.load(params, 144);
  const delta = f32x4.splat(DELTA), k = f32x4.splat(116 / KAPPA), c16 = f32x4.splat(<f32>16 / 116);
  const count = <usize>n;
  for (let i: usize = 0; i < count; i++) {
    const px = load<u32>(img + (i << 2));
    const f = f32x4.add(mat3(a0, a1, a2, forwardF(px, lut, params)), off);
    const t = v128.bitselect(f32x4.mul(f32x4.mul(f, f), f), f32x4.mul(f32x4.sub(f, c16), k), f32x4.gt(f, delta));
    const lin = mat3(i0, i1, i2, t);
    const r = <u32>(encode(f32x4.extract_lane(lin, 0), enc) + 0.5);
    const g = <u32>(encode(f32x4.extract_lane(lin, 1), enc) + 0.5);
    const b = <u32>(encode(f32x4.extract_lane(lin, 2), enc) + 0.5);
    store<u32>(out + (i << 2), (px & 0xff000000) | (b << 16) | (g << 8) | r);
  }
}
