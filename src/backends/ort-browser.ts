/**
 * @module backends/ort-browser
 * onnxruntime-web in a browser page, for the web demo's "run in my browser" mode: the same pipeline
 * modules as the worker, with this backend installed through `setBackend`. ORT's wasm is fetched from
 * the worker (`wasmUrl`, served by routes/web.ts); model bytes come from the `*.onnx` imports, which the
 * browser bundle (tools/build-web.mjs) turns into fetches of `/models/<file>`.
 *
 * Execution provider: the wasm EP (SIMD; threads only when the page is cross-origin isolated). ORT's WebGPU
 * EP needs a different runtime (ort-wasm-simd-threaded.asyncify.wasm, 6.6 MB gzip) that the worker does not
 * serve, because it would push the upload past the 10 MB limit; `webgpuAvailable()` reports whether the
 * browser could have used it.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { FloatTensor, InferenceBackend, ModelSource } from './types.js';

export type BrowserBackendOptions = {
  /** URL of ort-wasm-simd-threaded.wasm. */
  wasmUrl: string;
  /** Wasm threads; used only when `crossOriginIsolated` (SharedArrayBuffer available). */
  threads?: number;
};

export type BrowserBackend = InferenceBackend & {
  /** The execution provider sessions run on. */
  readonly provider: 'wasm';
  /** Sessions created so far and the time spent creating them (ms). */
  readonly stats: () => { sessions: number; sessionMs: number; runs: number; runMs: number };
};

export function webgpuAvailable(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && !!(navigator as { gpu?: unknown }).gpu;
}

export function createBrowserBackend({ wasmUrl, threads = 4 }: BrowserBackendOptions): BrowserBackend {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, location.href).href };
  ort.env.wasm.numThreads = isolated ? Math.max(1, Math.min(threads, navigator.hardwareConcurrency || 1)) : 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';

  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  const counters = { sessions: 0, sessionMs: 0, runs: 0, runMs: 0 };
  const session = (model: ModelSource) => {
    let s = sessions.get(model.name);
    if (!s) {
      const t = performance.now();
      const data = model.bytes instanceof Uint8Array ? model.bytes : new Uint8Array(model.bytes);
      s = ort.InferenceSession.create(data, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }).then((created) => {
        counters.sessions++;
        counters.sessionMs += performance.now() - t;
        return created;
      });
      s.catch(() => sessions.delete(model.name));
      sessions.set(model.name, s);
    }
    return s;
  };

  // One run at a time, as in the worker: the single-threaded wasm backend cannot interleave sessions.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: 'ort-web-wasm',
    provider: 'wasm',
    stats: () => ({ ...counters }),
    run(model, feeds) {
      const result = queue.then(async () => {
        const s = await session(model);
        const t = performance.now();
        const inputs = Object.fromEntries(
          Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims as number[])]),
        );
        const out = await s.run(inputs);
        counters.runs++;
        counters.runMs += performance.now() - t;
        return Object.fromEntries(
          Object.entries(out).map(([k, v]) => [k, { data: v.data as Float32Array, dims: v.dims } satisfies FloatTensor]),
        );
      });
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
