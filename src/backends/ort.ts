/**
 * The only importer of onnxruntime-web. Sessions are created once per isolate and runs are
 * serialised, because the single-threaded wasm backend cannot run two sessions at once.
 */
import * as ort from 'onnxruntime-web/wasm';
import { installOrtWasmShim } from '../adapter/workers/ort-wasm.js';

export type Tensor = ort.Tensor;
export const OrtTensor = ort.Tensor;

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

export function loadSession(name: string, bytes: ArrayBuffer | Uint8Array): Promise<ort.InferenceSession> {
  let session = sessions.get(name);
  if (!session) {
    configure();
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    session = ort.InferenceSession.create(data, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    session.catch(() => sessions.delete(name));
    sessions.set(name, session);
  }
  return session;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs one inference after every earlier one in this isolate has finished. */
export function runSession(
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
): Promise<Record<string, ort.Tensor>> {
  const result = queue.then(() => session.run(feeds));
  queue = result.catch(() => undefined);
  return result as Promise<Record<string, ort.Tensor>>;
}
