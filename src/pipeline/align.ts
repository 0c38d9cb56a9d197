/**
 * @module align
 * Geometry shared by every face stage: the ArcFace 5-point template, least-squares similarity
 * (Umeyama), and 2x3 affine helpers. The kernels in src/wasm consume these matrices.
 *
 * Conventions: an `Affine` is row-major [a, b, c, d, e, f] mapping (x, y) -> (a x + b y + c, d x + e y + f).
 * Kernel matrices work in continuous coordinates, where pixel (i, j) covers [i, i+1) x [j, j+1) and its
 * centre is (i + 0.5, j + 0.5). Keypoints and templates use the OpenCV/insightface convention (pixel centre
 * at integer coordinates); `alignmentMatrix` converts between the two.
 */
import type { Point2 } from './types';

export type Affine = readonly [number, number, number, number, number, number];

/** ArcFace 5-point template for a 112x112 crop (left eye, right eye, nose tip, left/right mouth corner). */
export const ARCFACE_TEMPLATE_112: readonly Point2[] = Object.freeze([
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
] as Point2[]);

export const IDENTITY_AFFINE: Affine = [1, 0, 0, 0, 1, 0];

/**
 * The ArcFace template scaled to a `size` x `size` crop.
 * @example arcfaceTemplate(256) // [[87.53, 118.16], ...]
 */
export function arcfaceTemplate(size: number, template: readonly Point2[] = ARCFACE_TEMPLATE_112): Point2[] {
  const s = size / 112;
  return template.map(([x, y]) => [x * s, y * s] as Point2);
}

/** (x, y) mapped through m. */
export function applyAffine(m: Affine, p: Point2): Point2 {
  return [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]];
}

/** The inverse affine; throws if m is singular. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError('invertAffine: singular matrix');
  const ia = e / det, ib = -b / det, id = -d / det, ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/**
 * outer ∘ inner: applying the result equals applying `inner` first, then `outer`.
 * @example composeAffine(invertAffine(m), m) // ≈ IDENTITY_AFFINE
 */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [p, q, r, s, t, u] = inner;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}

/** Pure translation by (tx, ty). */
export function translateAffine(tx: number, ty: number): Affine {
  return [1, 0, tx, 0, 1, ty];
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; never a reflection) mapping src -> dst.
 * This is Umeyama's estimator; in 2-D it has the closed form used here
 * (a = Σ s·d / Σ|s|², b = Σ s×d / Σ|s|² on centred points, R·k = [[a, -b], [b, a]]).
 * @example estimateSimilarity(keypoints, arcfaceTemplate(112)) // image -> crop
 */
export function estimateSimilarity(src: readonly Point2[], dst: readonly Point2[]): Affine {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new RangeError('estimateSimilarity: need >= 2 point pairs of equal count');
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i][0]; msy += src[i][1]; mdx += dst[i][0]; mdy += dst[i][1];
  }
  msx /= n; msy /= n; mdx /= n; mdy /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx, sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx, dy = dst[i][1] - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (!(norm > 1e-12)) throw new RangeError('estimateSimilarity: source points are degenerate');
  const a = dot / norm, b = cross / norm;
  return [a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)];
}

export type AlignmentOptions = {
  /** Template for a 112x112 crop (scaled to outputSize). Default: ArcFace. */
  template?: readonly Point2[];
  /** Convention of keypoints and template: 'integer' (OpenCV, default) or 'half' (already continuous). */
  pixelCenter?: 'integer' | 'half';
};

export type Alignment = {
  /** Crop (continuous coords) -> image: the matrix `warpAffine`/`warpToTensor` take to cut the crop. */
  cropToImage: Affine;
  /** Image -> crop: maps image points (continuous) into the crop. */
  imageToCrop: Affine;
};

/**
 * Similarity that aligns 5 keypoints to the template scaled to `outputSize`.
 * @example
 * const { cropToImage } = alignmentMatrix(face.keypoints, 112);
 * const tensor = kernels.warpToTensor(image, cropToImage, 112, 112, { layout: 'nchw', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
 */
export function alignmentMatrix(keypoints5: readonly Point2[], outputSize: number, options: AlignmentOptions = {}): Alignment {
  const target = arcfaceTemplate(outputSize, options.template ?? ARCFACE_TEMPLATE_112);
  const shift = options.pixelCenter === 'half' ? 0 : 0.5;
  const src = keypoints5.map(([x, y]) => [x + shift, y + shift] as Point2);
  const dst = target.map(([x, y]) => [x + shift, y + shift] as Point2);
  const imageToCrop = estimateSimilarity(src, dst);
  return { imageToCrop, cropToImage: invertAffine(imageToCrop) };
}

/**
 * Axis-aligned bounds [x1, y1, x2, y2] of the finite points (extra coordinates such as z are ignored).
 * @example boundingBox([[1, 2], [3, 0]]) // [1, 0, 3, 2]
 */
export function boundingBox(points: readonly (readonly number[])[]): [number, number, number, number] {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x1) x1 = x;
    if (y < y1) y1 = y;
    if (x > x2) x2 = x;
    if (y > y2) y2 = y;
  }
  return [x1, y1, x2, y2];
}
