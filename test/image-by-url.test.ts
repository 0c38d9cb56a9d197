/**
 * Images named by URL (`application/json` with `imageUrl`, `sourceUrl`/`targetUrl`) and raw
 * `application/octet-stream` bodies, against the real worker in workerd and a loopback image server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './fixtures/index.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

const KEY = 'url-test-key';
let worker: WorkerHandle;
let secure: WorkerHandle;
let server: Server;
let base = '';
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const path = req.url ?? '/';
    if (path === '/face.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixture('face-1.jpg'));
    // a CDN that labels everything as a download: the bytes' magic decides, as for uploads
    if (path === '/face4.bin') return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fixture('face-4.jpg'));
    if (path === '/moved') return res.writeHead(302, { location: '/face.jpg' }).end();
    if (path === '/huge') return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(64 * 1024 * 1024) }).end();
    if (path === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an image</html>');
    res.writeHead(404).end('gone');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The loopback server needs the test-only switch; `secure` keeps the production URL rules.
  [worker, secure] = await Promise.all([
    startWorker({ ALLOW_INSECURE_FETCH_FOR_TESTS: '1', SEAMLINE_API_KEY: KEY }),
    startWorker({ SEAMLINE_API_KEY: KEY }),
  ]);
});
afterAll(async () => {
  await Promise.all([worker?.stop(), secure?.stop()]);
  await new Promise((r) => server?.close(r));
});

const postJson = (w: WorkerHandle, path: string, body: unknown, headers: Record<string, string> = {}) =>
  w.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function problem(res: Response): Promise<{ status: number; type: string }> {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; type: string };
}

describe('images by URL in workerd', () => {
  it('gives the same faces for an image by URL, through a redirect, as for the upload itself', async () => {
    const uploaded = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: fixture('face-1.jpg') });
    const byUrl = await postJson(worker, '/v1/faces', { imageUrl: `${base}/face.jpg` });
    const redirected = await postJson(worker, '/v1/faces', { imageUrl: `${base}/moved` });
    expect([uploaded.status, byUrl.status, redirected.status]).toEqual([200, 200, 200]);
    const expected = await uploaded.json();
    expect(await byUrl.json()).toEqual(expected);
    expect(await redirected.json()).toEqual(expected);
  });

  it('scans an image by URL with /v1/xray, overlay included', async () => {
    const res = await postJson(worker, '/v1/xray', { imageUrl: `${base}/face.jpg` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { faces: unknown[]; verdict: string | null };
    expect(body.faces).toHaveLength(1);
    expect(['real', 'fake']).toContain(body.verdict);
    const overlay = await postJson(worker, '/v1/xray?overlay=1', { imageUrl: `${base}/face.jpg` });
    expect(overlay.headers.get('content-type')).toBe('image/png');
  });

  it('swaps two images by URL, with the options in the JSON body', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const res = await postJson(worker, '/v1/swap', { sourceUrl: `${base}/face4.bin`, targetUrl: `${base}/face.jpg`, model: 'classical' }, { ...auth, accept: 'image/png' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-seamline-model')).toBe('classical');
    const badOption = await postJson(worker, '/v1/swap', { sourceUrl: `${base}/face4.bin`, targetUrl: `${base}/face.jpg`, model: { name: 'x' } }, auth);
    expect(badOption.status).toBe(400);
    const oneMissing = await postJson(worker, '/v1/swap', { sourceUrl: `${base}/face4.bin` }, auth);
    expect(oneMissing.status).toBe(400);
    expect(await problem(oneMissing)).toMatchObject({ type: expect.stringContaining('missing-image'), field: 'target' });
  });

  it('answers what went wrong with the URL as problem+json', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ imageUrl: `${base}/nope.jpg` }, 422, 'fetch-failed'],
      [{ imageUrl: `${base}/huge` }, 413, 'image-too-large'],
      [{ imageUrl: `${base}/page` }, 415, 'unsupported'],
      [{ imageUrl: 'ftp://example.com/a.jpg' }, 400, 'url-not-allowed'],
      [{ imageUrl: 42 }, 400, 'invalid-request'],
      [{}, 400, 'missing-image'],
      ['{"imageUrl":', 400, 'invalid-json'],
      ['[1,2]', 400, 'invalid-json'],
      [JSON.stringify({ imageUrl: `${base}/face.jpg`, pad: 'x'.repeat(20_000) }), 413, 'body-too-large'],
    ];
    for (const [body, status, type] of cases) {
      const res = await postJson(worker, '/v1/faces', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect((await problem(res)).type).toContain(type);
    }
  });

  it('keeps the SSRF rules in production mode: loopback, private and plain-http URLs are refused unfetched', async () => {
    const before = requests;
    for (const url of [`${base}/face.jpg`, 'https://127.0.0.1/a.jpg', 'https://10.0.0.8/a.jpg', 'https://[::1]/a.jpg', 'https://localhost/a.jpg', 'https://metadata.internal/a.jpg']) {
      const res = await postJson(secure, '/v1/xray', { imageUrl: url });
      expect(res.status, url).toBe(400);
      expect((await problem(res)).type).toContain('url-not-allowed');
    }
    expect(requests).toBe(before);
  });
});

describe('application/octet-stream bodies in workerd', () => {
  it('are read as raw images, the bytes picking the codec', async () => {
    const res = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: fixture('face-1.jpg') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { faces: unknown[] }).faces).toHaveLength(1);
    const notImage = await worker.fetch('/v1/faces', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'plain text' });
    expect(notImage.status).toBe(415);
  });

  it('are refused by /v1/swap like any raw body: a swap needs two images', async () => {
    const res = await worker.fetch('/v1/swap', { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${KEY}` }, body: fixture('face-1.jpg') });
    expect(res.status).toBe(415);
  });
});
