/**
 * @module adapter/workers/r2-models
 * Model files too big for the worker bundle live in the R2 bucket `seamline-models` (binding MODELS,
 * wrangler.toml). Locally `node tools/seed-models.mjs` puts them into .wrangler/state (`npm start` runs it);
 * in production `wrangler r2 object put seamline-models/<key> --file <f> --remote`.
 *
 * `r2Model(env, key)` reads an object once per isolate: the promise is cached (concurrent requests share one
 * read) and dropped again on failure, so seeding the bucket later works without a restart. A missing binding
 * or object is a 503 `model-unavailable` problem that names the seed command.
 * @example
 * const aei = await r2Model(c.env, 'aei_lite.int8.onnx');   // { name: 'r2:aei_lite.int8.onnx', bytes }
 * const out = await infer(aei, feeds);
 */
import type { ModelSource } from '../../backends/types.js';
import { ProblemError } from '../../problem.js';

/** The objects the service reads from MODELS (tools/seed-models.mjs puts exactly these). */
export const R2_MODEL_KEYS = ['aei_lite.int8.onnx', 'hear_lite.int8.onnx', 'mobilefacenet.fp16.onnx', 'ort-wasm-simd-threaded.wasm'] as const;
export type R2ModelKey = (typeof R2_MODEL_KEYS)[number];

/** A key named by data (a model card) checked against the seeded set; an unknown one is a deploy error, said at once. */
export function r2ModelKey(key: string): R2ModelKey {
  if (!(R2_MODEL_KEYS as readonly string[]).includes(key)) {
    throw new Error(`model key ${key} is not among R2_MODEL_KEYS (add it there and to tools/seed-models.mjs)`);
  }
  return key as R2ModelKey;
}

export const SEED_HINT = 'Run `node tools/seed-models.mjs` (npm start does) to put the model files into the local R2 bucket `seamline-models`, ' +
  'or `wrangler r2 object put seamline-models/<key> --file <file> --remote` in production.';

type ModelsEnv = { MODELS?: R2Bucket };

const cache = new Map<string, Promise<ModelSource>>();

function unavailable(key: string, why: string, model?: string): ProblemError {
  return new ProblemError(503, 'model-unavailable', `${why} ${SEED_HINT}`, {
    ...(model ? { model } : {}),
    object: `seamline-models/${key}`,
    hint: 'node tools/seed-models.mjs',
  });
}

/**
 * The bytes of `key` from env.MODELS, read once per isolate. The ORT session cache (backends/ort.ts) keys on
 * `name`, so one session per model and isolate. `model` only labels the problem (`model=aei`).
 */
export function r2Model(env: ModelsEnv, key: R2ModelKey, model?: string): Promise<ModelSource> {
  const bucket = env.MODELS;
  if (!bucket) return Promise.reject(unavailable(key, 'This server has no MODELS R2 binding (bucket `seamline-models`).', model));
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const object = await bucket.get(key);
      if (!object) throw unavailable(key, `The model file \`${key}\` is not in the R2 bucket \`seamline-models\`.`, model);
      return { name: `r2:${key}`, bytes: new Uint8Array(await object.arrayBuffer()) };
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Whether `key` is in the bucket (HEAD, not cached: cheap, and it must notice a later seed). */
export async function r2Has(env: ModelsEnv, key: R2ModelKey): Promise<boolean> {
  return !!env.MODELS && (await env.MODELS.head(key)) !== null;
}
