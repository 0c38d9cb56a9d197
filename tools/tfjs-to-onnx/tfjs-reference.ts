/** Runs the original tfjs graph model in Node (tfjs-core + cpu backend), reading files from disk only. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { loadTfjsModel } from './tfjs-model.js';

export async function loadReference(modelJson: string): Promise<GraphModel> {
  await tf.setBackend('cpu');
  const { json, weightData } = loadTfjsModel(modelJson);
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology as never,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature as never,
      userDefinedMetadata: json.userDefinedMetadata as never,
    }),
  };
  return loadGraphModel(handler);
}

/** Runs `model` on an NHWC float32 input and returns the named output tensors (TF tensor names). */
export async function runReference(model: GraphModel, input: Float32Array, shape: number[], outputs: string[]): Promise<Float32Array[]> {
  const x = tf.tensor(input, shape, 'float32');
  const result = model.execute(x, outputs);
  const list = Array.isArray(result) ? result : [result];
  const data = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([x, ...list]);
  return data;
}
