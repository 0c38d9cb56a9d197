/**
 * @module wasm/kernel-math
 * Parameter preparation and validation shared by the wasm wrapper and the TS reference, so both
 * implementations see identical weights, edges, palettes, colour matrices and boxes.
 */
import type { Affine } from '../pipeline/align';
import { invertAffine } from '../pipeline/align';
import type { Point2, RgbaImage } from '../pipeline/types';
import type { TensorOptions, XrayStats } from './types';

export function checkImage(img: RgbaImage, what = 'image'): void {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what}: bad size ${width}x${height}`);
  }
  if (data.length !== width * height * 4) throw new RangeError(`${what}: data has ${data.length} bytes, expected ${width * height * 4}`);
}

export function checkSize(width: number, height: number, what = 'output'): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${what}: bad size ${width}x${height}`);
  }
}

export function checkMask(mask: Float32Array, width: number, height: number, what = 'mask'): void {
  checkSize(width, height, what);
  if (mask.length !== width * height) throw new RangeError(`${what}: ${mask.length} values, expected ${width}x${height}`);
}

export function checkAffine(m: Affine): void {
  if (m.length !== 6 || !m.every(Number.isFinite)) throw new RangeError('affine: expected 6 finite numbers');
}

export function newImage(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}

/** Round half up and saturate to 0..255 (what the wasm store does). */
export function round8(v: number): number {
  return v <= 0 ? 0 : v >= 254.5 ? 255 : Math.floor(v + 0.5);
}

/** Pixel box [x0, x1) x [y0, y1) of the image covered by the w x h rectangle mapped through m (clamped). */
export function projectedBox(m: Affine, w: number, h: number, imageWidth: number, imageHeight: number) {
  const xs = [m[2], m[0] * w + m[2], m[1] * h + m[2], m[0] * w + m[1] * h + m[2]];
  const ys = [m[5], m[3] * w + m[5], m[4] * h + m[5], m[3] * w + m[4] * h + m[5]];
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(imageWidth, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(imageHeight, Math.ceil(Math.max(...ys)));
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1), inverse: invertAffine(m) };
}

/** Per output channel: value = raw * scale + bias. Lane 3 (alpha) is unused. */
export function tensorParams(options: TensorOptions = {}) {
  const mean = options.mean ?? [0, 0, 0], std = options.std ?? [1, 1, 1];
  const scale = new Float32Array(4), bias = new Float32Array(4);
  for (let c = 0; c < 3; c++) {
    if (!(std[c] !== 0 && Number.isFinite(std[c]) && Number.isFinite(mean[c]))) throw new RangeError('tensor: bad mean/std');
    scale[c] = 1 / (255 * std[c]);
    bias[c] = -mean[c] / std[c];
  }
  return { scale, bias, nhwc: options.layout === 'nhwc', bgr: options.channelOrder === 'bgr' };
}

/** Normalised Gaussian taps, radius ceil(3σ); σ <= 0 gives the identity kernel. */
export function gaussianWeights(sigma: number): Float32Array {
  if (!(sigma > 0)) return Float32Array.of(1);
  const r = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  return Float32Array.from(w, (v) => v / sum);
}

/** Inward unit-normal half-planes (nx, ny, c) of a convex polygon; a degenerate polygon gives one empty half-plane. */
export function polygonEdges(points: readonly Point2[]): Float32Array {
  let area = 0;
  const n = points.length;
  for (let i = 0; i < n; i++) {
    const p = points[i], q = points[(i + 1) % n];
    area += p[0] * q[1] - q[0] * p[1];
  }
  const edges: number[] = [];
  if (n >= 3 && Math.abs(area) > 1e-9) {
    const sign = area > 0 ? 1 : -1;
    for (let i = 0; i < n; i++) {
      const p = points[i], q = points[(i + 1) % n];
      const dx = q[0] - p[0], dy = q[1] - p[1], len = Math.hypot(dx, dy);
      if (len < 1e-9) continue;
      const nx = (-dy / len) * sign, ny = (dx / len) * sign;
      edges.push(nx, ny, -(nx * p[0] + ny * p[1]));
    }
  }
  if (edges.length === 0) edges.push(0, 0, -1);
  return Float32Array.from(edges);
}

// ---------- colour (CIELAB, D65) ----------

export const LAB_EPS = 216 / 24389;
export const LAB_KAPPA = 24389 / 27;
export const LAB_DELTA = 6 / 29;
type Mat3 = number[][];

export const srgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
export const linearToSrgb = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055);

const RGB_TO_XYZ: Mat3 = [
  [0.4124564, 0.3575761, 0.1804375],
  [0.2126729, 0.7151522, 0.072175],
  [0.0193339, 0.119192, 0.9503041],
];
const WHITE = RGB_TO_XYZ.map((row) => row[0] + row[1] + row[2]);
const LAB_FROM_F: Mat3 = [[0, 116, 0], [500, -500, 0], [0, 200, -200]];
const LAB_FROM_F_OFFSET = [-16, 0, 0];

function mul3(a: Mat3, b: Mat3): Mat3 {
  return a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j]));
}
const apply3 = (m: Mat3, v: number[]) => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]);

function inv3(m: Mat3): Mat3 {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Linear RGB -> XYZ / white. */
export const XYZN_FROM_RGB: Mat3 = RGB_TO_XYZ.map((row, i) => row.map((v) => v / WHITE[i]));
/** XYZ / white -> linear RGB. */
export const RGB_FROM_XYZN: Mat3 = inv3(XYZN_FROM_RGB);

/** 256 sRGB levels -> linear. */
export const SRGB_DECODE_LUT = Float32Array.from({ length: 256 }, (_, i) => srgbToLinear(i / 255));
/** 4097 samples of linear 0..1 -> sRGB 0..255 (linearly interpolated by the wasm kernel). */
export const SRGB_ENCODE_LUT = Float32Array.from({ length: 4097 }, (_, i) => 255 * linearToSrgb(i / 4096));

export type LabSums = { w: number; sum: number[]; sq: number[] };

/** Affine in f-space (f = companded XYZ/white) that applies the Reinhard LAB transfer with a strength. */
export function colorTransferAffine(src: LabSums, ref: LabSums, strength: number): { matrix: Mat3; offset: number[] } {
  const moments = (s: LabSums) => {
    const w = s.w > 0 ? s.w : 1;
    const mean = s.sum.map((v) => v / w);
    const std = s.sq.map((v, c) => Math.sqrt(Math.max(0, v / w - mean[c] * mean[c])));
    return { mean, std };
  };
  const ms = moments(src), mr = moments(ref);
  const ok = src.w > 0 && ref.w > 0;
  const k = [0, 1, 2].map((c) => (ok && ms.std[c] > 1e-6 ? mr.std[c] / ms.std[c] : 1));
  const o = [0, 1, 2].map((c) => (ok ? mr.mean[c] - k[c] * ms.mean[c] : 0));
  const s = Math.min(1, Math.max(0, strength));
  const kk = k.map((v) => 1 + s * (v - 1)), oo = o.map((v) => s * v);
  const K: Mat3 = [[kk[0], 0, 0], [0, kk[1], 0], [0, 0, kk[2]]];
  const fFromLab = inv3(LAB_FROM_F);
  const matrix = mul3(fFromLab, mul3(K, LAB_FROM_F));
  const labOffset = [0, 1, 2].map((c) => kk[c] * LAB_FROM_F_OFFSET[c] + oo[c] - LAB_FROM_F_OFFSET[c]);
  return { matrix, offset: apply3(fFromLab, labOffset) };
}

/** The 40 f32 values the wasm colour kernels read: see assembly/color.ts. */
export function colorParams(affine?: { matrix: Mat3; offset: number[] }): Float32Array {
  const p = new Float32Array(40);
  const cols = (m: Mat3, at: number) => {
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) p[at + j * 4 + i] = m[i][j];
  };
  cols(XYZN_FROM_RGB, 0);
  if (affine) {
    cols(affine.matrix, 12);
    p.set(affine.offset, 24);
  }
  cols(RGB_FROM_XYZN, 28);
  return p;
}

export { apply3 };

// ---------- X-ray palette ----------

/** 256-entry "jet" heat palette, RGBA8 (alpha 255). */
export const HEAT_PALETTE: Uint8Array = (() => {
  const p = new Uint8Array(256 * 4);
  const ramp = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  for (let i = 0; i < 256; i++) {
    const v = i / 255;
    p.set([ramp(1.5 - Math.abs(4 * v - 3)), ramp(1.5 - Math.abs(4 * v - 2)), ramp(1.5 - Math.abs(4 * v - 1)), 255], i * 4);
  }
  return p;
})();

export function paletteLevel(v: number): number {
  return Math.floor(Math.min(1, Math.max(0, v)) * 255 + 0.5);
}

export function statsFrom(peak: number, sum: number, above: number, n: number, threshold: number): XrayStats {
  return { peak: n > 0 ? peak : 0, mean: n > 0 ? sum / n : 0, fractionAbove: n > 0 ? above / n : 0, threshold };
}

/**
 * The wasm kernels step source positions in 32.32 fixed point, so every position the rectangle
 * [x0, x1] x [y0, y1] maps to through m must stay within ±2^30 px. Both implementations enforce it.
 */
export function checkReach(m: Affine, x0: number, y0: number, x1: number, y1: number): void {
  const LIMIT = 2 ** 30;
  for (const [x, y] of [[x0, y0], [x1, y0], [x0, y1], [x1, y1]]) {
    if (Math.abs(m[0] * x + m[1] * y + m[2]) >= LIMIT || Math.abs(m[3] * x + m[4] * y + m[5]) >= LIMIT) {
      throw new RangeError('affine: maps pixels beyond ±2^30 px');
    }
  }
}

// ---------- piecewise-affine warp ----------

/** Index triple into a point list (see src/pipeline/triangulate.ts). */
export type Triangle = readonly [number, number, number];

/** f64 values per triangle in the packed warpTriangles parameters (see `triangleWarpParams`). */
export const TRIANGLE_STRIDE = 18;
/** Pixel centres within this many px outside a triangle edge count as inside (no cracks from rounding). */
export const TRIANGLE_EPS = 1e-6;

/**
 * Packs, per non-degenerate destination triangle: the affine destination -> source (continuous coordinates,
 * a..f), three inward edge functions A x + B y + C >= 0 (unnormalised, exact for the given points) and the
 * pixel rows [y0, y1) whose centres the triangle can cover. Both implementations read these values, so the
 * coverage decisions (which pixel belongs to which triangle) are bit-identical; later triangles win shared edges.
 */
export function triangleWarpParams(
  srcPoints: readonly Point2[], dstPoints: readonly Point2[], triangles: readonly Triangle[], width: number, height: number,
): Float64Array {
  if (srcPoints.length !== dstPoints.length) throw new RangeError(`warpTriangles: ${srcPoints.length} source points but ${dstPoints.length} destination points`);
  for (const p of [...srcPoints, ...dstPoints]) {
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new RangeError('warpTriangles: points must be finite [x, y] pairs');
  }
  const out: number[] = [];
  for (const tri of triangles) {
    if (tri.length !== 3 || !tri.every((i) => Number.isInteger(i) && i >= 0 && i < dstPoints.length)) {
      throw new RangeError(`warpTriangles: bad triangle ${JSON.stringify(tri)} for ${dstPoints.length} points`);
    }
    const [p0, p1, p2] = tri.map((i) => dstPoints[i]);
    const [s0, s1, s2] = tri.map((i) => srcPoints[i]);
    const ux = p1[0] - p0[0], uy = p1[1] - p0[1], vx = p2[0] - p0[0], vy = p2[1] - p0[1];
    const det = ux * vy - uy * vx;
    if (!(Math.abs(det) > 1e-9)) continue; // degenerate destination triangle covers no area
    // src = S · D⁻¹ · (dst − p0) + s0, with D = [u v] and S = [s1 − s0, s2 − s0] as columns.
    const ia = vy / det, ib = -vx / det, ic = -uy / det, id = ux / det;
    const sux = s1[0] - s0[0], suy = s1[1] - s0[1], svx = s2[0] - s0[0], svy = s2[1] - s0[1];
    const a = sux * ia + svx * ic, b = sux * ib + svx * id, d = suy * ia + svy * ic, e = suy * ib + svy * id;
    const c = s0[0] - (a * p0[0] + b * p0[1]), f = s0[1] - (d * p0[0] + e * p0[1]);
    const sign = det > 0 ? 1 : -1;
    const edges: number[] = [];
    for (const [p, q] of [[p0, p1], [p1, p2], [p2, p0]]) {
      const A = -(q[1] - p[1]) * sign, B = (q[0] - p[0]) * sign;
      edges.push(A, B, -(A * p[0] + B * p[1]));
    }
    const minY = Math.min(p0[1], p1[1], p2[1]), maxY = Math.max(p0[1], p1[1], p2[1]);
    const y0 = Math.max(0, Math.ceil(minY - 0.5 - TRIANGLE_EPS)), y1 = Math.min(height, Math.floor(maxY - 0.5 + TRIANGLE_EPS) + 1);
    if (y1 <= y0) continue;
    const minX = Math.max(0, Math.floor(Math.min(p0[0], p1[0], p2[0])));
    const maxX = Math.min(width, Math.ceil(Math.max(p0[0], p1[0], p2[0])));
    if (maxX <= minX) continue;
    const m = [a, b, c, d, e, f] as const;
    checkAffine(m);
    checkReach(m, minX, y0, maxX, y1);
    out.push(a, b, c, d, e, f, ...edges, y0, y1, 0);
  }
  return Float64Array.from(out);
}

/**
 * Inclusive pixel columns [x0, x1] of row y (centre yc) inside triangle t of the packed params, clamped to
 * [0, width); x1 < x0 when the row misses it. The AssemblyScript kernel repeats this arithmetic operation for
 * operation, in f64, so both implementations agree exactly.
 */
export function triangleSpan(params: Float64Array, t: number, yc: number, width: number): [number, number] {
  const o = t * TRIANGLE_STRIDE + 6;
  let xl = -Infinity, xr = Infinity;
  for (let k = 0; k < 3; k++) {
    const A = params[o + 3 * k], B = params[o + 3 * k + 1], C = params[o + 3 * k + 2];
    const v = B * yc + C;
    if (A > 0) {
      const q = -v / A;
      if (q > xl) xl = q;
    } else if (A < 0) {
      const q = -v / A;
      if (q < xr) xr = q;
    } else if (v < -TRIANGLE_EPS * Math.abs(B)) {
      return [0, -1];
    }
  }
  return [Math.max(0, Math.ceil(xl - 0.5 - TRIANGLE_EPS)), Math.min(width - 1, Math.floor(xr - 0.5 + TRIANGLE_EPS))];
}
