/**
 * @module routes/web
 * The web demo (src/web, built into src/web/dist by tools/build-web.mjs) served by the worker itself:
 *   GET /                  the page (no-cache: it names the current asset versions)
 *   GET /web/<asset>       app.js, app.css, browser-run.js, kernels.wasm;
 *                          immutable for a year when ?v= matches the build's hash, else 5 minutes
 *   GET|HEAD /web/ort/ort-wasm-simd-threaded.wasm
 *                          onnxruntime-web's wasm for the page's in-browser mode, streamed from the MODELS R2 bucket
 *                          (seeded by tools/seed-models.mjs); the bundled brotli copy only when the build used
 *                          --with-ort-wasm and R2 lacks the object; 404 problem+json when neither has it (the page
 *                          asks with HEAD and disables "run in my browser")
 *   GET /models/<file>     the bundled ONNX models' bytes, for the page's in-browser mode
 * Unknown files are 404 problem+json. Not part of the OpenAPI document.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { R2_MODEL_KEYS } from '../adapter/workers/r2-models.js';
import { brotliDecompressSync } from 'node:zlib';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import { MODELS } from '../models.js';
import { ProblemError } from '../problem.js';
import html from '../web/dist/index.html.txt';
import appJs from '../web/dist/app.js.txt';
import appCss from '../web/dist/app.css.txt';
import browserRunJs from '../web/dist/browser-run.js.txt';
import kernelsWasm from '../web/dist/kernels.wasm.bin';
import ortWasmBr from '../web/dist/ort-wasm.wasm.br';
import manifest from '../web/dist/manifest.json';

type Asset = { body: string | ArrayBuffer; type: string; hash: string; brotli?: boolean };

const JS = 'text/javascript; charset=utf-8';
const ASSETS: Record<string, Asset> = {
  'app.js': { body: appJs, type: JS, hash: manifest['app.js'] },
  'app.css': { body: appCss, type: 'text/css; charset=utf-8', hash: manifest['app.css'] },
  'browser-run.js': { body: browserRunJs, type: JS, hash: manifest['browser-run.js'] },
  'kernels.wasm': { body: kernelsWasm, type: 'application/wasm', hash: manifest['kernels.wasm'] },
};
// ORT's wasm for the page's in-browser mode comes from R2 (below). A brotli copy is bundled only by
// `build-web.mjs --with-ort-wasm`, because a second copy of it does not fit the 10 MB upload limit (empty otherwise).
const ORT_WASM = 'ort-wasm-simd-threaded.wasm' satisfies (typeof R2_MODEL_KEYS)[number];
const bundledOrt: Asset | undefined = ortWasmBr.byteLength > 0
  ? { body: ortWasmBr, type: 'application/wasm', hash: manifest['ort-wasm-simd-threaded.wasm'], brotli: true }
  : undefined;

const MODEL_FILES: Record<string, { bytes: ArrayBuffer; hash: string }> = Object.fromEntries(
  Object.values(MODELS).map((m) => {
    const file = `${m.name}.onnx`;
    return [file, { bytes: m.bytes, hash: (manifest.models as Record<string, string>)[file] }];
  }),
);

const YEAR = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

const notFound = (c: Context) => new ProblemError(404, 'not-found', `No such file: ${new URL(c.req.url).pathname}`);

/** 304 when the client already holds this version. */
function fresh(c: Context, etag: string): boolean {
  const inm = c.req.header('if-none-match');
  return !!inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

let inflated: ArrayBuffer | null = null;

function serve(c: Context, asset: Asset, cache: string): Response {
  const etag = `"${asset.hash}"`;
  const headers: Record<string, string> = {
    'content-type': asset.type,
    'cache-control': cache,
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (fresh(c, etag)) return new Response(null, { status: 304, headers });
  if (asset.brotli) {
    headers.vary = 'accept-encoding';
    if (/\bbr\b/.test(c.req.header('accept-encoding') ?? '')) {
      // Already encoded: workerd must send the bytes as they are.
      return new Response(asset.body, { headers: { ...headers, 'content-encoding': 'br' }, encodeBody: 'manual' });
    }
    if (!inflated) {
      const out = brotliDecompressSync(new Uint8Array(asset.body as ArrayBuffer));
      inflated = out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
    }
    return new Response(inflated, { headers });
  }
  return new Response(asset.body, { headers });
}

export const web = new OpenAPIHono<AppEnv>();

web.get('/', (c) =>
  c.body(html, 200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
      "connect-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  }),
);

/** ORT's browser wasm: R2 first (streamed, ETag = the build's content hash, as the seed script puts the same file). */
web.on(['GET', 'HEAD'], `/web/ort/${ORT_WASM}`, async (c) => {
  const hash = manifest['ort-wasm-simd-threaded.wasm'];
  const cache = c.req.query('v') === hash ? YEAR : SHORT;
  const bucket = c.env.MODELS;
  const head = c.req.method === 'HEAD';
  const object = bucket ? await (head ? bucket.head(ORT_WASM) : bucket.get(ORT_WASM)) : null;
  if (object) {
    const etag = object.httpEtag;
    const headers: Record<string, string> = {
      'content-type': 'application/wasm',
      'cache-control': cache,
      etag,
      'content-length': String(object.size),
      'x-content-type-options': 'nosniff',
      'x-seamline-source': 'r2',
    };
    if (fresh(c, etag.replace(/^W\//, ''))) return new Response(null, { status: 304, headers });
    return new Response(head ? null : (object as R2ObjectBody).body, { headers });
  }
  if (!bundledOrt) throw notFound(c);
  if (head) {
    return new Response(null, { headers: { 'content-type': 'application/wasm', 'cache-control': cache, etag: `"${bundledOrt.hash}"`, 'x-seamline-source': 'bundle' } });
  }
  return serve(c, bundledOrt, cache);
});

web.get('/web/*', (c) => {
  const name = new URL(c.req.url).pathname.slice('/web/'.length);
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) throw notFound(c);
  return serve(c, asset, c.req.query('v') === asset.hash ? YEAR : SHORT);
});

web.get('/models/:file', (c) => {
  const file = c.req.param('file');
  const model = Object.hasOwn(MODEL_FILES, file) ? MODEL_FILES[file] : undefined;
  if (!model) throw notFound(c);
  return serve(c, { body: model.bytes, type: 'application/octet-stream', hash: model.hash }, c.req.query('v') === model.hash ? YEAR : SHORT);
});
