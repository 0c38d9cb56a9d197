/**
 * Starts the real worker in workerd (through wrangler's programmatic dev server) once per test
 * file, so integration tests exercise the same runtime, bundling and module rules as `npm start`.
 */
import { unstable_startWorker } from 'wrangler';
import type { RateLimitBinding } from '../../src/middleware/rate-limit/index.js';

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

export type WorkerHandle = {
  url: string;
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
};

export type StartWorkerOptions = {
  /**
   * Where local bindings (R2, Durable Objects, Queues) keep their data. Default: wrangler's own
   * (.wrangler/state). Tests that write job state pass a fresh temp dir so parallel runs never share it.
   */
  persist?: string;
  /** wrangler log level. Default `error`. */
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'log' | 'debug';
  /**
   * Requests per 60 s per client for each rate-limit binding. Default: both raised to `RAISED_RATE_LIMIT`,
   * because tests and benchmarks send far more requests from one address than a client may (jobs polling
   * every 25 ms, the fuzzer's 10,000 uploads); the rate-limit test passes its own small limits.
   */
  rateLimits?: Partial<Record<RateLimitBinding, number>>;
};

export const RAISED_RATE_LIMIT = 1_000_000;
const RATE_LIMIT_NAMESPACES: Record<RateLimitBinding, string> = { SCAN_RATE_LIMIT: '1001', SWAP_RATE_LIMIT: '1002' };

export async function startWorker(vars: Record<string, string> = {}, options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  // Otherwise miniflare fetches Request.cf data from the internet (unreachable here) at start-up.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  const worker: Worker = await unstable_startWorker({
    config: 'wrangler.toml',
    bindings: {
      ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: 'plain_text', value: v }])),
      ...Object.fromEntries(Object.entries(RATE_LIMIT_NAMESPACES).map(([name, namespace_id]) => [name, {
        type: 'ratelimit', namespace_id, simple: { limit: options.rateLimits?.[name as RateLimitBinding] ?? RAISED_RATE_LIMIT, period: 60 },
      }])),
    },
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      watch: false,
      logLevel: options.logLevel ?? 'error',
      ...(options.persist !== undefined ? { persist: options.persist } : {}),
    },
  } as Parameters<typeof unstable_startWorker>[0]);
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, '');
  return {
    url,
    fetch: (path, init) => fetch(url + path, init),
    stop: () => worker.dispose(),
  };
}
