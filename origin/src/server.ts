/**
 * @module origin/server
 * The origin's HTTP surface (Hono on @hono/node-server):
 * - `GET /health` → backend (cuda|cpu), ffmpeg version, swapper, load;
 * - `POST /work` (bearer ORIGIN_TOKEN) → one step of the contract (src/jobs/contract.ts): the body is a
 *   `WorkRequest`, the answer a `WorkResult` (200), a `WorkFailure` with 422 for a permanent job failure,
 *   or a `WorkFailure` with 400/401/5xx that the edge may retry.
 */
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WorkFailure, WorkRequest, WorkResult } from '../../src/jobs/contract.js';
import type { Swapper } from '../../src/processors/swapper/types.js';
import { bearer } from './auth.js';
import type { BackendChoice } from './backend.js';
import type { OriginContext } from './context.js';
import { createEdgeClient } from './edge-client.js';
import { WorkError } from './errors.js';
import { createGate, GateFullError } from '../../src/lib/gate.js';
import { runAssemble } from './steps/assemble.js';
import { runChunk } from './steps/chunk.js';
import { runProbe } from './steps/probe.js';
import { ffmpegVersion } from './video/ffmpeg.js';
import { DEFAULT_LIMITS, type VideoLimits } from './video/limits.js';
import { createWorkDir } from './workdir.js';

export type OriginOptions = {
  edgeUrl: string;
  token: string;
  backend: Pick<BackendChoice, 'device' | 'threads' | 'note'> & { backend: { name: string } };
  workRoot: string;
  swapper?: Swapper;
  limits?: VideoLimits;
  framesPerChunk?: number;
  samplesPerSecond?: number;
  warmupFrames?: number;
  concurrency?: number;
  maxQueued?: number;
  fetch?: typeof fetch;
  log?: (message: string) => void;
};

/** @example const app = createOriginApp({ edgeUrl, token, backend, workRoot: '/tmp/seamline-origin' }); serve({ fetch: app.fetch, port }); */
export function createOriginApp(options: OriginOptions): Hono {
  const log = options.log ?? ((m: string) => console.log(m));
  const ctx: OriginContext = {
    edge: createEdgeClient({ edgeUrl: options.edgeUrl, token: options.token, fetch: options.fetch }),
    workdir: createWorkDir(options.workRoot),
    limits: options.limits ?? DEFAULT_LIMITS,
    swapper: options.swapper,
    framesPerChunk: options.framesPerChunk ?? 48,
    samplesPerSecond: options.samplesPerSecond ?? 2,
    warmupFrames: options.warmupFrames ?? 8,
    maxSourceBytes: 20 * 1024 * 1024,
    log,
  };
  const gate = createGate({ concurrency: options.concurrency ?? 1, maxQueued: options.maxQueued ?? 4 });
  const version = ffmpegVersion();
  const app = new Hono();

  app.get('/health', async (c) => c.json({
    status: 'ok',
    backend: options.backend.device,
    runtime: options.backend.backend.name,
    backendNote: options.backend.note,
    threads: options.backend.threads,
    ffmpeg: await version,
    swapper: ctx.swapper?.name ?? null,
    active: gate.active,
    queued: gate.queued,
  }));

  app.use('/work', bearer({ token: options.token }));
  app.post('/work', async (c) => {
    const body = await c.req.json().catch(() => undefined);
    const parsed = WorkRequest.safeParse(body);
    if (!parsed.success) return failure(c, new WorkError(400, 'bad-request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    const req = parsed.data;
    try {
      const result = await gate.run<WorkResult>(() => (req.step === 'probe' ? runProbe(ctx, req) : req.step === 'chunk' ? runChunk(ctx, req, c.req.raw.signal) : runAssemble(ctx, req)));
      return c.json(WorkResult.parse(result));
    } catch (error) {
      if (error instanceof GateFullError) return failure(c, new WorkError(503, 'busy', 'the origin is at capacity; retry later'));
      if (error instanceof WorkError) {
        log(`[origin] ${req.jobId} ${req.step} failed ${error.status} ${error.error}: ${error.detail}`);
        return failure(c, error);
      }
      log(`[origin] ${req.jobId} ${req.step} crashed: ${(error as Error).stack ?? error}`);
      return failure(c, new WorkError(500, 'origin-error', (error as Error).message));
    }
  });
  return app;
}

function failure(c: { json: (body: unknown, status: ContentfulStatusCode) => Response }, error: WorkError): Response {
  return c.json(WorkFailure.parse({ error: error.error, detail: error.detail }), error.status as ContentfulStatusCode);
}
