/**
 * The SDK against the real worker (workerd via wrangler, with SEAMLINE_API_KEY so swaps and swap jobs
 * run) and against a scripted stub server for retries and job polling; plus OpenAPI coverage:
 * ROUTES ⇄ /openapi.json and the field names the SDK types read; plus webhook signatures checked
 * against the server's signer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../../src/jobs/signature.js';
import { fixture } from '../../../test/fixtures/index.js';
import { startWorker, type WorkerHandle } from '../../../test/support/worker.js';
import { RESPONSE_FIELDS, ROUTES, Seamline, SeamlineError, normalizeTask, parseRetryAfter, verifyWebhookSignature, type JobStatus } from '../src/index.js';
import { problem, startStub } from './stub-server.js';

const API_KEY = 'k';
let worker: WorkerHandle;
let client: Seamline;
let keyed: Seamline;
let persist: string;
beforeAll(async () => {
  // Fresh job state per run; an origin that is never there, so created jobs stay queued/running.
  persist = mkdtempSync(join(tmpdir(), 'seamline-sdk-'));
  worker = await startWorker({ SEAMLINE_API_KEY: API_KEY, ORIGIN_URL: 'http://127.0.0.1:9' }, { persist });
  client = new Seamline({ baseUrl: worker.url, retries: 0 });
  keyed = new Seamline({ baseUrl: worker.url, apiKey: API_KEY, retries: 0 });
});
afterAll(async () => {
  await worker?.stop();
  if (persist) rmSync(persist, { recursive: true, force: true });
});

/** A "video" the edge accepts: an MP4 `ftyp` box (the edge only checks the container magic). */
const synthVideo = () =>
  new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0, ...new TextEncoder().encode('isomiso2 SYNTH frames=4')]);
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

describe('SDK against the real worker', () => {
  it('health()', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok', service: 'seamline' });
  });

  it('faces() on face-1.jpg from bytes, ArrayBuffer, Blob and a file path', async () => {
    const bytes = fixture('face-1.jpg');
    const path = new URL('../../../test/fixtures/face-1.jpg', import.meta.url).pathname;
    for (const input of [bytes, bytes.buffer, new Blob([bytes]), path]) {
      const res = await client.faces(input);
      expect(res).toMatchObject({ width: 224, height: 224 });
      expect(res.faces).toHaveLength(1);
      expect(res.faces[0].keypoints).toHaveLength(5);
      expect(res.faces[0].landmarks).toHaveLength(468);
      expect(res.faces[0].score).toBeGreaterThan(0.5);
    }
  });

  it('imageInfo() reports what the decoder found', async () => {
    expect(await client.imageInfo(fixture('face-1.webp'))).toEqual({ format: 'webp', width: 224, height: 224, orientation: 1, animated: false, colorModel: 'rgb' });
    expect(await client.imageInfo(fixture('face-1-exif6.jpg'))).toMatchObject({ format: 'jpeg', orientation: 6 });
  });

  it('xray() as JSON and as an overlay PNG agree', async () => {
    const scan = await client.xray(fixture('face-1.jpg'));
    expect(['fake', 'real']).toContain(scan.verdict);
    expect(scan.faces).toHaveLength(1);
    expect(scan.faces[0].boundaryMap).toMatch(/^data:image\/png;base64,/);
    expect(scan.model.name).toEqual(expect.any(String));
    const overlay = await client.xray(fixture('face-1.jpg'), { overlay: true });
    expect([...overlay.png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(overlay).toMatchObject({ verdict: scan.verdict, score: scan.score, scale: 1 });
  });

  it('models() lists the shipped models and modelCard() returns one card whole', async () => {
    const { models } = await client.models();
    expect(models.find((m) => m.name === 'xray')).toMatchObject({ delivery: 'bundled', version: expect.any(String) });
    const card = await client.modelCard('xray');
    expect(card.name).toBe('xray');
    await expect(client.modelCard('nope')).rejects.toMatchObject({ status: 404, code: 'model-not-found' });
  });

  it('maps a 415 to SeamlineError with the problem fields', async () => {
    const error = await client.imageInfo(fixture('tiny.gif')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeamlineError);
    const e = error as SeamlineError;
    expect(e.status).toBe(415);
    expect(e.type).toMatch(/^https:\/\/seamline\.dev\/problems\/unsupported-/);
    expect(e.title).toBe('Unsupported Media Type');
    expect(e.detail).toEqual(expect.any(String));
    expect(e.problem).toMatchObject({ status: 415, instance: '/v1/image-info' });
    expect(e.attempts).toBe(1);
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/); // the worker's X-Request-Id, to quote in a report
  });

  it('images by { url } reach the server as JSON, where its URL rules apply', async () => {
    const error = await client.xray({ url: 'https://127.0.0.1/photo.jpg' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SeamlineError', status: 400, code: 'url-not-allowed' });
    const swap = await keyed.swap({ source: { url: 'https://10.1.2.3/a.jpg' }, target: { url: new URL('https://example.com/b.jpg') } }).catch((e: unknown) => e);
    expect(swap).toMatchObject({ name: 'SeamlineError', status: 400, code: 'url-not-allowed' });
  });
});

describe('swap and jobs against the real worker', () => {
  it('swap() puts face-4 into face-1: a JPEG of the target size, marked as seamline-made', async () => {
    const out = await keyed.swap({ source: fixture('face-4.jpg'), target: fixture('face-1.jpg') });
    expect(out.contentType).toBe('image/jpeg');
    expect([...out.bytes.subarray(0, 3)]).toEqual(JPEG_MAGIC);
    expect(out.headers['x-seamline-model']).toBe('classical');
    expect(await client.imageInfo(out.bytes)).toMatchObject({ format: 'jpeg', width: 224, height: 224 });
    expect((await client.xray(out.bytes)).provenance).toBe('seamline');
  });

  it('swap() without the key is a 401; model=aei is a 503 model-unavailable', async () => {
    await expect(client.swap({ source: fixture('face-4.jpg'), target: fixture('face-1.jpg') })).rejects.toMatchObject({ name: 'SeamlineError', status: 401 });
    await expect(keyed.swap({ source: fixture('face-4.jpg'), target: fixture('face-1.jpg'), model: 'aei' })).rejects.toMatchObject({ status: 503, code: 'model-unavailable' });
  });

  it('jobs.create() uploads a video → 202 queued; jobs.get() reads the real status shape', async () => {
    const created = await keyed.jobs.create({ video: synthVideo(), task: 'scan-video' });
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'queued', statusUrl: `${worker.url}/v1/jobs/${created.id}` });
    const job = await keyed.jobs.get(created.id);
    expect(Object.keys(job).sort()).toEqual(expect.arrayContaining(['createdAt', 'id', 'progress', 'state', 'task', 'updatedAt']));
    expect(job).toMatchObject({ id: created.id, task: 'scan-video', createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(['queued', 'running']).toContain(job.state); // the queue may already have picked it up
    expect(Object.keys(job.progress).sort()).toEqual([...RESPONSE_FIELDS.JobProgress].sort());
    expect(job.progress).toMatchObject({ framesDone: 0, chunksDone: 0 });
    // Not finished: the result route answers 404 result-not-ready.
    await expect(keyed.jobs.result(created.id)).rejects.toMatchObject({ status: 404, code: 'result-not-ready' });
    await expect(keyed.jobs.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ status: 404, code: 'job-not-found' });
  });

  it('jobs.create() with the swap alias, a source face, sourceFace and callbackUrl → swap-video job', async () => {
    const created = await keyed.jobs.create({ video: synthVideo(), task: 'swap', source: fixture('face-4.jpg'), sourceFace: 0, callbackUrl: 'https://example.com/hooks/seamline' });
    expect(created.state).toBe('queued');
    expect(await keyed.jobs.get(created.id)).toMatchObject({ id: created.id, task: 'swap-video' });
    // The key guards every job route once the server has one.
    await expect(client.jobs.get(created.id)).rejects.toMatchObject({ status: 401 });
  });

  it('jobs.create() JSON form reaches the URL checks (private hosts are refused)', async () => {
    await expect(keyed.jobs.create({ task: 'scan', videoUrl: 'https://127.0.0.1/clip.mp4' })).rejects.toMatchObject({ status: 400, code: 'url-not-allowed' });
    await expect(keyed.jobs.create({ task: 'swap-video', video: synthVideo() })).rejects.toMatchObject({ status: 400, code: 'missing-source' });
  });

  it('jobs.create() with the same idempotencyKey gives back the same job', async () => {
    const key = crypto.randomUUID();
    const first = await keyed.jobs.create({ task: 'scan-video', video: synthVideo(), idempotencyKey: key });
    const again = await keyed.jobs.create({ task: 'scan-video', video: synthVideo(), idempotencyKey: key });
    expect(again.id).toBe(first.id);
    const fresh = await keyed.jobs.create({ task: 'scan-video', video: synthVideo() });
    expect(fresh.id).not.toBe(first.id);
  });
});

describe('OpenAPI coverage', () => {
  type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[] };
  type Doc = { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, Schema> } };
  let doc: Doc;
  beforeAll(async () => { doc = (await (await worker.fetch('/openapi.json')).json()) as Doc; });

  const norm = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
  const docRoutes = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => norm(m, path)),
    );

  it('every path+method in the document has an SDK method', () => {
    const sdk = new Set(Object.values(ROUTES).map((r) => norm(r.method, r.path)));
    const missing = docRoutes().filter((r) => !sdk.has(r));
    expect(missing, 'routes in /openapi.json without an SDK method').toEqual([]);
  });

  it('every SDK route is in the document (provisional ones may still be absent) and its method exists', () => {
    const inDoc = new Set(docRoutes());
    const absent = Object.entries(ROUTES).filter(([, r]) => !inDoc.has(norm(r.method, r.path)));
    expect(absent.filter(([, r]) => !('provisional' in r)).map(([k]) => k), 'non-provisional SDK routes missing from /openapi.json').toEqual([]);
    for (const r of Object.values(ROUTES)) {
      const member = r.sdk.split('.').reduce<any>((o, k) => o?.[k], client);
      expect(typeof member, r.sdk).toBe('function');
    }
    if (absent.length) console.info(`provisional routes not yet served: ${absent.map(([k]) => k).join(', ')}`);
  });

  it('the fields the SDK types read exist in the faces, xray and job response schemas', () => {
    const schemas = doc.components.schemas;
    const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? schemas[s.$ref.split('/').pop()!] : s);
    const responseSchema = (path: string, method = 'post', status = '200') => {
      const op = doc.paths[path]?.[method] as { responses: Record<string, { content: Record<string, { schema: Schema }> }> } | undefined;
      return resolve(op?.responses[status]?.content['application/json'].schema);
    };
    const checks: [string, Schema | undefined, readonly string[]][] = [];
    const faces = responseSchema('/v1/faces');
    checks.push(['FacesResponse', faces, RESPONSE_FIELDS.FacesResponse]);
    checks.push(['Face', resolve(faces?.properties?.faces?.items), RESPONSE_FIELDS.Face]);
    const xray = responseSchema('/v1/xray');
    checks.push(['XrayResponse', xray, RESPONSE_FIELDS.XrayResponse]);
    checks.push(['XrayFace', resolve(xray?.properties?.faces?.items), RESPONSE_FIELDS.XrayFace]);
    checks.push(['JobCreated', responseSchema('/v1/jobs', 'post', '202'), RESPONSE_FIELDS.JobCreated]);
    const job = responseSchema('/v1/jobs/{id}', 'get');
    checks.push(['JobStatus', job, RESPONSE_FIELDS.JobStatus]);
    checks.push(['JobProgress', resolve(job?.properties?.progress), RESPONSE_FIELDS.JobProgress]);
    checks.push(['ModelSummary', resolve(responseSchema('/v1/models', 'get')?.properties?.models?.items), RESPONSE_FIELDS.ModelSummary]);
    for (const [name, schema, fields] of checks) {
      expect(schema?.properties, `${name} schema in /openapi.json`).toBeDefined();
      expect(Object.keys(schema!.properties!).sort(), name).toEqual([...fields].sort());
      // RESPONSE_FIELDS keys are the component names.
      if (schemas[name]) expect(Object.keys(schemas[name].properties ?? {}).sort(), `components.schemas.${name}`).toEqual([...fields].sort());
    }
    expect(Object.keys(RESPONSE_FIELDS).filter((k) => !schemas[k]), 'RESPONSE_FIELDS keys that are not components').toEqual([]);
  });

  it('no route is provisional any more', () => {
    expect(Object.entries(ROUTES).filter(([, r]) => 'provisional' in r).map(([k]) => k)).toEqual([]);
  });
});

describe('swap and jobs (stub server)', () => {
  it('swap() sends multipart source/target and options, returns the picture', async () => {
    const stub = await startStub(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array([1, 2, 3]) }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, apiKey: 'k' });
      const out = await sdk.swap({ source: fixture('face-1.jpg'), target: fixture('face-4.jpg'), model: 'aei', hear: true, targetFace: 1, accept: 'image/png' });
      expect(out).toMatchObject({ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/png' });
      const form = await new Response(new Uint8Array(stub.calls[0].body), { headers: { 'content-type': String(stub.calls[0].headers['content-type']) } }).formData();
      expect((form.get('source') as File).size).toBe(fixture('face-1.jpg').length);
      expect((form.get('target') as File).type).toBe('image/jpeg');
      expect([form.get('model'), form.get('hear'), form.get('targetFace'), form.get('sourceFace')]).toEqual(['aei', 'true', '1', null]);
      expect(stub.calls[0].headers).toMatchObject({ authorization: 'Bearer k', accept: 'image/png' });
      await sdk.swap({ source: fixture('face-1.jpg'), target: fixture('face-4.jpg') });
      expect(stub.calls[1].headers.accept).toBe('image/jpeg'); // the server's default
    } finally {
      await stub.close();
    }
  });

  it('sends { url } inputs as JSON: imageUrl, or sourceUrl + targetUrl with the swap options; mixed swap inputs are refused', async () => {
    const stub = await startStub(() => ({ status: 200, body: { width: 1, height: 1, faces: [] } }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, apiKey: 'k' });
      await sdk.faces({ url: 'https://example.com/a.jpg' });
      expect(stub.calls[0].headers['content-type']).toBe('application/json');
      expect(JSON.parse(stub.calls[0].body.toString())).toEqual({ imageUrl: 'https://example.com/a.jpg' });
      await sdk.swap({ source: { url: 'https://example.com/s.jpg' }, target: { url: new URL('https://example.com/t.png') }, targetFace: 2, hear: false });
      expect(JSON.parse(stub.calls[1].body.toString())).toEqual({ sourceUrl: 'https://example.com/s.jpg', targetUrl: 'https://example.com/t.png', targetFace: 2, hear: false });
      await expect(sdk.swap({ source: { url: 'https://example.com/s.jpg' }, target: fixture('face-1.jpg') })).rejects.toThrow(TypeError);
      expect(stub.calls).toHaveLength(2);
    } finally {
      await stub.close();
    }
  });

  it('jobs.create() sends the multipart and the JSON forms with canonical task names', async () => {
    const stub = await startStub((_, i) => ({ status: 202, body: { id: `j${i}`, state: 'queued', statusUrl: `http://x/v1/jobs/j${i}` } }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url });
      expect(await sdk.jobs.create({ task: 'swap', video: synthVideo(), source: fixture('face-4.jpg'), sourceFace: 2, callbackUrl: 'https://h.example/cb' })).toMatchObject({ id: 'j0', state: 'queued' });
      const call = stub.calls[0];
      expect(`${call.method} ${call.url}`).toBe('POST /v1/jobs');
      const form = await new Response(new Uint8Array(call.body), { headers: { 'content-type': String(call.headers['content-type']) } }).formData();
      expect([form.get('task'), form.get('sourceFace'), form.get('callbackUrl')]).toEqual(['swap-video', '2', 'https://h.example/cb']);
      expect((form.get('video') as File).type).toBe('video/mp4');
      expect((form.get('source') as File).size).toBe(fixture('face-4.jpg').length);

      await sdk.jobs.create({ task: 'scan', videoUrl: 'https://cdn.example/clip.mp4' });
      await sdk.jobs.create({ task: 'swap-video', videoUrl: 'https://cdn.example/clip.mp4', sourceUrl: 'https://cdn.example/me.jpg', sourceFace: 1, callbackUrl: 'https://h.example/cb' });
      expect(stub.calls[1].headers['content-type']).toBe('application/json');
      expect(JSON.parse(stub.calls[1].body.toString())).toEqual({ task: 'scan-video', videoUrl: 'https://cdn.example/clip.mp4' });
      expect(JSON.parse(stub.calls[2].body.toString())).toEqual({
        task: 'swap-video', videoUrl: 'https://cdn.example/clip.mp4', sourceUrl: 'https://cdn.example/me.jpg', sourceFace: 1, callbackUrl: 'https://h.example/cb',
      });
      await expect(sdk.jobs.create({ task: 'blur' as 'scan', video: synthVideo() })).rejects.toThrow(TypeError);
      expect(stub.calls).toHaveLength(3);
      expect([normalizeTask('scan'), normalizeTask('swap'), normalizeTask('scan-video'), normalizeTask('swap-video')]).toEqual(['scan-video', 'swap-video', 'scan-video', 'swap-video']);
    } finally {
      await stub.close();
    }
  });

  it('jobs.wait() polls, reports each progress change once, resolves when succeeded and rejects when failed; jobs.result() downloads', async () => {
    const progress = (framesDone: number, chunksDone: number, percent: number, etaSeconds: number | null) => ({ framesDone, framesTotal: 90, chunksDone, chunksTotal: 3, percent, etaSeconds });
    const base = { id: 'j 1', task: 'scan-video', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:01.000Z' };
    const states: Omit<JobStatus, keyof typeof base>[] = [
      { state: 'queued', progress: { ...progress(0, 0, 0, null), framesTotal: 0, chunksTotal: 0 } },
      { state: 'running', progress: progress(30, 1, 35, 4) },
      { state: 'running', progress: progress(30, 1, 35, 4) },
      { state: 'running', progress: progress(60, 2, 65, 2) },
      { state: 'succeeded', progress: progress(90, 3, 100, null), result: { url: 'http://x/v1/jobs/j%201/result', contentType: 'application/json', summary: { verdict: 'real' } } },
    ];
    const report = new TextEncoder().encode('{"frames":90}');
    const stub = await startStub((call, i) => {
      if (call.url === '/v1/jobs/bad') {
        return { status: 200, body: { ...base, id: 'bad', state: 'failed', progress: progress(0, 0, 5, null), error: problem(422, 'corrupt-video') } };
      }
      if (call.url.endsWith('/result')) return { status: 200, headers: { 'content-type': 'application/json' }, body: report };
      return { status: 200, body: { ...base, ...states[Math.min(i, 4)] } };
    });
    try {
      const sdk = new Seamline({ baseUrl: stub.url });
      const seen: string[] = [];
      const job = await sdk.jobs.wait('j 1', {
        intervalMs: 10,
        onProgress: ({ state, progress: p }) => seen.push(`${state} ${p.framesDone}/${p.framesTotal} ${p.percent}% eta ${p.etaSeconds}`),
      });
      expect(job).toMatchObject({ state: 'succeeded', result: { contentType: 'application/json', summary: { verdict: 'real' } } });
      expect(seen).toEqual(['queued 0/0 0% eta null', 'running 30/90 35% eta 4', 'running 60/90 65% eta 2', 'succeeded 90/90 100% eta null']);
      expect(stub.calls.map((c) => c.url)).toEqual(Array(5).fill('/v1/jobs/j%201'));
      expect(await sdk.jobs.result('j 1')).toEqual({ bytes: report, contentType: 'application/json' });
      expect(stub.calls.at(-1)?.url).toBe('/v1/jobs/j%201/result');
      await expect(sdk.jobs.wait('bad', { intervalMs: 10 })).rejects.toMatchObject({ name: 'SeamlineError', status: 422, code: 'corrupt-video' });
      await expect(sdk.jobs.wait('j 1', { intervalMs: 10, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await stub.close();
    }
  });
});

describe('verifyWebhookSignature (against the server signer, src/jobs/signature.ts)', () => {
  const secret = 'whsec-test';
  const body = JSON.stringify({ type: 'job.succeeded', job: { id: 'j', state: 'succeeded', note: 'é ✓' } });
  let now: number;
  beforeAll(() => { now = Math.floor(Date.now() / 1000); });

  it('accepts what the server signs, as a string or raw bytes', async () => {
    const header = await signPayload(secret, body);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(secret, header, body)).toBe(true);
    expect(await verifyWebhookSignature(secret, header, new TextEncoder().encode(body))).toBe(true);
    expect(await verifyWebhookSignature(secret, header.toUpperCase().replace('T=', 't=').replace('V1=', 'v1='), body)).toBe(true); // hex case
    const at = await signPayload(secret, body, now);
    expect(await verifyWebhookSignature(secret, `t=${now},v1=${'0'.repeat(64)},${at.split(',')[1]}`, body, 300, now)).toBe(true); // one of several v1
  });

  it('rejects a changed body, a wrong secret, a stale timestamp and malformed headers', async () => {
    const header = await signPayload(secret, body, now - 301);
    expect(await verifyWebhookSignature(secret, header, body)).toBe(false); // outside the 300 s window
    expect(await verifyWebhookSignature(secret, header, body, Infinity)).toBe(true);
    expect(await verifyWebhookSignature(secret, header, body, 600)).toBe(true);
    const fresh = await signPayload(secret, body);
    expect(await verifyWebhookSignature(secret, fresh, body + ' ')).toBe(false);
    expect(await verifyWebhookSignature('other', fresh, body)).toBe(false);
    expect(await verifyWebhookSignature(secret, await signPayload(secret, body, now + 400), body)).toBe(false); // from the future
    for (const bad of [null, undefined, '', 'garbage', `t=${now}`, fresh.split(',')[1], `t=abc,${fresh.split(',')[1]}`]) {
      expect(await verifyWebhookSignature(secret, bad, body), String(bad)).toBe(false);
    }
  });
});

describe('retries (stub server on 127.0.0.1)', () => {
  it('retries a 429 after Retry-After, then succeeds', async () => {
    const stub = await startStub((_, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: problem(429, 'rate-limited') } : { status: 200, body: { status: 'ok', service: 'seamline', version: 'stub' } },
    );
    try {
      const sdk = new Seamline({ baseUrl: stub.url, retries: 3, backoffMs: 10 });
      expect(await sdk.health()).toMatchObject({ version: 'stub' });
      expect(stub.calls).toHaveLength(2);
      expect(stub.calls[1].at - stub.calls[0].at).toBeGreaterThanOrEqual(950);
    } finally {
      await stub.close();
    }
  });

  it('gives up after retries + 1 attempts and throws the last problem', async () => {
    const stub = await startStub(() => ({ status: 429, headers: { 'retry-after': '0' }, body: problem(429, 'rate-limited', 'slow down') }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, retries: 2, backoffMs: 1 });
      const e = (await sdk.health().catch((x: unknown) => x)) as SeamlineError;
      expect(e).toBeInstanceOf(SeamlineError);
      expect(e).toMatchObject({ status: 429, detail: 'slow down', attempts: 3 });
      expect(stub.calls).toHaveLength(3);
    } finally {
      await stub.close();
    }
  });

  it('never retries a 400; retries 5xx on idempotent routes; sends the Bearer key', async () => {
    let answer = 400;
    const stub = await startStub((_, i) => (answer === 400 ? { status: 400, body: problem(400, 'invalid-request') } : i < 3 ? { status: 502, body: 'bad gateway' } : { status: 200, body: { width: 1, height: 1, faces: [] } }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, retries: 4, backoffMs: 1, apiKey: 'k123' });
      await expect(sdk.faces(fixture('face-1.jpg'))).rejects.toMatchObject({ status: 400, code: 'invalid-request', attempts: 1 });
      expect(stub.calls).toHaveLength(1);
      expect(stub.calls[0].headers.authorization).toBe('Bearer k123');
      expect(stub.calls[0].headers['content-type']).toBe('image/jpeg');
      answer = 502;
      expect(await sdk.faces(fixture('face-1.jpg'))).toEqual({ width: 1, height: 1, faces: [] });
      expect(stub.calls).toHaveLength(4); // 1 (the 400) + two 502s + the 200
      expect(stub.calls[3].body.length).toBe(fixture('face-1.jpg').length); // the body is resent whole
    } finally {
      await stub.close();
    }
  });

  it('jobs.create() sends one Idempotency-Key for all its attempts, so a 502 is retried; a caller key is used as given', async () => {
    const created = { id: 'j', state: 'queued', statusUrl: 'http://x/v1/jobs/j' };
    const stub = await startStub((_, i) => (i < 2 ? { status: 502, body: 'bad gateway' } : { status: 202, body: created }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, retries: 3, backoffMs: 1 });
      expect(await sdk.jobs.create({ task: 'scan', videoUrl: 'https://cdn.example/v.mp4' })).toEqual(created);
      const keys = stub.calls.map((c) => c.headers['idempotency-key']);
      expect(keys).toHaveLength(3);
      expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(keys).size).toBe(1);
      await sdk.jobs.create({ task: 'scan', videoUrl: 'https://cdn.example/v.mp4', idempotencyKey: 'upload-2026-0001' });
      expect(stub.calls.at(-1)!.headers['idempotency-key']).toBe('upload-2026-0001');
    } finally {
      await stub.close();
    }
  });

  it('retries network errors, then reports status 0', async () => {
    const stub = await startStub(() => ({ status: 200 }));
    await stub.close(); // nothing listens on that port any more
    const sdk = new Seamline({ baseUrl: stub.url, retries: 2, backoffMs: 1 });
    await expect(sdk.health()).rejects.toMatchObject({ name: 'SeamlineError', status: 0, type: 'network-error', attempts: 3 });
  });

  it('stops at once when the caller aborts, even while waiting to retry', async () => {
    const stub = await startStub(() => ({ status: 503, headers: { 'retry-after': '30' }, body: problem(503, 'busy') }));
    try {
      const sdk = new Seamline({ baseUrl: stub.url, retries: 5 });
      const t0 = Date.now();
      await expect(sdk.health({ signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(stub.calls).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
