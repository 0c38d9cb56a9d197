/**
 * @module models
 * The models bundled into the worker (wrangler's Data rule makes each .onnx import an ArrayBuffer).
 * Names, variants and hashes are documented in models/registry.json and each model card; the
 * output order here is what the processors destructure.
 */
import blazefaceBytes from '../models/blazeface.fp16.onnx';
import facemeshBytes from '../models/facemesh.fp16.onnx';

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
} as const satisfies Record<string, BundledModel>;
