/**
 * Per-client rate limits in the real worker (workerd via wrangler): the bindings wrangler.toml declares,
 * here with small limits so a test reaches them in a few requests.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './fixtures/index.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

const SCAN_LIMIT = 3;
const SWAP_LIMIT = 1;
let worker: WorkerHandle;
beforeAll(async () => {
  worker = await startWorker({ SEAMLINE_API_KEY: 'rate-limit-test-key' }, { rateLimits: { SCAN_RATE_LIMIT: SCAN_LIMIT, SWAP_RATE_LIMIT: SWAP_LIMIT } });
});
afterAll(async () => { await worker?.stop(); });

const imageInfo = (client: string, body: Uint8Array<ArrayBuffer> = fixture('face-1.jpg')) =>
  worker.fetch('/v1/image-info', { method: 'POST', headers: { 'content-type': 'image/jpeg', 'cf-connecting-ip': client }, body });
const window = () => Math.floor(Date.now() / 60_000);

/** Runs `attempt` again when miniflare's fixed 60 s window turned over while it ran (the counts restart then). */
async function inOneWindow(attempt: () => Promise<void>): Promise<void> {
  const start = window();
  try {
    await attempt();
  } catch (error) {
    if (window() === start) throw error;
    await attempt();
  }
}

async function expectRateLimited(res: Response, instance: string) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('retry-after')).toBe('60');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: 'https://seamline.dev/problems/rate-limited', status: 429, instance, retryAfter: 60 });
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+:\d+/);
}

describe('rate limits in workerd', () => {
  it('a client over the scan limit gets 429 problem+json with Retry-After, also for a large upload; another client and /health are not affected', async () => {
    await inOneWindow(async () => {
      const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      for (let i = 0; i < SCAN_LIMIT; i++) expect((await imageInfo(client)).status).toBe(200);
      await expectRateLimited(await imageInfo(client), '/v1/image-info');
      // Refused before the body is read: 3 MB of noise is neither decoded nor a dropped connection.
      const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
      await expectRateLimited(await imageInfo(client, big), '/v1/image-info');
      await expectRateLimited(await worker.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': 'image/jpeg', 'cf-connecting-ip': client }, body: fixture('face-1.jpg') }), '/v1/xray');
      expect((await imageInfo('203.0.113.9')).status).toBe(200);
      expect((await worker.fetch('/health', { headers: { 'cf-connecting-ip': client } })).status).toBe(200);
    });
  });

  it('swaps and job creation share the swap limit, apart from the scan limit; refused before authentication', async () => {
    await inOneWindow(async () => {
      const client = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
      const headers = { 'cf-connecting-ip': client, authorization: 'Bearer wrong' };
      expect((await worker.fetch('/v1/swap', { method: 'POST', headers, body: new FormData() })).status).toBe(401);
      await expectRateLimited(await worker.fetch('/v1/swap', { method: 'POST', headers, body: new FormData() }), '/v1/swap');
      await expectRateLimited(await worker.fetch('/v1/jobs', { method: 'POST', headers, body: new FormData() }), '/v1/jobs');
      expect((await imageInfo(client)).status).toBe(200);
    });
  });

  it('the OpenAPI document lists the 429 answer of every limited route', async () => {
    const doc = (await (await worker.fetch('/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, method] of [['/v1/faces', 'post'], ['/v1/xray', 'post'], ['/v1/image-info', 'post'], ['/v1/swap', 'post'], ['/v1/jobs', 'post'], ['/v1/jobs/{id}', 'get'], ['/v1/jobs/{id}/result', 'get']]) {
      expect(doc.paths[path][method].responses, `${method} ${path}`).toHaveProperty('429');
    }
  });

  it('wrangler.toml declares exactly the bindings the routes use', () => {
    const declared = [...readFileSync('wrangler.toml', 'utf8').matchAll(/\[\[ratelimits\]\]\s*\nname = "(\w+)"/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual(['SCAN_RATE_LIMIT', 'SWAP_RATE_LIMIT']);
  });
});
