/**
 * @module processors/swapper/classical
 * The classical (non-learned) face swap, the FF++ "FaceSwap" recipe on the shared kernels:
 *
 * 1. 68 iBUG landmarks of both faces (from the 468-point mesh) plus a ring of extra points outside the face;
 * 2. landmark alignment: least-squares similarity source → target, the fallback donor outside the mesh;
 * 3. piecewise-affine warp of the source over a Delaunay mesh of the target points, with the inner features
 *    (nose, eyes, mouth) placed 80 % of the way to the source's own proportions (`shapeKeep`): face shape is
 *    much of what identity is, and a pure 2D warp onto the target's landmarks throws it away;
 * 4. colour transfer in CIELAB towards the target inside the (hard) face region, half-way (`colorStrength`):
 *    enough to hide the seam, not so much that the skin tone — also identity — becomes the target's;
 * 5. feathered mask (hull of all 68 landmarks, jaw included, eroded, blurred — `makeBlendMask` of the BI
 *    synthesiser with a fixed, deterministic recipe) and `blendFaces`.
 * Heads turned opposite ways (yaw −40° onto +40°) folded the warp mesh into shreds that no detector saw as a face;
 * the source is therefore mirrored when that brings its yaw closer to the target's (`mirrorGain`).
 * The recipe was chosen with `npm run eval:swap -- --classical '{…}'` on FairFace val 1–1000 and checked on
 * val 1001–2000 (200 pairs): the earlier inner-face mask + full colour transfer + target geometry retrieved
 * the source 27 % of the time there, this recipe 63 %; mirroring (`eval:swap`, 200 pairs) took val 1–1000 from
 * 60.5 % to 64.6 % and val 1001–2000 from 62.8 % to 67.0 %, and the swaps no detector found from 16 to 9 and 9 to 6.
 *
 * Everything runs on a region of interest around the target face, so the cost follows the face size,
 * not the image size. CPU only, pure (no model), worker-safe.
 * @example
 * const swapped = await classicalSwapper.swap(source, sourceFaces[0], target, targetFaces[0]);
 */
import { applyAffine, boundingBox, estimateSimilarity, invertAffine } from '../../pipeline/align.js';
import { blendFaces, makeBlendMask, matchColorStats, parsePoints, type MaskRecipe } from '../../pipeline/blend/index.js';
import { createRng } from '../../pipeline/random.js';
import { triangulate, type Triangle } from '../../pipeline/triangulate.js';
import type { Face, Point2, RgbaImage } from '../../pipeline/types.js';
import { applyOrientation } from '../../image/orientation.js';
import { kernels } from '../../wasm/kernels.js';
import { MESH_TO_68, MIRROR_68 } from '../landmarker/mesh-indices.js';
import type { SwapHints, Swapper } from './types.js';

export type ClassicalSwapperOptions = {
  /** iBUG-68 points whose convex hull is the swapped region. Default '0-67' (the whole face, jaw included). */
  maskPoints?: string;
  /** Erosion of the hull, as a fraction of the face size (long side of the 68-point box). Default 0.03. */
  erodeFrac?: number;
  /** Gaussian feather σ, as a fraction of the face size. Default 0.03. */
  blurFrac?: number;
  /** Extra mesh points: the jaw and brow outline pushed outwards by this fraction from the centroid. Default 0.25. */
  ringScale?: number;
  /** How far the colour transfer goes: 0 keeps the source's colours, 1 matches the target's mean/std. Default 0.5. */
  colorStrength?: number;
  /**
   * How much of the source's own face shape survives: the inner features (nose, eyes, mouth) are placed at
   * target + shapeKeep · (source similarity-aligned onto the target − target). 0 = the target's geometry
   * (pure piecewise-affine), 1 = the source's proportions. The outline stays the target's. Default 0.8.
   */
  shapeKeep?: number;
  /**
   * Mirror the source when that narrows the source–target yaw gap by more than this many degrees
   * (Infinity: never). Default 10.
   */
  mirrorGain?: number;
  /** Decide the mirroring instead of `mirrorGain` (a `SwapHints.mirrorSource` lands here). */
  mirrorSource?: boolean;
};

export type ClassicalSwapResult = {
  image: RgbaImage;
  /** Region of the target that was processed; pixels outside it are the target's, byte for byte. */
  roi: { x: number; y: number; width: number; height: number };
  /** Soft blend mask over the roi (roi.width × roi.height). */
  mask: Float32Array;
  /** Mesh points in roi coordinates and the triangles used for the warp. */
  points: Point2[];
  triangles: Triangle[];
};

type Recipe = Required<Omit<ClassicalSwapperOptions, 'mirrorSource'>>;

const DEFAULTS: Recipe = {
  maskPoints: '0-67', erodeFrac: 0.03, blurFrac: 0.03, ringScale: 0.25, colorStrength: 0.5, shapeKeep: 0.8,
  mirrorGain: 10,
};
/** Outer outline of the 68 points: jaw 0–16 and brows 17–26. */
const OUTLINE = Array.from({ length: 27 }, (_, i) => i);
/** Inner features: nose 27–35, eyes 36–47, mouth 48–67. */
const INNER_FROM = 27;

/** The 68 iBUG points of a face (continuous image coordinates, as the BI synthesiser uses them). */
export function points68(face: Face): Point2[] {
  return MESH_TO_68.map((i) => [face.landmarks[i][0], face.landmarks[i][1]] as Point2);
}

/** The 68 points plus the outline ring (27 points pushed `ringScale` away from the landmark centroid). */
export function meshPoints(p68: readonly Point2[], ringScale = DEFAULTS.ringScale): Point2[] {
  let cx = 0, cy = 0;
  for (const [x, y] of p68) { cx += x / p68.length; cy += y / p68.length; }
  const ring = OUTLINE.map((i) => [p68[i][0] + ringScale * (p68[i][0] - cx), p68[i][1] + ringScale * (p68[i][1] - cy)] as Point2);
  return [...p68.map((p) => [p[0], p[1]] as Point2), ...ring];
}

/** Target points with the inner features moved `keep` of the way to the source's (similarity-aligned) shape. */
export function blendShape(source68: readonly Point2[], target68: readonly Point2[], keep: number): Point2[] {
  if (!(keep > 0)) return target68.map((p) => [p[0], p[1]] as Point2);
  const toTarget = estimateSimilarity(source68, target68);
  return target68.map((p, i) => {
    if (i < INNER_FROM) return [p[0], p[1]] as Point2;
    const [sx, sy] = applyAffine(toTarget, source68[i]);
    return [p[0] + keep * (sx - p[0]), p[1] + keep * (sy - p[1])] as Point2;
  });
}

/** Degrees by which mirroring the source narrows its yaw gap to the target (negative: it widens it). */
export function mirrorBenefit(sourceYaw: number, targetYaw: number): number {
  return Math.abs(sourceYaw - targetYaw) - Math.abs(-sourceYaw - targetYaw);
}

/**
 * For a stream of frames: whether to mirror, with hysteresis (on above `gain + band`, off below `gain − band`)
 * so that a head hovering at the threshold does not make the swapped identity flip sides every frame.
 */
export function createMirrorDecider({ gain = DEFAULTS.mirrorGain, band = 5 }: { gain?: number; band?: number } = {}) {
  let mirrored: boolean | null = null;
  return (sourceYaw: number, targetYaw: number): boolean => {
    const benefit = mirrorBenefit(sourceYaw, targetYaw);
    if (mirrored === null) mirrored = benefit > gain;
    else if (mirrored && benefit < gain - band) mirrored = false;
    else if (!mirrored && benefit > gain + band) mirrored = true;
    return mirrored;
  };
}

/**
 * The source as the swap uses it: its pixels and 68 points, mirrored when asked. Only the region the warp can
 * read is mirrored (the landmark ring's box, `ringScale` + 10 % margin), not the photo.
 */
export function orientSource(
  source: RgbaImage, sourceFace: Face, mirror: boolean, ringScale = DEFAULTS.ringScale,
): { image: RgbaImage; p68: Point2[] } {
  const p68 = points68(sourceFace);
  if (!mirror) return { image: source, p68 };
  const [bx0, by0, bx1, by1] = boundingBox(meshPoints(p68, ringScale + 0.1));
  const x0 = clampInt(Math.floor(bx0), 0, source.width - 1), y0 = clampInt(Math.floor(by0), 0, source.height - 1);
  const x1 = clampInt(Math.ceil(bx1), x0 + 1, source.width), y1 = clampInt(Math.ceil(by1), y0 + 1, source.height);
  const region = crop(source, x0, y0, x1 - x0, y1 - y0);
  // Continuous coordinates (pixel i spans [i, i+1]): the mirror of x is width − x.
  const mirrored = MIRROR_68.map((j) => [region.width - (p68[j][0] - x0), p68[j][1] - y0] as Point2);
  return { image: applyOrientation(region, 2), p68: mirrored };
}

const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** `from` moved `t` of the way towards `to`, per channel (alpha from `from`). */
function mix(from: RgbaImage, to: RgbaImage, t: number): RgbaImage {
  if (t >= 1) return to;
  const out = new Uint8ClampedArray(from.data);
  for (let i = 0; i < out.length; i++) if ((i & 3) !== 3) out[i] = from.data[i] + t * (to.data[i] - from.data[i]);
  return { width: from.width, height: from.height, data: out };
}

/** The fixed mask recipe: one variant, no deformation, always the same erosion, one blur, ratio 1. */
function maskRecipe(o: Recipe): MaskRecipe {
  return {
    variants: [{ name: 'swap', points: o.maskPoints, prob: 1, indices: parsePoints(o.maskPoints) }],
    deform: { prob: 0, elastic_prob: 0, elastic: { alpha_frac: [0, 0], grid: 2, step_frac: 1 }, piecewise_affine: { vertex_jitter_frac: [0, 0] } },
    erode_dilate: { prob: o.erodeFrac > 0 ? 1 : 0, frac: [-o.erodeFrac, -o.erodeFrac] },
    blur: { sigma_frac: [o.blurFrac, o.blurFrac], second_prob: 0, second_sigma_frac: [0, 0] },
    blend_ratio_choices: [1],
  };
}

function crop(image: RgbaImage, x: number, y: number, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const at = ((y + row) * image.width + x) * 4;
    data.set(image.data.subarray(at, at + width * 4), row * width * 4);
  }
  return { width, height, data };
}

function paste(into: RgbaImage, part: RgbaImage, x: number, y: number): void {
  for (let row = 0; row < part.height; row++) {
    into.data.set(part.data.subarray(row * part.width * 4, (row + 1) * part.width * 4), ((y + row) * into.width + x) * 4);
  }
}

/**
 * The classical swap with its intermediate products (for tests and debugging).
 * @example
 * const { image, mask, roi } = swapClassical(source, sourceFace, target, targetFace);
 */
export function swapClassical(
  source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face, options: ClassicalSwapperOptions = {},
): ClassicalSwapResult {
  const o = { ...DEFAULTS, ...options };
  const mirror = o.mirrorSource ?? mirrorBenefit(sourceFace.pose.yaw, targetFace.pose.yaw) > o.mirrorGain;
  const { image: donorImage, p68: source68 } = orientSource(source, sourceFace, mirror, o.ringScale);
  const target68 = blendShape(source68, points68(targetFace), o.shapeKeep);
  const sourceMesh = meshPoints(source68, o.ringScale), targetMesh = meshPoints(target68, o.ringScale);

  // Region of interest: the target mesh's box (the ring already leaves room for the feather), clamped.
  const xs = targetMesh.map((p) => p[0]), ys = targetMesh.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 2), y0 = Math.max(0, Math.floor(Math.min(...ys)) - 2);
  const x1 = Math.min(target.width, Math.ceil(Math.max(...xs)) + 2), y1 = Math.min(target.height, Math.ceil(Math.max(...ys)) + 2);
  if (x1 - x0 < 2 || y1 - y0 < 2) throw new RangeError('swapClassical: the target face lies outside the image');
  const roi = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const local = targetMesh.map(([x, y]) => [x - x0, y - y0] as Point2);
  const background = crop(target, x0, y0, roi.width, roi.height);

  const triangles = triangulate(local);
  const aligned = kernels.warpAffine(donorImage, invertAffine(estimateSimilarity(source68, local.slice(0, 68))), roi.width, roi.height, { border: 'replicate' });
  const warped = kernels.warpTriangles(donorImage, sourceMesh, local, triangles, roi.width, roi.height);
  const coverage = new Float32Array(roi.width * roi.height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = warped.data[i * 4 + 3] / 255;
  const donor = kernels.alphaBlend(warped, aligned, coverage).image;
  const mask = makeBlendMask(local.slice(0, 68), roi.width, roi.height, createRng(0), maskRecipe(o));
  const corrected = mix(donor, matchColorStats(donor, background, mask.hard, { space: 'lab' }), o.colorStrength);
  const blended = blendFaces(background, corrected, mask.mask).image;

  const image: RgbaImage = { width: target.width, height: target.height, data: new Uint8ClampedArray(target.data) };
  paste(image, blended, x0, y0);
  return { image, roi, mask: mask.mask, points: local, triangles };
}

/**
 * @example
 * const swapper = createClassicalSwapper({ maskPoints: '17-67', shapeKeep: 0 }); // inner face only, target geometry
 */
export function createClassicalSwapper(options: ClassicalSwapperOptions = {}): Swapper {
  return Object.freeze({
    name: 'classical',
    async swap(source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face, hints?: SwapHints): Promise<RgbaImage> {
      return swapClassical(source, sourceFace, target, targetFace, { ...options, mirrorSource: hints?.mirrorSource ?? options.mirrorSource }).image;
    },
  });
}

export const classicalSwapper: Swapper = createClassicalSwapper();
