/** Plain-TS bilinear samplers mirroring assembly/common.ts (pixel-index coordinates). */

const clampI = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Writes the RGBA sample into out[0..3] (floats, 0..255). border 'zero' | 'replicate'. */
export function sampleRgba(src: Uint8ClampedArray, sw: number, sh: number, fx: number, fy: number, replicate: boolean, out: Float64Array): void {
  fx = Math.min(Math.max(fx, -2), sw + 1);
  fy = Math.min(Math.max(fy, -2), sh + 1);
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const tx = fx - x0, ty = fy - y0;
  out.fill(0);
  tap(src, sw, sh, x0, y0, (1 - tx) * (1 - ty), replicate, out);
  tap(src, sw, sh, x0 + 1, y0, tx * (1 - ty), replicate, out);
  tap(src, sw, sh, x0, y0 + 1, (1 - tx) * ty, replicate, out);
  tap(src, sw, sh, x0 + 1, y0 + 1, tx * ty, replicate, out);
}

function tap(src: Uint8ClampedArray, sw: number, sh: number, x: number, y: number, w: number, replicate: boolean, out: Float64Array): void {
  if (replicate) {
    x = clampI(x, 0, sw - 1);
    y = clampI(y, 0, sh - 1);
  } else if (x < 0 || y < 0 || x >= sw || y >= sh) return;
  const p = (y * sw + x) * 4;
  out[0] += src[p] * w;
  out[1] += src[p + 1] * w;
  out[2] += src[p + 2] * w;
  out[3] += src[p + 3] * w;
}

/** Bilinear sample of a float map with clamped taps. */
export function sampleF32(src: Float32Array, w: number, h: number, fx: number, fy: number): number {
  fx = Math.min(Math.max(fx, -2), w + 1);
  fy = Math.min(Math.max(fy, -2), h + 1);
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const tx = fx - x0, ty = fy - y0;
  const cx0 = clampI(x0, 0, w - 1), cx1 = clampI(x0 + 1, 0, w - 1);
  const r0 = clampI(y0, 0, h - 1) * w, r1 = clampI(y0 + 1, 0, h - 1) * w;
  const top = src[r0 + cx0] * (1 - tx) + src[r0 + cx1] * tx;
  const bottom = src[r1 + cx0] * (1 - tx) + src[r1 + cx1] * tx;
  return top * (1 - ty) + bottom * ty;
}
