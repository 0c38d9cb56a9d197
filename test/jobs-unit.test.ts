/**
 * Unit tests for the edge side of video jobs that need no worker: SSRF address checks, container
 * magic, webhook signatures, the job state machine and the queue consumer's idempotency.
 */
import { describe, expect, it } from 'vitest';
import { jobConfig, retryDelaySeconds } from '../src/jobs/config.js';
import { sniffContainer } from '../src/jobs/container.js';
import type { WorkRequest, WorkResult } from '../src/jobs/contract.js';
import { handleMessage, type ConsumerDeps, type CoordinatorApi, type MessageLike } from '../src/jobs/consumer.js';
import { JobMachine, type NewJob } from '../src/jobs/machine.js';
import { FetchFailedError, FetchTooLargeError, UnsafeUrlError, blockedHostReason, checkUrl, safeFetch } from '../src/lib/safe-fetch.js';
import { signPayload, verifySignature } from '../src/jobs/signature.js';
import type { JobRecord } from '../src/jobs/state.js';

describe('SSRF checks (checkUrl)', () => {
  const blocked = [
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/',
    'https://10.255.255.255/x',
    'https://127.0.0.1/',
    'https://127.1.2.3:8443/',
    'https://2130706433/', // 127.0.0.1 as an integer
    'https://0x7f.1/', // 127.0.0.1 in hex
    'https://172.16.5.4/',
    'https://192.168.1.1/',
    'https://100.64.0.1/', // CGNAT
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[::]/',
    'https://[fd00::1]/', // ULA
    'https://[fc12:3456::1]/',
    'https://[fe80::1]/', // link-local
    'https://[::ffff:127.0.0.1]/', // IPv4-mapped loopback
    'https://[::ffff:169.254.169.254]/',
    'https://[64:ff9b::10.0.0.1]/', // NAT64 of a private address
    'https://[ff02::1]/',
    'https://localhost/',
    'https://LOCALHOST./',
    'https://api.localhost/',
    'https://printer.local/',
    'https://metadata.google.internal/',
    'https://intranet/',
    'http://example.com/video.mp4', // not https
    'ftp://example.com/video.mp4',
    'file:///etc/passwd',
    'https://user:pass@example.com/video.mp4', // credentials
    'https://user@example.com/video.mp4',
    'not a url',
  ];
  it.each(blocked)('rejects %s', (url) => {
    expect(() => checkUrl(url)).toThrow(UnsafeUrlError);
  });

  const allowed = ['https://example.com/clip.mp4', 'https://8.8.8.8/x', 'https://[2606:4700:4700::1111]/x', 'https://cdn.example.co.uk:8443/a?b=c', 'https://172.32.0.1/'];
  it.each(allowed)('accepts %s', (url) => {
    expect(checkUrl(url).protocol).toBe('https:');
  });

  it('names the range it refuses', () => {
    expect(blockedHostReason('169.254.169.254')).toMatch(/link-local/);
    expect(blockedHostReason('100.127.255.255')).toMatch(/CGNAT/);
    expect(blockedHostReason('100.128.0.0')).toBeNull();
    expect(blockedHostReason('[fd12::1]')).toMatch(/ULA/);
  });

  it('the test-only escape hatch allows http and loopback, nothing else', () => {
    expect(checkUrl('http://127.0.0.1:9999/v', { allowInsecure: true }).host).toBe('127.0.0.1:9999');
    expect(() => checkUrl('file:///etc/passwd', { allowInsecure: true })).toThrow(UnsafeUrlError);
  });
});

describe('safeFetch', () => {
  const respond = (map: Record<string, () => Response>): typeof fetch =>
    (async (input: RequestInfo | URL, init?: RequestInit) => {
      expect(init?.redirect).toBe('manual');
      const url = String(input);
      const handler = map[url];
      if (!handler) throw new Error(`unexpected fetch ${url}`);
      return handler();
    }) as typeof fetch;

  it('follows redirects by hand and re-checks each Location', async () => {
    const fetchImpl = respond({
      'https://a.example/v': () => new Response(null, { status: 302, headers: { location: 'https://b.example/v' } }),
      'https://b.example/v': () => new Response(null, { status: 301, headers: { location: 'http://169.254.169.254/latest' } }),
    });
    await expect(safeFetch('https://a.example/v', { maxBytes: 100, fetchImpl })).rejects.toThrow(UnsafeUrlError);
  });

  it('stops after 3 redirects', async () => {
    const fetchImpl = respond(Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`https://r.example/${i}`, () => new Response(null, { status: 302, headers: { location: `/${i + 1}` } })])));
    await expect(safeFetch('https://r.example/0', { maxBytes: 100, fetchImpl })).rejects.toThrow(/more than 3 redirects/);
    const ok = respond({
      'https://r.example/0': () => new Response(null, { status: 302, headers: { location: '/1' } }),
      'https://r.example/1': () => new Response('hello'),
    });
    expect(new TextDecoder().decode((await safeFetch('https://r.example/0', { maxBytes: 100, fetchImpl: ok })).bytes)).toBe('hello');
  });

  it('enforces the size limit while streaming, even without Content-Length', async () => {
    const stream = () =>
      new Response(new ReadableStream({ start(c) { for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(50)); c.close(); } }));
    await expect(safeFetch('https://s.example/v', { maxBytes: 300, fetchImpl: respond({ 'https://s.example/v': stream }) })).rejects.toThrow(FetchTooLargeError);
    const declared = () => new Response('x'.repeat(10), { headers: { 'content-length': '999999' } });
    await expect(safeFetch('https://s.example/d', { maxBytes: 300, fetchImpl: respond({ 'https://s.example/d': declared }) })).rejects.toThrow(FetchTooLargeError);
  });

  it('reports HTTP errors and timeouts as FetchFailedError', async () => {
    await expect(safeFetch('https://e.example/v', { maxBytes: 10, fetchImpl: respond({ 'https://e.example/v': () => new Response('no', { status: 404 }) }) })).rejects.toThrow(FetchFailedError);
    const hang = (async (_u: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    await expect(safeFetch('https://h.example/v', { maxBytes: 10, timeoutMs: 50, fetchImpl: hang })).rejects.toThrow(/timed out/);
  });
});

describe('video container magic', () => {
  const bytes = (...parts: (string | number[])[]) =>
    new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((ch) => ch.charCodeAt(0)) : p)));
  it('recognises MP4, MOV, MKV, WebM and AVI', () => {
    expect(sniffContainer(bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0]))?.format).toBe('mp4');
    expect(sniffContainer(bytes([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0]))?.format).toBe('mov');
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], 'matroska'))?.format).toBe('mkv');
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'))?.contentType).toBe('video/webm');
    expect(sniffContainer(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))?.format).toBe('avi');
  });
  it('refuses images and other files', () => {
    expect(sniffContainer(bytes([0, 0, 0, 0x1c], 'ftypavif', [0, 0, 0, 0]))).toBeNull();
    expect(sniffContainer(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBeNull();
    expect(sniffContainer(bytes([0x89], 'PNG\r\n\x1a\n'))).toBeNull();
    expect(sniffContainer(bytes('hello world!'))).toBeNull();
    expect(sniffContainer(new Uint8Array(0))).toBeNull();
  });
});

describe('webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 and verifies within the tolerance', async () => {
    const header = await signPayload('s3cret', '{"a":1}', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    // Independent check of the scheme with node:crypto.
    const { createHmac } = await import('node:crypto');
    expect(header.split('v1=')[1]).toBe(createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex'));
    expect(await verifySignature('s3cret', header, '{"a":1}', 300, 1_700_000_100)).toBe(true);
    expect(await verifySignature('s3cret', header, '{"a":2}', 300, 1_700_000_100)).toBe(false);
    expect(await verifySignature('other', header, '{"a":1}', 300, 1_700_000_100)).toBe(false);
    expect(await verifySignature('s3cret', header, '{"a":1}', 300, 1_700_001_000)).toBe(false); // too old
    expect(await verifySignature('s3cret', null, '{"a":1}')).toBe(false);
    expect(await verifySignature('s3cret', 'v1=abc', '{"a":1}')).toBe(false);
  });
});

// ---- state machine and consumer, on in-memory storage ----

const JOB_ID = '00000000-0000-4000-8000-000000000001';
const newJob = (over: Partial<NewJob> = {}): NewJob => ({
  id: JOB_ID,
  task: 'scan-video',
  baseUrl: 'https://edge.example',
  sourceFace: 0,
  input: { bytes: 100, format: 'mp4', contentType: 'video/mp4', hasSource: false },
  limits: { maxVideoSeconds: 60, maxVideoPixels: 1920 * 1080 },
  ...over,
});
const memoryMachine = (clock = { t: 1_000_000 }) => {
  let stored: JobRecord | undefined;
  const machine = new JobMachine({ get: async () => (stored ? structuredClone(stored) : undefined), put: async (j) => { stored = structuredClone(j); } }, () => clock.t);
  return { machine, clock, peek: () => stored! };
};
const probeReq: WorkRequest = { step: 'probe', jobId: JOB_ID, task: 'scan-video' };
const probe = (frames = 12, chunks: [number, number][] = [[0, 4], [4, 8], [8, 12]]): Extract<WorkResult, { step: 'probe' }> => ({
  step: 'probe', frames, fps: 10, width: 64, height: 48, durationSeconds: frames / 10, hasAudio: false, chunks,
});
const chunkReq = (index: number, start: number, end: number): WorkRequest => ({ step: 'chunk', jobId: JOB_ID, task: 'scan-video', chunk: { index, startFrame: start, endFrame: end }, sourceFace: 0 });
const chunkRes = (index: number, frames = 4, seconds = 2): WorkResult => ({ step: 'chunk', index, framesDone: frames, artifact: `chunk-${index}.json`, seconds });

describe('JobMachine', () => {
  it('walks queued → running → succeeded with monotone progress and an ETA from chunk timings', async () => {
    const { machine, clock } = memoryMachine();
    await machine.create(newJob());
    expect((await machine.status())!.state).toBe('queued');
    expect(await machine.begin(probeReq, 1)).toMatchObject({ action: 'run' });
    expect((await machine.status())!.state).toBe('running');
    const p = await machine.recordResult(probeReq, probe());
    expect(p.next.map((m) => m.step === 'chunk' && m.chunk)).toEqual([{ index: 0, startFrame: 0, endFrame: 4 }, { index: 1, startFrame: 4, endFrame: 8 }, { index: 2, startFrame: 8, endFrame: 12 }]);
    const percents: number[] = [(await machine.status())!.progress.percent];
    clock.t += 2000;
    await machine.recordResult(p.next[0], chunkRes(0));
    const after1 = (await machine.status())!.progress;
    expect(after1).toMatchObject({ framesDone: 4, framesTotal: 12, chunksDone: 1, chunksTotal: 3 });
    expect(after1.etaSeconds).toBe(4); // 8 frames × 0.5 s/frame, serial
    percents.push(after1.percent);
    clock.t += 2000;
    expect((await machine.recordResult(p.next[1], chunkRes(1))).next).toEqual([]);
    percents.push((await machine.status())!.progress.percent);
    clock.t += 2000;
    const last = await machine.recordResult(p.next[2], chunkRes(2));
    expect(last.next).toEqual([{ step: 'assemble', jobId: JOB_ID, task: 'scan-video', chunks: 3 }]);
    percents.push((await machine.status())!.progress.percent);
    await machine.recordResult(last.next[0], { step: 'assemble', artifact: 'result.json', contentType: 'application/json', summary: { fake: 0 } });
    const done = (await machine.status())!;
    percents.push(done.progress.percent);
    expect(done).toMatchObject({ state: 'succeeded', result: { url: `https://edge.example/v1/jobs/${JOB_ID}/result`, contentType: 'application/json', summary: { fake: 0 } } });
    expect(done.progress.etaSeconds).toBe(0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents[0]).toBe(5);
    expect(percents.at(-1)).toBe(100);
  });

  it('a duplicate chunk result changes nothing and never enqueues assemble twice', async () => {
    const { machine, peek } = memoryMachine();
    await machine.create(newJob());
    const p = await machine.recordResult(probeReq, probe(8, [[0, 4], [4, 8]]));
    await machine.recordResult(p.next[0], chunkRes(0, 4, 1));
    const first = await machine.recordResult(p.next[1], chunkRes(1, 4, 1));
    expect(first.next).toHaveLength(1);
    const snapshot = JSON.stringify(peek());
    const again = await machine.recordResult(p.next[1], chunkRes(1, 4, 99)); // a different timing: still ignored
    expect(again.duplicate).toBe(true);
    await machine.confirm('chunk:1');
    const third = await machine.recordResult(p.next[1], chunkRes(1, 4, 99));
    expect(third).toEqual({ next: [], duplicate: true, finished: false });
    expect(peek().chunks['1'].seconds).toBe(1);
    expect(JSON.parse(snapshot).chunks).toEqual(peek().chunks);
    expect(await machine.begin(p.next[1], 2)).toEqual({ action: 'skip', reason: 'chunk:1 already recorded', resend: [] });
  });

  it('fails on limits after the probe, on a WorkFailure, and after too many attempts; queues a webhook', async () => {
    const a = memoryMachine();
    await a.machine.create(newJob({ callbackUrl: 'https://hooks.example/x' }));
    expect((await a.machine.recordResult(probeReq, { ...probe(), durationSeconds: 61 })).next).toEqual([]);
    expect((await a.machine.status())!).toMatchObject({ state: 'failed', error: { status: 413, type: 'https://seamline.dev/problems/video-too-long' } });
    expect(a.peek().webhook).toMatchObject({ status: 'pending', event: 'job.failed', url: 'https://hooks.example/x' });
    expect(JSON.parse(a.peek().webhook!.body)).toMatchObject({ type: 'job.failed', job: { id: JOB_ID, state: 'failed' } });

    const b = memoryMachine();
    await b.machine.create(newJob());
    expect((await b.machine.recordResult(probeReq, { ...probe(), width: 3840, height: 2160 })).next).toEqual([]);
    expect((await b.machine.status())!.error).toMatchObject({ status: 413, type: 'https://seamline.dev/problems/video-too-many-pixels' });

    const c = memoryMachine();
    await c.machine.create(newJob());
    expect(await c.machine.failWork(probeReq, { error: 'corrupt-video', detail: 'moov atom not found' })).toBe(true);
    expect((await c.machine.status())!.error).toMatchObject({ status: 422, type: 'https://seamline.dev/problems/corrupt-video', detail: 'moov atom not found' });
    expect(await c.machine.begin(probeReq, 1)).toMatchObject({ action: 'skip' });

    const d = memoryMachine();
    await d.machine.create(newJob());
    expect(await d.machine.attemptFailed(probeReq, 2, 'ECONNREFUSED', 3)).toEqual({ giveUp: false, finished: false });
    expect((await d.machine.status())!.state).toBe('queued');
    expect(await d.machine.attemptFailed(probeReq, 3, 'ECONNREFUSED', 3)).toEqual({ giveUp: true, finished: true });
    expect((await d.machine.status())!.error).toMatchObject({ status: 503, type: 'https://seamline.dev/problems/origin-unavailable' });
  });

  it('stall watchdog: re-sends exactly the missing steps once a job has not moved for stallMs, never for a final job', async () => {
    const { machine, clock, peek } = memoryMachine();
    await machine.create(newJob());
    const t0 = clock.t;
    expect(await machine.resendIfStalled(10_000)).toEqual({ resend: [], nextCheckAt: t0 + 10_000 });
    clock.t += 10_000; // the probe message was lost
    expect(await machine.resendIfStalled(10_000)).toEqual({ resend: [probeReq], nextCheckAt: clock.t + 10_000 });
    const p = await machine.recordResult(probeReq, probe());
    clock.t += 2000;
    await machine.recordResult(p.next[1], chunkRes(1));
    expect((await machine.resendIfStalled(10_000)).resend).toEqual([]); // it moves: nothing re-sent
    clock.t += 10_000;
    expect((await machine.resendIfStalled(10_000)).resend).toEqual([p.next[0], p.next[2]]);
    expect(peek().stallResends).toBe(2);
    await machine.recordResult(p.next[0], chunkRes(0));
    await machine.recordResult(p.next[2], chunkRes(2));
    clock.t += 10_000;
    expect((await machine.resendIfStalled(10_000)).resend).toEqual([{ step: 'assemble', jobId: JOB_ID, task: 'scan-video', chunks: 3 }]);
    await machine.recordResult({ step: 'assemble', jobId: JOB_ID, task: 'scan-video', chunks: 3 }, { step: 'assemble', artifact: 'r.json', contentType: 'application/json' });
    clock.t += 60_000;
    expect(await machine.resendIfStalled(10_000)).toEqual({ resend: [], nextCheckAt: null });
  });

  it('refuses results that do not fit the request', async () => {
    const { machine } = memoryMachine();
    await machine.create(newJob());
    await expect(machine.recordResult(probeReq, chunkRes(0))).rejects.toThrow(/chunk result to a probe request/);
    const p = await machine.recordResult(probeReq, probe());
    await expect(machine.recordResult(p.next[0], chunkRes(1))).rejects.toThrow(/chunk 1 to a request for chunk 0/);
    await expect(machine.recordResult(chunkReq(7, 0, 4), chunkRes(7))).rejects.toThrow(/not one of the probed/);
  });
});

describe('queue consumer (handleMessage) with a fake origin', () => {
  type Sent = WorkRequest[];
  const setup = (originAnswer: (req: WorkRequest) => Response | Promise<Response>) => {
    const { machine } = memoryMachine();
    const sent: Sent = [];
    const originCalls: WorkRequest[] = [];
    const coordinator: CoordinatorApi = {
      begin: (req, attempts) => machine.begin(req, attempts),
      record: (req, result) => machine.recordResult(req, result),
      confirm: (key) => machine.confirm(key),
      fail: async (req, failure) => { await machine.failWork(req, failure); },
      attemptFailed: (req, attempts, reason) => machine.attemptFailed(req, attempts, reason, 4),
    };
    const deps: ConsumerDeps = {
      config: { ...jobConfig({}), retryBaseSeconds: 1, retryMaxSeconds: 8 },
      originToken: 'tok',
      coordinator: () => coordinator,
      send: async (messages) => { sent.push(...messages); },
      fetchImpl: (async (url: RequestInfo | URL, init?: RequestInit) => {
        expect(String(url)).toBe('http://127.0.0.1:8788/work');
        expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok');
        expect(new Headers(init?.headers).get('seamline-edge-url')).toBe('https://edge.example');
        const req = JSON.parse(String(init?.body)) as WorkRequest;
        originCalls.push(req);
        return originAnswer(req);
      }) as typeof fetch,
    };
    const message = (body: unknown, attempts = 1) => {
      const m = { id: 'm', body, attempts, acked: 0, retried: [] as (number | undefined)[] } as MessageLike & { acked: number; retried: (number | undefined)[] };
      m.ack = () => { m.acked++; };
      m.retry = (o) => { m.retried.push(o?.delaySeconds); };
      return m;
    };
    return { machine, sent, originCalls, deps, message };
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const answer = (req: WorkRequest) =>
    json(req.step === 'probe' ? probe(8, [[0, 4], [4, 8]]) : req.step === 'chunk' ? chunkRes(req.chunk.index) : { step: 'assemble', artifact: 'result.json', contentType: 'application/json' });

  it('delivering the same chunk message twice records it once and enqueues assemble once', async () => {
    const t = setup(answer);
    await t.machine.create(newJob());
    expect(await handleMessage(t.message(probeReq), t.deps)).toBe('done');
    expect(t.sent).toHaveLength(2);
    const [c0, c1] = t.sent.splice(0);
    expect(await handleMessage(t.message(c0), t.deps)).toBe('done');
    const m1 = t.message(c1);
    expect(await handleMessage(m1, t.deps)).toBe('done');
    const dup = t.message(c1);
    expect(await handleMessage(dup, t.deps)).toBe('skipped');
    expect(m1.acked).toBe(1);
    expect(dup.acked).toBe(1);
    expect(t.sent.map((m) => m.step)).toEqual(['assemble']);
    expect(t.originCalls.filter((r) => r.step === 'chunk' && r.chunk.index === 1)).toHaveLength(1);
    expect((await t.machine.status())!.progress.chunksDone).toBe(2);
  });

  it('a redelivered message whose follow-ups were not confirmed re-sends them (nothing is lost)', async () => {
    const t = setup(answer);
    await t.machine.create(newJob());
    let failSend = true;
    const send = t.deps.send;
    t.deps.send = async (m) => { if (failSend) { failSend = false; throw new Error('queue unavailable'); } return send(m); };
    const first = t.message(probeReq, 1);
    expect(await handleMessage(first, t.deps)).toBe('retry');
    expect(first.acked).toBe(0);
    expect(t.sent).toHaveLength(0);
    const second = t.message(probeReq, 2);
    expect(await handleMessage(second, t.deps)).toBe('skipped'); // probe is recorded: no second origin call …
    expect(t.originCalls.filter((r) => r.step === 'probe')).toHaveLength(1);
    expect(t.sent.map((m) => m.step)).toEqual(['chunk', 'chunk']); // … but its chunks are enqueued
    expect(await handleMessage(t.message(probeReq, 3), t.deps)).toBe('skipped');
    expect(t.sent).toHaveLength(2); // confirmed: not re-sent again
  });

  it('retries 5xx, network errors and invalid results with backoff, acks 422 as a failed job', async () => {
    let mode: '500' | 'throw' | 'garbage' | '422' = '500';
    const t = setup(() => {
      if (mode === 'throw') throw new TypeError('fetch failed');
      if (mode === 'garbage') return json({ step: 'probe', frames: 'many' });
      if (mode === '422') return json({ error: 'corrupt-video', detail: 'no video stream' }, 422);
      return new Response('boom', { status: 500 });
    });
    await t.machine.create(newJob());
    const delays: (number | undefined)[] = [];
    for (const [i, m] of (['500', 'throw', 'garbage'] as const).entries()) {
      mode = m;
      const msg = t.message(probeReq, i + 1);
      expect(await handleMessage(msg, t.deps)).toBe('retry');
      expect(msg.acked).toBe(0);
      delays.push(...msg.retried);
    }
    expect(delays).toEqual([1, 2, 4]);
    expect((await t.machine.status())!.state).toBe('running');
    mode = '422';
    const last = t.message(probeReq, 4);
    expect(await handleMessage(last, t.deps)).toBe('failed');
    expect(last.acked).toBe(1);
    expect((await t.machine.status())!).toMatchObject({ state: 'failed', error: { status: 422, detail: 'no video stream' } });
  });

  it('gives up after the attempt limit and acks; drops malformed messages', async () => {
    const t = setup(() => new Response('down', { status: 503 }));
    await t.machine.create(newJob());
    const m = t.message(probeReq, 4);
    expect(await handleMessage(m, t.deps)).toBe('failed');
    expect(m.acked).toBe(1);
    expect((await t.machine.status())!.error).toMatchObject({ type: 'https://seamline.dev/problems/origin-unavailable' });
    const bad = t.message({ hello: 'world' });
    expect(await handleMessage(bad, t.deps)).toBe('dropped');
    expect(bad.acked).toBe(1);
  });

  it('backoff doubles and is capped', () => {
    const cfg = { retryBaseSeconds: 2, retryMaxSeconds: 120 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelaySeconds(n, cfg))).toEqual([2, 4, 8, 16, 32, 64, 120, 120]);
  });
});
