/** A runtime-neutral view of ONNX inference, so pipeline code runs on onnxruntime-web (worker, browser) and onnxruntime-node (tools, origin). */
export type FloatTensor = { data: Float32Array; dims: readonly number[] };

export type ModelSource = { name: string; bytes: ArrayBuffer | Uint8Array };

export interface InferenceBackend {
  readonly name: 'ort-web-wasm' | 'ort-node-cpu' | 'ort-node-cuda';
  run(model: ModelSource, feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
}
