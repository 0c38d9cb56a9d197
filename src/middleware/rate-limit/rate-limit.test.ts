import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../env.js';
import { rateLimit } from './index.js';

/** The binding's contract: `limit` per key per window (the window never ends inside a test). */
function countingLimiter(limit: number): RateLimit & { keys: string[] } {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    async limit({ key }) {
      keys.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return { success: n <= limit };
    },
  };
}

let reached = 0;
const app = new Hono<AppEnv>().post('/v1/xray', rateLimit({ binding: 'SCAN_RATE_LIMIT' }), (c) => {
  reached++;
  return c.text('ok');
});
const call = (env: AppEnv['Bindings'], ip?: string) =>
  app.request('/v1/xray', { method: 'POST', body: 'x', headers: ip ? { 'cf-connecting-ip': ip } : {} }, env);

describe('rateLimit middleware', () => {
  it('lets a client through up to the limit, then answers 429 problem+json with Retry-After without running the route', async () => {
    const limiter = countingLimiter(2);
    reached = 0;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call({ SCAN_RATE_LIMIT: limiter }, '203.0.113.7')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(reached).toBe(2);
    const res = await call({ SCAN_RATE_LIMIT: limiter }, '203.0.113.7');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toMatchObject({
      type: 'https://seamline.dev/problems/rate-limited', status: 429, instance: '/v1/xray', retryAfter: 60,
    });
  });

  it('counts each client address apart', async () => {
    const limiter = countingLimiter(1);
    expect((await call({ SCAN_RATE_LIMIT: limiter }, '203.0.113.7')).status).toBe(200);
    expect((await call({ SCAN_RATE_LIMIT: limiter }, '198.51.100.2')).status).toBe(200);
    expect((await call({ SCAN_RATE_LIMIT: limiter }, '203.0.113.7')).status).toBe(429);
    expect(limiter.keys).toEqual(['203.0.113.7', '198.51.100.2', '203.0.113.7']);
  });

  it('does not limit when the binding is absent, and lets requests through when the limiter fails', async () => {
    for (let i = 0; i < 3; i++) expect((await call({})).status).toBe(200);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = { limit: async () => { throw new Error('limiter down'); } } as RateLimit;
    expect((await call({ SCAN_RATE_LIMIT: broken }, '203.0.113.7')).status).toBe(200);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('limiter down'));
    warn.mockRestore();
  });
});
