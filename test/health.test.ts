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
