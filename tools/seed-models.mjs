#!/usr/bin/env node
/**
 * Puts the big model files into the LOCAL R2 bucket `seamline-models` (binding MODELS in wrangler.toml), where
 * the worker under `wrangler dev` / `npm start` / the tests reads them (src/adapter/workers/r2-models.ts):
 *
 *   key                            file
 *   aei_lite.int8.onnx             models/aei_lite.int8.onnx        (FaceShifter AEI-Net lite, model=aei)
 *   hear_lite.int8.onnx            models/hear_lite.int8.onnx       (FaceShifter HEAR-Net lite, model=aei&hear=true)
 *   mobilefacenet.fp16.onnx        models/mobilefacenet.fp16.onnx   (source identity for model=aei)
 *   ort-wasm-simd-threaded.wasm    node_modules/onnxruntime-web/dist/ (the web demo's in-browser runtime)
 *
 * Each object is written with `wrangler r2 object put seamline-models/<key> --file <f> --local --persist-to <dir>`.
 * `<dir>` defaults to `.wrangler/state`, the directory `wrangler dev` persists to by default (both resolve it the
 * same way and keep R2 under <dir>/v3/r2). Objects whose sha256 already matches are skipped: the hashes of what was
 * put are kept in <dir>/v3/r2/seamline-models.seed.json (local `r2 object put` cannot set custom metadata).
 *
 *   node tools/seed-models.mjs [--persist-to DIR] [--force] [--quiet]
 *
 * Production: the same keys with `wrangler r2 object put seamline-models/<key> --file <f> --remote`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const BUCKET = 'seamline-models';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const persistTo = resolve(process.cwd(), opt('--persist-to') ?? join(root, '.wrangler/state'));
const force = args.includes('--force');
const quiet = args.includes('--quiet');
const log = (...m) => quiet || console.log(...m);

export const OBJECTS = [
  { key: 'aei_lite.int8.onnx', file: join(root, 'models/aei_lite.int8.onnx'), type: 'application/octet-stream' },
  { key: 'hear_lite.int8.onnx', file: join(root, 'models/hear_lite.int8.onnx'), type: 'application/octet-stream' },
  { key: 'mobilefacenet.fp16.onnx', file: join(root, 'models/mobilefacenet.fp16.onnx'), type: 'application/octet-stream' },
  { key: 'ort-wasm-simd-threaded.wasm', file: require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'), type: 'application/wasm' },
];

const r2Dir = join(persistTo, 'v3', 'r2');
const manifestFile = join(r2Dir, `${BUCKET}.seed.json`);
const blobsDir = join(r2Dir, BUCKET, 'blobs');
let manifest = {};
try {
  manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
} catch {
  manifest = {};
}
// The manifest only counts while the bucket's blobs are still there (someone may have wiped .wrangler/state/v3/r2).
const haveBlobs = existsSync(blobsDir) && readdirSync(blobsDir).length > 0;

const wrangler = join(root, 'node_modules/.bin/wrangler');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };
let put = 0;
for (const o of OBJECTS) {
  if (!existsSync(o.file)) {
    console.error(`seed-models: ${relative(root, o.file)} is missing`);
    process.exit(1);
  }
  const bytes = readFileSync(o.file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!force && haveBlobs && manifest[o.key]?.sha256 === sha256) {
    log(`seed-models: ${o.key} up to date (sha256 ${sha256.slice(0, 12)}…)`);
    continue;
  }
  const t = Date.now();
  const run = spawnSync(
    wrangler,
    ['r2', 'object', 'put', `${BUCKET}/${o.key}`, '--file', o.file, '--content-type', o.type, '--local', '--persist-to', persistTo],
    { cwd: root, env, encoding: 'utf8' },
  );
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
    console.error(`seed-models: wrangler r2 object put ${BUCKET}/${o.key} failed (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
  manifest[o.key] = { sha256, bytes: bytes.length, file: relative(root, o.file) };
  mkdirSync(r2Dir, { recursive: true });
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  put++;
  log(`seed-models: put ${BUCKET}/${o.key} (${bytes.length} B, sha256 ${sha256.slice(0, 12)}…) in ${Date.now() - t} ms`);
}
log(`seed-models: ${put} object(s) written, ${OBJECTS.length - put} already current, in ${relative(process.cwd(), persistTo) || '.'}`);
