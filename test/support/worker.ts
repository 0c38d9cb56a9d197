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

export async function startWorker(vars: Record<string, string> = {}): Promise<WorkerHandle> {
  const worker: Worker = await unstable_startWorker({
    config: 'wrangler.toml',
    bindings: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { type: 'plain_text', value: v }])),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'error' },
  } as Parameters<typeof unstable_startWorker>[0]);
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, '');
  return {
    url,
    fetch: (path, init) => fetch(url + path, init),
    stop: () => worker.dispose(),
  };
}
