/**
 * Blending and soft-mask kernels: alpha blend + boundary map, separable Gaussian feather,
 * square erode/dilate and convex-polygon fill. Float masks are row-major f32.
 */
import { loadPx, storePx, clampI } from './common';

/** out = m * fg + (1 - m) * bg per pixel (m clamped to 0..1); boundary = 4 m (1 - m) when boundary != 0. */
export function alphaBlend(fg: usize, bg: usize, mask: usize, n: i32, out: usize, boundary: usize): void {
  const count = <usize>n;
  for (let i: usize = 0; i < count; i++) {
    let m = load<f32>(mask + (i << 2));
    m = m > 0 ? (m < 1 ? m : 1) : 0;
    const b = loadPx(bg + (i << 2));
    storePx(out + (i << 2), f32x4.add(b, f32x4.mul(f32x4.splat(m), f32x4.sub(loadPx(fg + (i << 2)), b))));
  }
  if (boundary == 0) return;
  const zero = f32x4.splat(0), one = f32x4.splat(1), four = f32x4.splat(4);
  let i: usize = 0;
  for (; i + 4 <= count; i += 4) {
    const m = f32x4.min(f32x4.max(v128.load(mask + (i << 2)), zero), one);
    v128.store(boundary + (i << 2), f32x4.mul(f32x4.mul(four, m), f32x4.sub(one, m)));
  }
  for (; i < count; i++) {
    let m = load<f32>(mask + (i << 2));
    m = m > 0 ? (m < 1 ? m : 1) : 0;
    store<f32>(boundary + (i << 2), 4 * m * (1 - m));
  }
}

/** Copies row y of src (w floats) into pad with r replicated values on both sides. */
@inline function padRow(src: usize, w: i32, r: i32, pad: usize): void {
  memory.copy(pad + (<usize>r << 2), src, <usize>w << 2);
  const first = load<f32>(src), last = load<f32>(src + ((<usize>w - 1) << 2));
  for (let k = 0; k < r; k++) {
    store<f32>(pad + (<usize>k << 2), first);
    store<f32>(pad + ((<usize>(r + w + k)) << 2), last);
  }
}

/**
 * Separable convolution with a symmetric kernel of 2r+1 weights (replicate border).
 * op 0 = weighted sum (Gaussian), 1 = max (dilate), 2 = min (erode; weights unused).
 * Scratch: pad holds w + 2r floats, tmp holds w * h floats.
 */
export function separable(src: usize, w: i32, h: i32, weights: usize, r: i32, op: i32, pad: usize, tmp: usize, out: usize): void {
  const taps = 2 * r + 1;
  const row = <usize>w << 2;
  // Horizontal pass: 4 output pixels per step, unaligned loads from the padded row.
  for (let y = 0; y < h; y++) {
    padRow(src + <usize>y * row, w, r, pad);
    const dst = tmp + <usize>y * row;
    let x = 0;
    for (; x + 4 <= w; x += 4) {
      const p = pad + (<usize>x << 2);
      let acc = v128.load(p);
      if (op == 0) acc = f32x4.mul(acc, f32x4.splat(load<f32>(weights)));
      for (let k = 1; k < taps; k++) {
        const v = v128.load(p + (<usize>k << 2));
        if (op == 0) acc = f32x4.add(acc, f32x4.mul(v, f32x4.splat(load<f32>(weights + (<usize>k << 2)))));
        else if (op == 1) acc = f32x4.max(acc, v);
        else acc = f32x4.min(acc, v);
      }
      v128.store(dst + (<usize>x << 2), acc);
    }
    for (; x < w; x++) {
      const p = pad + (<usize>x << 2);
      let acc = load<f32>(p);
      if (op == 0) acc *= load<f32>(weights);
      for (let k = 1; k < taps; k++) {
        const v = load<f32>(p + (<usize>k << 2));
        if (op == 0) acc += v * load<f32>(weights + (<usize>k << 2));
        else if (op == 1) acc = Mathf.max(acc, v);
        else acc = Mathf.min(acc, v);
      }
      store<f32>(dst + (<usize>x << 2), acc);
    }
  }
  // Vertical pass: 4 adjacent columns per step, rows clamped.
  for (let y = 0; y < h; y++) {
    const dst = out + <usize>y * row;
    let x = 0;
    for (; x + 4 <= w; x += 4) {
      const col = tmp + (<usize>x << 2);
      let acc = v128.load(col + <usize>clampI(y - r, 0, h - 1) * row);
      if (op == 0) acc = f32x4.mul(acc, f32x4.splat(load<f32>(weights)));
      for (let k = 1; k < taps; k++) {
        const v = v128.load(col + <usize>clampI(y + k - r, 0, h - 1) * row);
        if (op == 0) acc = f32x4.add(acc, f32x4.mul(v, f32x4.splat(load<f32>(weights + (<usize>k << 2)))));
        else if (op == 1) acc = f32x4.max(acc, v);
        else acc = f32x4.min(acc, v);
      }
      v128.store(dst + (<usize>x << 2), acc);
    }
    for (; x < w; x++) {
      const col = tmp + (<usize>x << 2);
      let acc = load<f32>(col + <usize>clampI(y - r, 0, h - 1) * row);
      if (op == 0) acc *= load<f32>(weights);
      for (let k = 1; k < taps; k++) {
        const v = load<f32>(col + <usize>clampI(y + k - r, 0, h - 1) * row);
        if (op == 0) acc += v * load<f32>(weights + (<usize>k << 2));
        else if (op == 1) acc = Mathf.max(acc, v);
        else acc = Mathf.min(acc, v);
      }
      store<f32>(dst + (<usize>x << 2), acc);
    }
  }
}

/**
 * Fills a convex polygon given as n inward half-planes (nx, ny, c: f32 each, unit normal) into out (w x h).
 * d = min_i(nx x + ny y + c) at the pixel centre; aa != 0: clamp(d + 0.5, 0, 1), else d >= 0 ? 1 : 0.
 */
export function fillPolygon(out: usize, w: i32, h: i32, edges: usize, n: i32, aa: i32): void {
  const half = f32x4.splat(0.5), zero = f32x4.splat(0), one = f32x4.splat(1);
  const step = f32x4.splat(4);
  for (let y = 0; y < h; y++) {
    const yc = <f32>y + 0.5;
    const dst = out + (<usize>y * <usize>w << 2);
    let xc = f32x4(0.5, 1.5, 2.5, 3.5);
    let x = 0;
    for (; x + 4 <= w; x += 4, xc = f32x4.add(xc, step)) {
      let d = f32x4.splat(Infinity);
      for (let i = 0; i < n; i++) {
        const e = edges + <usize>i * 12;
        const nx = load<f32>(e), ny = load<f32>(e, 4), c = load<f32>(e, 8);
        d = f32x4.min(d, f32x4.add(f32x4.mul(xc, f32x4.splat(nx)), f32x4.splat(ny * yc + c)));
      }
      const v = aa ? f32x4.min(f32x4.max(f32x4.add(d, half), zero), one) : v128.and(f32x4.ge(d, zero), one);
      v128.store(dst + (<usize>x << 2), v);
    }
    for (; x < w; x++) {
      const px = <f32>x + 0.5;
      let d: f32 = Infinity;
      for (let i = 0; i < n; i++) {
        const e = edges + <usize>i * 12;
        d = Mathf.min(d, load<f32>(e) * px + (load<f32>(e, 4) * yc + load<f32>(e, 8)));
      }
      store<f32>(dst + (<usize>x << 2), aa ? Mathf.min(Mathf.max(d + 0.5, 0), 1) : (d >= 0 ? <f32>1 : <f32>0));
    }
  }
}
