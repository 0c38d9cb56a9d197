/**
 * @module processors/swapper/classical
 * The classical (non-learned) face swap, the FF++ "FaceSwap" recipe on the shared kernels:
 *
 * 1. 68 iBUG landmarks of both faces (from the 468-point mesh) plus a ring of extra points outside the face;
 * 2. landmark alignment: least-squares similarity source → target, the fallback donor outside the mesh;
 * 3. piecewise-affine warp of the source onto the target geometry over a Delaunay mesh of the target points;
 * 4. colour transfer in CIELAB towards the target inside the (hard) face region;
 * 5. feathered mask (hull of the inner-face landmarks, eroded, blurred — `makeBlendMask` of the BI
 *    synthesiser with a fixed, deterministic recipe) and `blendFaces`.
 *
 * Everything runs on a region of interest around the target face, so the cost follows the face size,
 * not the image size. CPU only, pure (no model), worker-safe.
 * @example
 * const swapped = await classicalSwapper.swap(source, sourceFaces[0], target, targetFaces[0]);
 */
import { estimateSimilarity, invertAffine } from '../../pipeline/align.js';
import { blendFaces, makeBlendMask, matchColorStats, parsePoints, type MaskRecipe } from '../../pipeline/blend/index.js';
import { createRng } from '../../pipeline/random.js';
import { triangulate, type Triangle } from '../../pipeline/triangulate.js';
import type { Face, Point2, RgbaImage } from '../../pipeline/types.js';
import { kernels } from '../../wasm/kernels.js';
import { MESH_TO_68 } from '../landmarker/mesh-indices.js';
import type { Swapper } from './types.js';

export type ClassicalSwapperOptions = {
  /** iBUG-68 points whose convex hull is the swapped region. Default '17-67' (brows, eyes, nose, mouth). */
  maskPoints?: string;
  /** Erosion of the hull, as a fraction of the face size (long side of the 68-point box). Default 0.03. */
  erodeFrac?: number;
  /** Gaussian feather σ, as a fraction of the face size. Default 0.03. */
  blurFrac?: number;
  /** Extra mesh points: the jaw and brow outline pushed outwards by this fraction from the centroid. Default 0.25. */
  ringScale?: number;
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

const DEFAULTS: Required<ClassicalSwapperOptions> = { maskPoints: '17-67', erodeFrac: 0.03, blurFrac: 0.03, ringScale: 0.25 };
/** Outer outline of the 68 points: jaw 0–16 and brows 17–26. */
const OUTLINE = Array.from({ length: 27 }, (_, i) => i);

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

/** The fixed mask recipe: one variant, no deformation, always the same erosion, one blur, ratio 1. */
function maskRecipe(o: Required<ClassicalSwapperOptions>): MaskRecipe {
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
  const source68 = points68(sourceFace), target68 = points68(targetFace);
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
  const aligned = kernels.warpAffine(source, invertAffine(estimateSimilarity(source68, local.slice(0, 68))), roi.width, roi.height, { border: 'replicate' });
  const warped = kernels.warpTriangles(source, sourceMesh, local, triangles, roi.width, roi.height);
  const coverage = new Float32Array(roi.width * roi.height);
  for (let i = 0; i < coverage.length; i++) coverage[i] = warped.data[i * 4 + 3] / 255;
  const donor = kernels.alphaBlend(warped, aligned, coverage).image;
  const mask = makeBlendMask(local.slice(0, 68), roi.width, roi.height, createRng(0), maskRecipe(o));
  const corrected = matchColorStats(donor, background, mask.hard, { space: 'lab' });
  const blended = blendFaces(background, corrected, mask.mask).image;

  const image: RgbaImage = { width: target.width, height: target.height, data: new Uint8ClampedArray(target.data) };
  paste(image, blended, x0, y0);
  return { image, roi, mask: mask.mask, points: local, triangles };
}

/**
 * @example
 * const swapper = createClassicalSwapper({ maskPoints: '0-67' }); // whole face hull, jaw included
 */
export function createClassicalSwapper(options: ClassicalSwapperOptions = {}): Swapper {
  return Object.freeze({
    name: 'classical',
    async swap(source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face): Promise<RgbaImage> {
      return swapClassical(source, sourceFace, target, targetFace, options).image;
    },
  });
}

export const classicalSwapper: Swapper = createClassicalSwapper();
