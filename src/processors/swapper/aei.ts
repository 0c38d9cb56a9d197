/**
 * @module processors/swapper/aei
 * The learned swapper: FaceShifter stage 1 (AEI-Net, `lite` config, 128²) trained in training/swap/ (model
 * card models/aei_lite.card.json). Both models come from R2 (adapter/workers/r2-models.ts), never the bundle.
 *
 * 1. Five points from the 68 iBUG landmarks (eye centres = mean 36–41 / 42–47, nose tip 30, mouth corners 48, 54;
 *    continuous coordinates), least-squares similarity to the swap template T'_112 (ArcFace shrunk by 0.75 about
 *    the centre) at 128: `alignmentMatrix(kp5, 128, { template: SWAP_TEMPLATE_112, pixelCenter: 'half' })`,
 *    bilinear, reflection outside the photo: exactly training/swap/align.py.
 * 2. Source identity: the central 96² of the source's aligned 128 crop resampled to the identity net's input (= the
 *    ArcFace crop, align.py `arcface_crop`) → the net the card's `identity` block names (identity.ts; for 0.1.0
 *    mobilefacenet **fp16**, pixel/255, NHWC) → its RAW embedding (the AEI graph centres it itself; the int8
 *    mobilefacenet loses the identity residual).
 * 3. `aei_lite`: `target` [1,3,128,128] = pixel/127.5 − 1, `source_id` [1,dim] → `swapped` in [−1,1].
 * 4. Paste back through a feathered mask: hull of the target's 68 points in crop coordinates, eroded and
 *    blurred, with the swap's colour matched (CIELAB mean/std) to the target inside it; `kernels.pasteBack`.
 * 5. With HEAR-Net (stage 2, models/hear_lite.card.json) loaded, step 3's output is refined before the paste-back:
 *    the target is reconstructed from its own identity, AEI(X_t, z(X_t)); the error X_t − that (what AEI-Net cannot
 *    reproduce: occlusions, glasses, hair) and Ŷ go through `hear_lite` → the refined swap. One more AEI pass and
 *    one identity pass per request.
 */
import type { ModelSource } from '../../backends/types.js';
import { infer } from '../../backends/ort.js';
import { alignmentMatrix, applyAffine, type Affine } from '../../pipeline/align.js';
import { convexHull, faceSize, matchColorStats } from '../../pipeline/blend/index.js';
import type { Face, Point2, RgbaImage } from '../../pipeline/types.js';
import { kernels } from '../../wasm/kernels.js';
import { points68 } from './classical.js';
import { IDENTITY } from './identity.js';
import type { Swapper } from './types.js';

/** training/swap/align.py `template_112()`: 56 + 0.75·(T_arcface + 0.5 − 56), continuous, 112 units. */
export const SWAP_TEMPLATE_112: readonly Point2[] = Object.freeze([
  [43.096, 53.1472],
  [69.5239, 53.001],
  [56.3939, 68.1774],
  [45.537, 83.6491],
  [67.4224, 83.5281],
] as Point2[]);
export const AEI_SIZE = 128;
export const ALIGN_SCALE = 0.75;
export const ID_SIZE = IDENTITY.size;
export const ID_DIM = IDENTITY.dim;

/** Keys in the MODELS bucket. */
export const AEI_MODEL_KEY = 'aei_lite.int8.onnx';
export const ID_MODEL_KEY = IDENTITY.model;
export const HEAR_MODEL_KEY = 'hear_lite.int8.onnx';

/** `hear` present → the swap is refined by HEAR-Net. */
export type AeiModels = { aei: ModelSource; identity: ModelSource; hear?: ModelSource };

export type AeiSwapperOptions = {
  /** Erosion of the hull mask, fraction of the face size in the crop. Default 0.04. */
  erodeFrac?: number;
  /** Feather σ, fraction of the face size in the crop. Default 0.05. */
  blurFrac?: number;
  /** Match the swap's colour statistics to the target inside the mask. Default true. */
  colorMatch?: boolean;
};

export type AeiSwapResult = {
  image: RgbaImage;
  /** The aligned target crop, the raw AEI output (HEAR-refined when HEAR ran) and the blended mask (all AEI_SIZE²), for debugging. */
  targetCrop: RgbaImage;
  swappedCrop: RgbaImage;
  /** Whether HEAR-Net refined the swap. */
  refined: boolean;
  mask: Float32Array;
  cropToImage: Affine;
};

/** training/swap/align.py `five_points`. */
export function fivePoints(p68: readonly Point2[]): Point2[] {
  const mean = (from: number, to: number): Point2 => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) { x += p68[i][0]; y += p68[i][1]; }
    const n = to - from + 1;
    return [x / n, y / n];
  };
  return [mean(36, 41), mean(42, 47), [p68[30][0], p68[30][1]], [p68[48][0], p68[48][1]], [p68[54][0], p68[54][1]]];
}

/**
 * The image region under the crop (its bounding box, +2 px), with pixels outside the photo mirrored as training's
 * `grid_sample(padding_mode='reflection')` does (index −1 → 0, W → W−1). Tight photos (FairFace-like) leave part
 * of the crop outside the image; edge replication there gives streaks the model never saw.
 */
function reflectRegion(image: RgbaImage, cropToImage: Affine, size: number): { region: RgbaImage; x0: number; y0: number } {
  const corners = [[0, 0], [size, 0], [0, size], [size, size]].map((p) => applyAffine(cropToImage, p as Point2));
  const x0 = Math.floor(Math.min(...corners.map((p) => p[0]))) - 2, x1 = Math.ceil(Math.max(...corners.map((p) => p[0]))) + 2;
  const y0 = Math.floor(Math.min(...corners.map((p) => p[1]))) - 2, y1 = Math.ceil(Math.max(...corners.map((p) => p[1]))) + 2;
  const w = x1 - x0, h = y1 - y0, W = image.width, H = image.height;
  const reflect = (i: number, n: number) => {
    const period = 2 * n;
    let m = ((i % period) + period) % period;
    if (m >= n) m = period - 1 - m;
    return m;
  };
  const data = new Uint8ClampedArray(w * h * 4);
  const bytes = image.data.byteOffset % 4 ? new Uint8ClampedArray(image.data) : image.data;
  const src = new Uint32Array(bytes.buffer, bytes.byteOffset, W * H);
  const dst = new Uint32Array(data.buffer);
  const cols = new Int32Array(w);
  for (let x = 0; x < w; x++) cols[x] = reflect(x0 + x, W);
  for (let y = 0; y < h; y++) {
    const row = reflect(y0 + y, H) * W, out = y * w;
    for (let x = 0; x < w; x++) dst[out + x] = src[row + cols[x]];
  }
  return { region: { width: w, height: h, data }, x0, y0 };
}

/** The aligned AEI_SIZE² crop of `face` (RGBA, reflection outside the photo) and its crop ↔ image matrices. */
export function alignedCrop(image: RgbaImage, face: Face): { crop: RgbaImage; cropToImage: Affine; imageToCrop: Affine; p68: Point2[] } {
  const p68 = points68(face);
  const { cropToImage, imageToCrop } = alignmentMatrix(fivePoints(p68), AEI_SIZE, { template: SWAP_TEMPLATE_112, pixelCenter: 'half' });
  const { region, x0, y0 } = reflectRegion(image, cropToImage, AEI_SIZE);
  const local: Affine = [cropToImage[0], cropToImage[1], cropToImage[2] - x0, cropToImage[3], cropToImage[4], cropToImage[5] - y0];
  return { crop: kernels.warpAffine(region, local, AEI_SIZE, AEI_SIZE, { border: 'replicate' }), cropToImage, imageToCrop, p68 };
}

/** ArcFace 112 crop (continuous) → aligned 128 crop: the central ALIGN_SCALE·S square (align.py `arcface_crop`). */
const margin = (AEI_SIZE * (1 - ALIGN_SCALE)) / 2;
const k = (AEI_SIZE * ALIGN_SCALE) / ID_SIZE;
export const ID_CROP_IN_ALIGNED: Affine = [k, 0, margin, 0, k, margin];

/** The raw identity embedding of an aligned 128 crop (what `source_id` expects). */
export async function sourceId(crop: RgbaImage, identity: ModelSource): Promise<Float32Array> {
  const nhwc = IDENTITY.layout === 'NHWC';
  const input = kernels.warpToTensor(crop, ID_CROP_IN_ALIGNED, ID_SIZE, ID_SIZE, {
    layout: nhwc ? 'nhwc' : 'nchw', border: 'replicate', mean: IDENTITY.normalize.mean, std: IDENTITY.normalize.std,
  });
  const dims = nhwc ? [1, ID_SIZE, ID_SIZE, 3] : [1, 3, ID_SIZE, ID_SIZE];
  const out = await infer(identity, { [IDENTITY.input]: { data: input, dims } });
  const emb = out[IDENTITY.output]?.data;
  if (!emb || emb.length !== ID_DIM) throw new Error(`aei: identity model returned ${emb?.length ?? 'no'} values, expected ${ID_DIM}`);
  return emb;
}

/** AEI-Net on a normalised target crop and a raw identity embedding → `swapped` [3·S·S] in [−1, 1]. */
async function runAei(aei: ModelSource, target: Float32Array, id: Float32Array): Promise<Float32Array> {
  const out = await infer(aei, {
    target: { data: target, dims: [1, 3, AEI_SIZE, AEI_SIZE] },
    source_id: { data: id, dims: [1, ID_DIM] },
  });
  const swapped = out.swapped?.data;
  if (!swapped || swapped.length !== 3 * AEI_SIZE * AEI_SIZE) throw new Error('aei: model returned no 3×128×128 `swapped` output');
  return swapped;
}

function tensorToRgba(t: Float32Array, size: number): RgbaImage {
  const n = size * size;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[i * 4] = (t[i] + 1) * 127.5 + 0.5;
    data[i * 4 + 1] = (t[n + i] + 1) * 127.5 + 0.5;
    data[i * 4 + 2] = (t[2 * n + i] + 1) * 127.5 + 0.5;
    data[i * 4 + 3] = 255;
  }
  return { width: size, height: size, data };
}

/**
 * The AEI swap with its intermediate products.
 * @example
 * const { image } = await swapAei(source, sourceFace, target, targetFace, await loadModels());
 */
export async function swapAei(
  source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face, models: AeiModels, options: AeiSwapperOptions = {},
): Promise<AeiSwapResult> {
  const { erodeFrac = 0.04, blurFrac = 0.05, colorMatch = true } = options;
  const src = alignedCrop(source, sourceFace);
  const id = await sourceId(src.crop, models.identity);

  const tgt = alignedCrop(target, targetFace);
  const input = kernels.rgbaToTensor(tgt.crop, { layout: 'nchw', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  let swappedT = await runAei(models.aei, input, id);
  if (models.hear) {
    const reconstruction = await runAei(models.aei, input, await sourceId(tgt.crop, models.identity));
    const error = new Float32Array(input.length);
    for (let i = 0; i < input.length; i++) error[i] = input[i] - reconstruction[i];
    const refined = (await infer(models.hear, {
      swapped: { data: swappedT, dims: [1, 3, AEI_SIZE, AEI_SIZE] },
      error: { data: error, dims: [1, 3, AEI_SIZE, AEI_SIZE] },
    })).refined?.data;
    if (!refined || refined.length !== swappedT.length) throw new Error('hear: model returned no 3×128×128 `refined` output');
    swappedT = refined;
  }
  let swapped = tensorToRgba(swappedT, AEI_SIZE);

  // Mask: hull of the 68 points (jaw + brows) in crop coordinates, eroded, feathered.
  const local = tgt.p68.map((p) => applyAffine(tgt.imageToCrop, p) as Point2);
  const size = faceSize(local);
  const hard = kernels.erodeDilate(kernels.fillPolygon(AEI_SIZE, AEI_SIZE, convexHull(local)), AEI_SIZE, AEI_SIZE, -Math.max(1, Math.round(erodeFrac * size)));
  const mask = kernels.featherMask(hard, AEI_SIZE, AEI_SIZE, Math.max(1, blurFrac * size));
  if (colorMatch) swapped = matchColorStats(swapped, tgt.crop, hard, { space: 'lab' });
  const image = kernels.pasteBack(target, swapped, mask, tgt.cropToImage);
  return { image, targetCrop: tgt.crop, swappedCrop: swapped, mask, cropToImage: tgt.cropToImage, refined: !!models.hear };
}

/**
 * The AEI swapper over loaded models; named `aei+hear` when HEAR-Net is among them (the name is what
 * `x-seamline-model` and the evaluation report).
 * @example
 * const [aei, identity] = await Promise.all([r2Model(env, AEI_MODEL_KEY, 'aei'), r2Model(env, ID_MODEL_KEY, 'aei')]);
 * const swapper = createAeiSwapper({ aei, identity });
 */
export function createAeiSwapper(models: AeiModels, options: AeiSwapperOptions = {}): Swapper {
  return Object.freeze({
    name: models.hear ? 'aei+hear' : 'aei',
    async swap(source: RgbaImage, sourceFace: Face, target: RgbaImage, targetFace: Face): Promise<RgbaImage> {
      return (await swapAei(source, sourceFace, target, targetFace, models, options)).image;
    },
  });
}
