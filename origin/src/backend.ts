/**
 * @module origin/backend
 * Picks the inference runtime for the origin: onnxruntime-node with the CUDA execution provider when
 * `SEAMLINE_DEVICE=cuda`, or when it is unset/`auto` and an NVIDIA GPU is visible; CPU otherwise.
 * CUDA is proven by creating a CUDA-only session on the detector model; any failure (no EP binaries,
 * no driver, no device) falls back to CPU and says why in the log and in /health.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { createNodeBackend } from '../../src/backends/ort-node.js';
import type { InferenceBackend } from '../../src/backends/types.js';
import { MODELS } from '../../src/models.js';

export type Device = 'cuda' | 'cpu';

export type BackendChoice = { backend: InferenceBackend; device: Device; threads: number; note: string };

export type SelectBackendOptions = {
  /** `cuda`, `cpu` or `auto` (default: `SEAMLINE_DEVICE`, else auto). */
  device?: string;
  /** CPU intra-op threads (default: `SEAMLINE_THREADS`, else min(4, cores)). */
  threads?: number;
  log?: (message: string) => void;
};

export const gpuVisible = (): boolean => existsSync('/dev/nvidiactl') || existsSync('/proc/driver/nvidia/version');

export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const log = options.log ?? ((m: string) => console.log(m));
  const wanted = (options.device ?? process.env.SEAMLINE_DEVICE ?? 'auto').toLowerCase();
  const threads = options.threads ?? (Number(process.env.SEAMLINE_THREADS) || Math.min(4, availableParallelism()));
  const cpu = (note: string): BackendChoice => ({ backend: createNodeBackend({ threads, device: 'cpu' }), device: 'cpu', threads, note });
  if (wanted === 'cpu') return cpu('SEAMLINE_DEVICE=cpu');
  if (wanted !== 'cuda' && !(wanted === 'auto' && gpuVisible())) return cpu('no GPU visible');
  try {
    const model = MODELS.blazeface;
    const session = await ort.InferenceSession.create(new Uint8Array(model.bytes), { executionProviders: ['cuda'] });
    await session.release();
    log(`[origin] inference: onnxruntime-node CUDA execution provider`);
    return { backend: createNodeBackend({ threads, device: 'cuda' }), device: 'cuda', threads, note: 'cuda execution provider' };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    log(`[origin] CUDA requested (${wanted}) but unavailable, falling back to CPU: ${reason}`);
    return cpu(`cuda unavailable: ${reason}`);
  }
}
