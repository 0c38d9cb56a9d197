import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './support/worker.js';

let worker: WorkerHandle;
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.stop(); });

describe('worker basics in workerd', () => {
  it('answers /health', async () => {
    const res = await worker.fetch('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'seamline' });
  });
  it('answers unknown routes with problem+json 404', async () => {
    const res = await worker.fetch('/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });
});
