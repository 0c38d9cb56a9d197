/**
 * @module origin/main
 * Entry point: `npm run origin [-- --port 8788]` (node tools/run.mjs origin/src/main.ts, so the pipeline's
 * `.wasm`/`.onnx` imports resolve exactly as in the worker). Environment: PORT, EDGE_URL (default
 * http://127.0.0.1:8787), ORIGIN_TOKEN (required), SEAMLINE_DEVICE (auto|cuda|cpu), SEAMLINE_THREADS,
 * SEAMLINE_SWAPPER (default classical), ORIGIN_WORKDIR, ORIGIN_CHUNK_FRAMES, ORIGIN_CONCURRENCY, ORIGIN_MAX_*.
 */
import { serve } from '@hono/node-server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '../../src/backends/ort.js';
import { getSwapper } from '../../src/processors/swapper/index.js';
import type { SwapperName } from '../../src/processors/swapper/types.js';
import { selectBackend } from './backend.js';
import { limitsFromEnv } from './video/limits.js';
import { createOriginApp } from './server.js';
import { createWorkDir } from './workdir.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

const token = process.env.ORIGIN_TOKEN ?? '';
if (!token) {
  console.error('[origin] ORIGIN_TOKEN is not set; refusing to start');
  process.exit(2);
}
const port = Number(flag('port') ?? process.env.PORT ?? 8788);
const edgeUrl = process.env.EDGE_URL ?? 'http://127.0.0.1:8787';
const workRoot = process.env.ORIGIN_WORKDIR ?? join(tmpdir(), 'seamline-origin');
const choice = await selectBackend();
setBackend(choice.backend);
const swapperName = (process.env.SEAMLINE_SWAPPER ?? 'classical') as SwapperName;
const swapper = getSwapper(swapperName);
if (!swapper) console.warn(`[origin] swapper ${swapperName} is not available; swap-video answers 503`);
await createWorkDir(workRoot).sweep(24 * 3600 * 1000);

const app = createOriginApp({
  edgeUrl,
  token,
  backend: choice,
  workRoot,
  swapper,
  limits: limitsFromEnv(),
  framesPerChunk: Number(process.env.ORIGIN_CHUNK_FRAMES) || undefined,
  concurrency: Number(process.env.ORIGIN_CONCURRENCY) || undefined,
});

const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
  console.log(`[origin] listening on :${info.port} (edge ${edgeUrl}, ${choice.device}: ${choice.note}, swapper ${swapper?.name ?? 'none'})`);
});

// tools/run.mjs closes its vite server when this module returns; keep the process alive until a signal.
await new Promise<void>((resolve) => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.close(() => resolve()));
});
