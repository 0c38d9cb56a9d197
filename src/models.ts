/**
 * @module models
 * The models bundled into the worker (wrangler's Data rule makes each .onnx import an ArrayBuffer).
 * Names, variants and hashes are documented in models/registry.json and each model card; the
 * output order here is what the processors destructure.
 */
import blazefaceBytes from '../models/blazeface.fp16.onnx';
import facemeshBytes from '../models/facemesh.fp16.onnx';
import xrayBytes from '../models/xray.fp16.onnx';
import xrayCard from '../models/xray.card.json';

export type BundledModel = {
  name: string;
  bytes: ArrayBuffer;
  input: string;
  outputs: readonly string[];
};

export const MODELS = {
  blazeface: {
    name: 'blazeface.fp16',
    bytes: blazefaceBytes,
    input: 'input',
    outputs: ['regressors_stride16', 'regressors_stride32', 'logits_stride16', 'logits_stride32'],
  },
  facemesh: {
    name: 'facemesh.fp16',
    bytes: facemeshBytes,
    input: 'input',
    outputs: ['output_mesh', 'output_faceflag'],
  },
  xray: {
    name: 'xray.fp16',
    bytes: xrayBytes,
    input: 'image',
    outputs: ['boundary', 'logit'],
  },
} as const satisfies Record<string, BundledModel>;

/** X-ray pre/post-processing parameters, read from its model card. */
export const XRAY = {
  name: xrayCard.name,
  version: xrayCard.version,
  crop: { scale: xrayCard.crop.scale, size: xrayCard.crop.size },
  normalize: {
    mean: xrayCard.input.normalize.mean as [number, number, number],
    std: xrayCard.input.normalize.std as [number, number, number],
  },
  calibration: { a: xrayCard.calibration.a, b: xrayCard.calibration.b, threshold: xrayCard.calibration.threshold },
  /** Average the crop's and its mirror image's outputs when the card says so (its calibration is fitted on the logit that setting gives). */
  mirrorAverage: (xrayCard as { inference?: { mirrorAverage?: boolean } }).inference?.mirrorAverage === true,
} as const;
