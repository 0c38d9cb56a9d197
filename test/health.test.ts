import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from './support/worker.js';

let worker: WorkerHandle;
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.stop(); });

describe('worker basics in workerd', () => {
  it('answers /health', async () => {
    const res = await worker.fetch('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { memory: { onnxruntimeWasmBytes: number | null; kernelsWasmBytes: number } };
    expect(body).toMatchObject({ status: 'ok', service: 'seamline' });
    expect(body.memory.kernelsWasmBytes).toBeGreaterThanOrEqual(0);
    expect(body.memory.onnxruntimeWasmBytes === null || body.memory.onnxruntimeWasmBytes > 0).toBe(true);
    // wrangler.toml's values
    expect(body).toMatchObject({
      limits: { maxImageBytes: 10_485_760, maxImagePixels: 25_000_000, maxAnalysisPixels: 2_000_000, maxFullSizePixels: 3_000_000, maxWholeDecodePixels: 6_000_000, maxFaces: 8 },
      load: { active: 0, queued: 0 },
    });
  });
  it('answers unknown routes with problem+json 404', async () => {
    const res = await worker.fetch('/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('HTTP protocol in workerd', () => {
  it('answers a known path asked with another method with 405 problem+json and Allow', async () => {
    const get = await worker.fetch('/v1/xray');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    expect(await get.json()).toMatchObject({ status: 405, type: expect.stringContaining('method-not-allowed'), allow: ['POST'] });
    const put = await worker.fetch('/v1/jobs/no-such-job', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    // the right method on a path with a parameter still reaches its route
    expect((await worker.fetch('/v1/jobs/no-such-job')).status).toBe(404);
  });
  it('sets the usual security headers on API answers, problems and pages alike', async () => {
    for (const res of [await worker.fetch('/health'), await worker.fetch('/v1/faces', { method: 'POST' }), await worker.fetch('/docs')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });
  it('names every answer with X-Request-Id: the client\'s own when well-formed, else a fresh one', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const a = (await worker.fetch('/health')).headers.get('x-request-id');
    const b = (await worker.fetch('/health')).headers.get('x-request-id');
    expect(a).toMatch(uuid);
    expect(b).toMatch(uuid);
    expect(a).not.toBe(b);
    expect((await worker.fetch('/health', { headers: { 'x-request-id': 'cms-upload-42' } })).headers.get('x-request-id')).toBe('cms-upload-42');
    expect((await worker.fetch('/health', { headers: { 'x-request-id': 'no spaces <allowed>' } })).headers.get('x-request-id')).toMatch(uuid);
    const problem = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'x-request-id': 'ticket-7' } });
    expect(problem.status).toBe(400);
    expect(problem.headers.get('x-request-id')).toBe('ticket-7');
    expect((await worker.fetch('/nope')).headers.get('x-request-id')).toMatch(uuid);
  });
  it('answers CORS preflights for the API and puts CORS headers on its answers, problems included', async () => {
    const pre = await worker.fetch('/v1/xray', {
      method: 'OPTIONS',
      headers: { origin: 'https://cms.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const problem = await worker.fetch('/v1/faces', { method: 'POST', headers: { origin: 'https://cms.example' } });
    expect(problem.status).toBe(400);
    expect(problem.headers.get('access-control-allow-origin')).toBe('*');
    expect(problem.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const unknown = await worker.fetch('/v1/no-such-route', { headers: { origin: 'https://cms.example' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
    const health = await worker.fetch('/health', { headers: { origin: 'https://cms.example' } });
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
    // the internal routes between edge and origin are not offered to browsers
    const internal = await worker.fetch('/internal/jobs/x/input', { headers: { origin: 'https://cms.example' } });
    expect(internal.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('model cards in workerd', () => {
  type Summary = { name: string; version: string | null; delivery: string; license: string; files: { path: string; sha256: string; bytes: number }[] };
  it('lists every card with its delivery, and the hashes of the files actually shipped', async () => {
    const res = await worker.fetch('/v1/models');
    expect(res.status).toBe(200);
    const { models } = (await res.json()) as { models: Summary[] };
    const byName = Object.fromEntries(models.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['aei_lite', 'blazeface', 'facemesh', 'faceres', 'hear_lite', 'mobilefacenet', 'xray']);
    expect([byName.xray.delivery, byName.blazeface.delivery, byName.facemesh.delivery]).toEqual(['bundled', 'bundled', 'bundled']);
    expect([byName.aei_lite.delivery, byName.hear_lite.delivery, byName.faceres.delivery]).toEqual(['r2', 'r2', 'not-shipped']);
    expect(byName.blazeface.license).toMatch(/MIT/);
    for (const m of models) {
      for (const f of m.files) {
        const bytes = readFileSync(f.path);
        expect(bytes.length, f.path).toBe(f.bytes);
        expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      }
    }
    // the version /v1/xray names in its answers is the card's
    const scan = await worker.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: readFileSync('test/fixtures/face-1.jpg') });
    expect(((await scan.json()) as { model: { version: string } }).model.version).toBe(byName.xray.version);
  });
  it('serves one card whole, and 404 model-not-found for other names', async () => {
    const card = (await (await worker.fetch('/v1/models/xray')).json()) as { name: string; metrics: unknown; calibration: { threshold: number } };
    expect(card.name).toBe('xray');
    expect(card.metrics).toBeDefined();
    expect(card.calibration.threshold).toBeGreaterThan(0);
    const missing = await worker.fetch('/v1/models/deepfake-3000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toContain('model-not-found');
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const res = await worker.fetch('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/health');
  });
  it('serves Swagger UI with its assets from the worker itself', async () => {
    const page = await worker.fetch('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('SwaggerUIBundle');
    const js = await worker.fetch('/docs/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
  });
});
