/**
 * @module processors/detector
 * BlazeFace (MediaPipe, 256×256 back-camera variant) converted to ONNX: letterbox the image into
 * the model's square input, decode the 896 anchors, weighted NMS, map back to image coordinates.
 */
import { infer } from '../../backends/ort.js';
import type { Affine } from '../../pipeline/align.js';
import { applyAffine } from '../../pipeline/align.js';
import type { Point2, RgbaImage } from '../../pipeline/types.js';
import { kernels } from '../../wasm/kernels.js';
import { blazefaceAnchors } from './anchors.js';
import { decodeCandidates } from './decode.js';
import { suppressContained, weightedNms } from './nms.js';
import { MODELS } from '../../models.js';

export type Detection = {
  /** [x1, y1, x2, y2] in image coordinates. */
  box: [number, number, number, number];
  score: number;
  /** Subject's right eye, left eye, nose tip, mouth centre, right ear, left ear. */
  points: Point2[];
};

export type DetectOptions = {
  minScore?: number;
  iouThreshold?: number;
  /** > 1 shrinks the image inside the model input (padding around it), for faces that fill or overflow the frame. */
  zoomOut?: number;
};

const INPUT = 256;
const anchors = blazefaceAnchors(INPUT);

/** Square letterbox: model pixels → image pixels, image centred, long side fills the input. */
export function letterbox(width: number, height: number, size: number, zoomOut = 1): Affine {
  const s = (Math.max(width, height) * zoomOut) / size;
  return [s, 0, (width - size * s) / 2, 0, s, (height - size * s) / 2];
}

export function prepareDetector(image: RgbaImage, zoomOut = 1): { input: Float32Array; toImage: Affine } {
  const toImage = letterbox(image.width, image.height, INPUT, zoomOut);
  // BlazeFace takes RGB in [-1, 1], NHWC.
  const input = kernels.warpToTensor(image, toImage, INPUT, INPUT, { layout: 'nhwc', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  return { input, toImage };
}

export async function forwardDetector(input: Float32Array): Promise<{ regressors: Float32Array; logits: Float32Array }> {
  const model = MODELS.blazeface;
  const out = await infer(model, { [model.input]: { data: input, dims: [1, INPUT, INPUT, 3] } });
  const [boxes16, boxes32, scores16, scores32] = model.outputs.map((name) => out[name].data as Float32Array);
  const regressors = new Float32Array(boxes16.length + boxes32.length);
  regressors.set(boxes16);
  regressors.set(boxes32, boxes16.length);
  const logits = new Float32Array(scores16.length + scores32.length);
  logits.set(scores16);
  logits.set(scores32, scores16.length);
  return { regressors, logits };
}

export function normalizeDetections(
  regressors: Float32Array, logits: Float32Array, toImage: Affine, options: DetectOptions = {},
): Detection[] {
  const candidates = decodeCandidates(regressors, logits, anchors, INPUT, options.minScore ?? 0.6);
  const kept = suppressContained(weightedNms(candidates, options.iouThreshold ?? 0.3));
  const toPx = (x: number, y: number) => applyAffine(toImage, [x * INPUT, y * INPUT]);
  return kept.map((c) => {
    const [x1, y1] = toPx(c.box[0], c.box[1]);
    const [x2, y2] = toPx(c.box[2], c.box[3]);
    const points: Point2[] = [];
    for (let k = 0; k < c.points.length; k += 2) points.push(toPx(c.points[k], c.points[k + 1]));
    return { box: [x1, y1, x2, y2], score: c.score, points };
  });
}

export async function detectFaces(image: RgbaImage, options: DetectOptions = {}): Promise<Detection[]> {
  const { input, toImage } = prepareDetector(image, options.zoomOut);
  const { regressors, logits } = await forwardDetector(input);
  return normalizeDetections(regressors, logits, toImage, options);
}
