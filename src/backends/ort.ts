/**
 * @module backends/ort
 * The only importer of onnxruntime-web. Sessions are created once per isolate and runs are
 * serialised, because the single-threaded wasm backend cannot run two sessions at once.
 * Node tools and the origin may swap in onnxruntime-node with `setBackend` (backends/ort-node.ts).
 */
import * as ort from 'onnxruntime-web/wasm';
import { installOrtWasmShim } from '../adapter/workers/ort-wasm.js';
import type { FloatTensor, InferenceBackend, ModelSource } from './types.js';

let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  installOrtWasmShim();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  // Non-empty placeholder: stops ORT from looking up a URL for the .wasm; the shim supplies the real module.
  ort.env.wasm.wasmBinary = new Uint8Array(8);
  ort.env.logLevel = 'error';
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

function session(model: ModelSource): Promise<ort.InferenceSession> {
  let s = sessions.get(model.name);
  if (!s) {
    configure();
    const data = model.bytes instanceof Uint8Array ? model.bytes : new Uint8Array(model.bytes);
    s = ort.InferenceSession.create(data, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    s.catch(() => sessions.delete(model.name));
    sessions.set(model.name, s);
  }
  return s;
}

let queue: Promise<unknown> = Promise.resolve();

export const ortWebBackend: InferenceBackend = {
  name: 'ort-web-wasm',
  run(model, feeds) {
    const result = queue.then(async () => {
      const s = await session(model);
      const inputs = Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', t.data, t.dims as number[])]),
      );
      const out = await s.run(inputs);
      return Object.fromEntries(
        Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims } satisfies FloatTensor]),
      );
    });
    queue = result.catch(() => undefined);
    return result;
  },
};

let backend: InferenceBackend = ortWebBackend;

/** Replace the inference runtime (Node tools and the origin use onnxruntime-node). */
export function setBackend(next: InferenceBackend): void {
  backend = next;
}

export const currentBackend = (): InferenceBackend => backend;

export function infer(model: ModelSource, feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
  return backend.run(model, feeds);
}
