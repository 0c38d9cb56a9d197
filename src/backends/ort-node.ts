/**
 * @module backends/ort-node
 * onnxruntime-node for Node tools and the origin: CUDA when asked for and present, CPU otherwise.
 * Never imported by the worker.
 */
import * as ort from 'onnxruntime-node';
import type { FloatTensor, InferenceBackend } from './types.js';

export type NodeBackendOptions = { threads?: number; device?: 'cpu' | 'cuda' };

export function createNodeBackend({ threads = 1, device = 'cpu' }: NodeBackendOptions = {}): InferenceBackend {
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  const providers = device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
  return {
    name: device === 'cuda' ? 'ort-node-cuda' : 'ort-node-cpu',
    async run(model, feeds) {
      let s = sessions.get(model.name);
      if (!s) {
        const data = model.bytes instanceof Uint8Array ? model.bytes : new Uint8Array(model.bytes);
        s = ort.InferenceSession.create(data, {
          executionProviders: providers,
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        });
        sessions.set(model.name, s);
      }
      const session = await s;
      const inputs = Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor('float32', t.data, t.dims as number[])]),
      );
      const out = await session.run(inputs);
      return Object.fromEntries(
        Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims } satisfies FloatTensor]),
      );
    },
  };
}
