import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env.js';
import { ProblemError } from '../../problem.js';
import { allowedOrigin, corsPolicyOf, publicCors } from './index.js';

let reached = 0;
const app = new Hono<AppEnv>()
  .use('/v1/*', publicCors())
  .post('/v1/xray', (c) => {
    reached++;
    return c.json({ verdict: 'real' }, 200, { 'x-seamline-verdict': 'real' });
  })
  .post('/v1/faces', () => {
    throw new ProblemError(400, 'missing-image', 'No image was sent.');
  })
  .onError((error) => (error instanceof ProblemError ? error.toResponse() : new Response('bad', { status: 500 })));

const preflight = (origin: string, env: AppEnv['Bindings'] = {}) =>
  app.request('/v1/xray', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  }, env);

describe('CORS_ORIGINS parsing', () => {
  it('reads unset and * as any origin, none as off, and anything else as a list without trailing slashes', () => {
    expect(corsPolicyOf(undefined)).toEqual({ kind: 'any' });
    expect(corsPolicyOf(' * ')).toEqual({ kind: 'any' });
    expect(corsPolicyOf('None')).toEqual({ kind: 'none' });
    const list = corsPolicyOf('https://cms.example/, https://admin.example');
    expect(list).toEqual({ kind: 'list', origins: new Set(['https://cms.example', 'https://admin.example']) });
    expect(allowedOrigin(list, 'https://admin.example')).toBe('https://admin.example');
    expect(allowedOrigin(list, 'https://evil.example')).toBeNull();
    expect(allowedOrigin({ kind: 'any' }, 'https://evil.example')).toBe('*');
  });
});

describe('publicCors middleware', () => {
  it('answers a preflight itself with the methods, request headers and exposed headers, without running the route', async () => {
    reached = 0;
    const res = await preflight('https://cms.example');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,HEAD,POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type,Accept,X-Request-Id,Idempotency-Key');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Seamline-Verdict');
    expect(res.headers.get('access-control-max-age')).toBe('7200');
    expect(reached).toBe(0);
  });

  it('puts the CORS headers on answers and on problems alike', async () => {
    const ok = await app.request('/v1/xray', { method: 'POST', headers: { origin: 'https://cms.example' } }, {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('x-seamline-verdict')).toBe('real');
    const problem = await app.request('/v1/faces', { method: 'POST', headers: { origin: 'https://cms.example' } }, {});
    expect(problem.status).toBe(400);
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
    expect(problem.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('with a list, allows the listed origins only and says the answer varies by Origin', async () => {
    const env = { CORS_ORIGINS: 'https://cms.example' };
    const listed = await preflight('https://cms.example', env);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://cms.example');
    expect(listed.headers.get('vary')).toContain('Origin');
    const other = await preflight('https://evil.example', env);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const post = await app.request('/v1/xray', { method: 'POST', headers: { origin: 'https://evil.example' } }, env);
    expect(post.status).toBe(200); // the server answers; the browser withholds it from the page
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with none, adds nothing and leaves OPTIONS to the app', async () => {
    const res = await preflight('https://cms.example', { CORS_ORIGINS: 'none' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.status).toBe(404);
  });
});
