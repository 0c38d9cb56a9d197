/**
 * Starts the real worker in workerd (through wrangler's programmatic dev server) once per test
 * file, so integration tests exercise the same runtime, bundling and module rules as `npm start`.
 */
import { unstable_startWorker } from 'wrangler';

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
};

export async function startWorker(vars: Record<string, string> = {}, options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  // Otherwise miniflare fetches Request.cf data from the internet (unreachable here) at start-up.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  const worker: Worker = await unstable_startWorker({
    config: 'wrangler.toml',
    bindings: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: 'plain_text', value: v }])),
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
