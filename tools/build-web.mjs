#!/usr/bin/env node
/**
 * Builds the web demo served by the worker at `/` into src/web/dist/ (gitignored), which
 * src/routes/web.ts imports as wrangler Text/Data modules (rules in wrangler.toml):
 *   index.html.txt        the page (asset URLs carry ?v=<hash> so they can be cached immutably)
 *   app.js.txt, app.css.txt
 *   browser-run.js.txt    the "run in my browser" bundle: src/pipeline/scan.ts and everything it imports,
 *                         with the onnxruntime-web backend of src/backends/ort-browser.ts. Loaded on demand.
 *   kernels.wasm.bin      src/wasm/kernels.wasm (the browser compiles it from /web/kernels.wasm)
 *   ort-wasm.wasm.br      onnxruntime-web's ort-wasm-simd-threaded.wasm, brotli-compressed, only with
 *                         --with-ort-wasm (SEAMLINE_WEB_ORT=bundle); empty otherwise: the worker serves it from the
 *                         MODELS R2 bucket (tools/seed-models.mjs), and the page enables "run in my browser" when
 *                         `HEAD /web/ort/ort-wasm-simd-threaded.wasm` answers 200 (data-browser-run="auto")
 *   manifest.json         file names → short content hashes (cache busting, ETags)
 * In the browser bundle `*.onnx` imports become `await fetch('/models/<file>?v=<hash>')` (ArrayBuffer) and
 * `*.wasm` imports `await WebAssembly.compileStreaming(fetch('/web/<file>?v=<hash>'))`, both top-level awaits.
 * Usage: node tools/build-web.mjs [--with-ort-wasm]   (the `build:web` npm script)
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'src/web');
const out = join(web, 'dist');
const require = createRequire(import.meta.url);
const started = Date.now();
mkdirSync(out, { recursive: true });

/** Write-then-rename, so a worker being bundled meanwhile (parallel tests) never reads half a file. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
const short = (bytes) => sha(bytes).slice(0, 12);
const manifest = {};

// --- binary assets ------------------------------------------------------------------------------
const kernelsFile = join(root, 'src/wasm/kernels.wasm');
if (!existsSync(kernelsFile)) throw new Error('build-web: src/wasm/kernels.wasm is missing; run `npm run build:wasm` first');
const kernels = readFileSync(kernelsFile);
writeAtomic(join(out, 'kernels.wasm.bin'), kernels);
rmSync(join(out, 'ort-wasm.wasm.br.sha256'), { force: true }); // cache stamp of an earlier version of this script
manifest['kernels.wasm'] = short(kernels);

// ORT's browser runtime: bundled only with --with-ort-wasm (or SEAMLINE_WEB_ORT=bundle). The worker already holds this
// wasm as a compiled module it cannot read bytes back from, and a second copy (2.3 MB even at brotli quality 11) does
// not fit the 10 MB gzip upload limit next to the rest of the worker: the default build writes an empty placeholder and
// the route streams the file from R2 (MODELS, key ort-wasm-simd-threaded.wasm); the page checks with HEAD.
const withOrt = process.argv.includes('--with-ort-wasm') || process.env.SEAMLINE_WEB_ORT === 'bundle';
const ortWasmFile = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
const ortWasm = readFileSync(ortWasmFile);
let ortBr = new Uint8Array(0);
if (withOrt) {
  const t = Date.now();
  // Quality 5: ~1.7 s instead of ~35 s for 11, 2.86 MB instead of 2.30 MB.
  ortBr = brotliCompressSync(ortWasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_LGWIN]: 24 } });
  console.log(`build-web: brotli ${basename(ortWasmFile)} ${ortWasm.length} → ${ortBr.length} B in ${Date.now() - t} ms`);
}
writeAtomic(join(out, 'ort-wasm.wasm.br'), ortBr);
manifest['ort-wasm-simd-threaded.wasm'] = short(ortWasm);
manifest.browserRun = withOrt ? 'bundled' : 'r2';

const modelHashes = {};
for (const file of ['blazeface.fp16.onnx', 'facemesh.fp16.onnx', 'xray.fp16.onnx']) {
  modelHashes[file] = short(readFileSync(join(root, 'models', file)));
}
manifest.models = modelHashes;

// --- esbuild plugin: worker module rules → browser fetches ----------------------------------------
/** @type {import('esbuild').Plugin} */
const browserModules = {
  name: 'seamline-browser-modules',
  setup(b) {
    // The workerd shim that feeds ORT a precompiled module is meaningless in a browser (ort-browser sets wasmPaths).
    b.onResolve({ filter: /adapter\/workers\/ort-wasm(\.js)?$/ }, () => ({ path: 'ort-wasm-shim', namespace: 'seamline-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'seamline-stub' }, () => ({
      contents: 'export function installOrtWasmShim() {}',
      loader: 'js',
    }));
    b.onResolve({ filter: /\.onnx$/ }, (args) => {
      const file = basename(args.path);
      if (!modelHashes[file]) throw new Error(`build-web: ${args.path} is not served by /models/ (add it to build-web.mjs and routes/web.ts)`);
      return { path: file, namespace: 'seamline-onnx' };
    });
    b.onLoad({ filter: /.*/, namespace: 'seamline-onnx' }, (args) => ({
      contents:
        `const url = new URL(${JSON.stringify(`/models/${args.path}?v=${modelHashes[args.path]}`)}, location.href);\n` +
        `const res = await fetch(url);\n` +
        `if (!res.ok) throw new Error('model ' + url.pathname + ': HTTP ' + res.status);\n` +
        `export default await res.arrayBuffer();\n`,
      loader: 'js',
    }));
    b.onResolve({ filter: /\.wasm$/ }, (args) => {
      if (basename(args.path) !== 'kernels.wasm') throw new Error(`build-web: no browser route for wasm import ${args.path}`);
      return { path: 'kernels.wasm', namespace: 'seamline-wasm' };
    });
    b.onLoad({ filter: /.*/, namespace: 'seamline-wasm' }, () => ({
      contents:
        `const url = new URL(${JSON.stringify(`/web/kernels.wasm?v=${manifest['kernels.wasm']}`)}, location.href);\n` +
        `export default await WebAssembly.compileStreaming(fetch(url));\n`,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

const [runBuild] = await Promise.all([
  build({
    ...common,
    entryPoints: [join(web, 'browser-run.ts')],
    outfile: join(out, 'browser-run.js'),
    plugins: [browserModules],
    define: {
      ...common.define,
      __ORT_WASM_URL__: JSON.stringify(`/web/ort/ort-wasm-simd-threaded.wasm?v=${manifest['ort-wasm-simd-threaded.wasm']}`),
    },
  }),
]);
const runJs = runBuild.outputFiles[0].contents;
writeAtomic(join(out, 'browser-run.js.txt'), runJs);
manifest['browser-run.js'] = short(runJs);

const appBuild = await build({
  ...common,
  entryPoints: [join(web, 'main.ts')],
  outfile: join(out, 'app.js'),
  define: {
    ...common.define,
    __BROWSER_RUN_URL__: JSON.stringify(`/web/browser-run.js?v=${manifest['browser-run.js']}`),
    __ORT_WASM_URL__: JSON.stringify(`/web/ort/ort-wasm-simd-threaded.wasm?v=${manifest['ort-wasm-simd-threaded.wasm']}`),
  },
});
const appJs = appBuild.outputFiles[0].contents;
writeAtomic(join(out, 'app.js.txt'), appJs);
manifest['app.js'] = short(appJs);

const cssBuild = await build({ ...common, entryPoints: [join(web, 'styles.css')], outfile: join(out, 'app.css'), loader: { '.css': 'css' } });
const appCss = cssBuild.outputFiles[0].contents;
writeAtomic(join(out, 'app.css.txt'), appCss);
manifest['app.css'] = short(appCss);

const html = readFileSync(join(web, 'index.html'), 'utf8')
  .replaceAll('{{app.js}}', `/web/app.js?v=${manifest['app.js']}`)
  .replaceAll('{{app.css}}', `/web/app.css?v=${manifest['app.css']}`)
  .replaceAll('{{browser-run}}', withOrt ? 'on' : 'auto');
writeAtomic(join(out, 'index.html.txt'), html);
manifest['index.html'] = short(html);
writeAtomic(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `build-web: src/web/dist (in-browser runtime ${withOrt ? 'bundled' : 'from R2'}) app.js ${kb(appJs.length)}, browser-run.js ${kb(runJs.length)}, app.css ${kb(appCss.length)} in ${Date.now() - started} ms`,
);
