/**
 * "Nothing lost", against the real system: the real worker in workerd (R2, Durable Object and Queue
 * through wrangler's startWorker) and the real origin as a child process (`node tools/run.mjs
 * origin/src/main.ts`, what `npm run origin` runs) doing real ffmpeg + face work on a clip made at test time.
 *
 * 1. swap-video: the origin is SIGKILLed (its whole process group, ffmpeg included) while a chunk is being
 *    encoded and at least one other chunk is recorded; the job stays `running`; a restarted origin finishes
 *    it; the result has every input frame exactly once, in order, at the input rate, with audio.
 * 2. scan-video: result.json covers every chunk exactly once; a signed webhook reaches a local receiver.
 * 3. a corrupt upload (an `ftyp` header and noise) fails with the origin's 422 problem, quickly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFrames } from '../origin/src/video/mux.js';
import { readHeader } from '../origin/src/video/probe.js';
import { nearestInputFrames } from '../origin/test/support/frame-match.js';
import { fixturePath, makeClip } from '../origin/test/support/make-video.js';
import { verifySignature } from '../src/jobs/signature.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

const ORIGIN_TOKEN = 'e2e-origin-token';
const API_KEY = 'e2e-api-key';
const WEBHOOK_SECRET = 'e2e-webhook-secret';
const CHUNK_FRAMES = 6;
const FRAMES = 30; // 3 s at 10 fps → 5 chunks
/** The stall watchdog's window in these tests. */
const STALL_SECONDS = 20;
const SIZE = { width: 320, height: 240 };
const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'seamline-e2e-'));
const workRoot = join(dir, 'origin-work');
const persist = join(dir, 'edge-state');
const clip = join(dir, 'clip.mp4');

type Status = {
  id: string; task: string; state: string;
  progress: { framesDone: number; framesTotal: number; chunksDone: number; chunksTotal: number; percent: number; etaSeconds: number | null };
  error?: { type: string; status: number; detail: string };
  result?: { url: string; contentType: string; summary?: Record<string, unknown> };
  webhook?: { status: string; attempts: unknown[] };
};
type Origin = { child: ChildProcess; output: () => string };

let worker: WorkerHandle | undefined;
let originPort = 0;
let origin: Origin | undefined;
const children: ChildProcess[] = [];
let receiver: Server | undefined;
const deliveries: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auth = { authorization: `Bearer ${API_KEY}` };

/** Kills a child's whole process group (it was spawned detached, so it leads one: vite-node, ffmpeg…). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
const killAll = () => { for (const c of children) killGroup(c); };
process.once('exit', killAll); // a last resort if afterAll never runs

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function startOrigin(): Promise<Origin> {
  const child = spawn(process.execPath, ['tools/run.mjs', 'origin/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env, PORT: String(originPort), HOST: '127.0.0.1', EDGE_URL: worker!.url, ORIGIN_TOKEN,
      ORIGIN_WORKDIR: workRoot, ORIGIN_CHUNK_FRAMES: String(CHUNK_FRAMES), SEAMLINE_DEVICE: 'cpu', SEAMLINE_THREADS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => { output += d; if (process.env.E2E_LOG) process.stdout.write(`[origin ${Date.now() % 100000}] ${d}`); });
  child.stderr!.on('data', (d) => { output += d; if (process.env.E2E_LOG) process.stdout.write(`[origin ${Date.now() % 100000}] ${d}`); });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`origin exited ${child.exitCode}: ${output}`);
    if (await fetch(`http://127.0.0.1:${originPort}/health`).then((r) => r.ok, () => false)) return { child, output: () => output };
    await sleep(150);
  }
  throw new Error(`origin did not come up: ${output}`);
}

async function status(id: string): Promise<Status> {
  const res = await worker!.fetch(`/v1/jobs/${id}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

/** Polls until the job is final (or throws after `timeoutMs`); returns every status seen. */
async function poll(id: string, timeoutMs: number, seen: Status[] = []): Promise<Status[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(id);
    seen.push(s);
    if (s.state === 'succeeded' || s.state === 'failed') return seen;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${s.state} after ${timeoutMs} ms: ${JSON.stringify(s)}\n${origin?.output().slice(-2000)}`);
    await sleep(150);
  }
}

function expectMonotone(seen: Status[]) {
  const order = ['queued', 'running', 'succeeded', 'failed'];
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i].progress.framesDone).toBeGreaterThanOrEqual(seen[i - 1].progress.framesDone);
    expect(seen[i].progress.chunksDone).toBeGreaterThanOrEqual(seen[i - 1].progress.chunksDone);
    expect(order.indexOf(seen[i].state)).toBeGreaterThanOrEqual(order.indexOf(seen[i - 1].state));
  }
}

async function createJob(fields: Record<string, string | Blob>): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await worker!.fetch('/v1/jobs', { method: 'POST', body: form, headers: auth });
  const body = (await res.json()) as { id: string; state: string };
  expect(res.status, JSON.stringify(body)).toBe(202);
  expect(body.state).toBe('queued');
  return body.id;
}

const internal = (id: string, rest: string) => worker!.fetch(`/internal/jobs/${id}/${rest}`, { headers: { authorization: `Bearer ${ORIGIN_TOKEN}` } });
const video = () => new Blob([readFileSync(clip)], { type: 'video/mp4' });


/**
 * The chunk the origin is encoding right now: an ffmpeg process of the origin whose output is this job's
 * scratch chunk file (`<workRoot>/<job>/<pid>-<n>-chunk-NNNN.mkv`). While it runs, the chunk's artifact
 * cannot be on the edge yet (it is uploaded after the encoder exits), so a kill then is a kill mid-chunk.
 */
function chunkBeingEncoded(jobId: string): number | null {
  const needle = join(workRoot, jobId) + '/';
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    const m = cmdline.includes(needle) ? /-chunk-(\d{4})\.mkv(?:\0|$)/.exec(cmdline) : null;
    if (m) return Number(m[1]);
  }
  return null;
}

/** Starts the origin unless one is running (a failed test may have left it killed). */
async function ensureOrigin() {
  if (!origin || origin.child.exitCode !== null || origin.child.signalCode !== null) origin = await startOrigin();
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => { body += d; }).on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', r));
  originPort = await freePort();
  const made = makeClip(clip, { seconds: FRAMES / 10, fps: 10, ...SIZE });
  worker = await startWorker(
    {
      ORIGIN_URL: `http://127.0.0.1:${originPort}`,
      ORIGIN_TOKEN,
      SEAMLINE_API_KEY: API_KEY,
      WEBHOOK_SECRET,
      ALLOW_INSECURE_FETCH_FOR_TESTS: '1', // the webhook receiver is on loopback
      ORIGIN_TIMEOUT_MS: '20000', // a step takes ~1-2 s here; a lost answer is retried after this
      JOB_RETRY_BASE_SECONDS: '1',
      JOB_RETRY_MAX_SECONDS: '1',
      JOB_MAX_ATTEMPTS: '40', // the origin is down for the 3 s check plus its restart: ~8 retries per message
      JOB_STALL_SECONDS: String(STALL_SECONDS), // a lost queue message is re-sent after this (the watchdog)
      WEBHOOK_BASE_DELAY_MS: '300',
    },
    { persist, logLevel: process.env.E2E_LOG ? 'log' : 'error' },
  );
  expect((await made).frames).toBe(FRAMES);
  origin = await startOrigin();
}, 120_000);

afterAll(async () => {
  killAll();
  await worker?.stop().catch(() => {});
  receiver?.closeAllConnections();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('video jobs end to end: real worker (workerd) + real origin (node + ffmpeg)', () => {
  it('swap-video survives a SIGKILLed origin: still running, resumed, every frame exactly once with audio', async () => {
    await ensureOrigin();
    const id = await createJob({ task: 'swap-video', video: video(), source: new Blob([readFileSync(fixturePath('face-4.jpg'))], { type: 'image/jpeg' }) });

    // Wait until one chunk is recorded and another is being encoded, then kill the origin's process group.
    const seen: Status[] = [];
    let killed: number | null = null;
    const deadline = Date.now() + 45_000;
    while (killed === null) {
      if (Date.now() > deadline) throw new Error(`never saw a chunk done and another in progress: ${JSON.stringify(seen.at(-1))}\n${origin!.output()}`);
      const s = await status(id);
      seen.push(s);
      expect(s.state, JSON.stringify(s)).not.toMatch(/succeeded|failed/);
      if (s.progress.chunksDone >= 1) {
        const busy = chunkBeingEncoded(id);
        if (busy !== null) {
          killGroup(origin!.child);
          killed = busy;
          break;
        }
      }
      await sleep(25);
    }
    expect(seen.at(-1)!.progress.chunksTotal).toBe(FRAMES / CHUNK_FRAMES);
    await new Promise((r) => (origin!.child.exitCode !== null || origin!.child.signalCode !== null ? r(null) : origin!.child.once('exit', r)));
    const name = `chunk-${String(killed).padStart(4, '0')}.mkv`;
    expect((await internal(id, `artifacts/${name}`)).status, `${name} was finished before the kill; nothing was killed mid-chunk`).toBe(404);

    // Origin down: the edge keeps retrying; the job must stay running, not fail.
    const downUntil = Date.now() + 3_000;
    while (Date.now() < downUntil) {
      const s = await status(id);
      seen.push(s);
      expect(s.state, JSON.stringify(s)).toBe('running');
      expect(s.error).toBeUndefined();
      await sleep(250);
    }

    origin = await startOrigin();
    await poll(id, 60_000, seen);
    const final = seen.at(-1)!;
    expect(final.state, JSON.stringify(final)).toBe('succeeded');
    expectMonotone(seen);
    expect(final.progress).toMatchObject({ framesDone: FRAMES, framesTotal: FRAMES, chunksDone: 5, chunksTotal: 5, percent: 100 });
    expect(final.result).toMatchObject({ contentType: 'video/mp4', summary: { frames: FRAMES, hasAudio: true } });
    expect((await internal(id, `artifacts/${name}`)).status).toBe(200); // redone after the restart

    const res = await worker!.fetch(`/v1/jobs/${id}/result`, { headers: auth });
    expect(res.status).toBe(200);
    const out = join(dir, 'result.mp4');
    writeFileSync(out, Buffer.from(await res.arrayBuffer()));
    expect(await countFrames(out)).toBe(FRAMES);
    const header = await readHeader(out);
    expect(header.fps).toBe(10);
    expect(header.hasAudio).toBe(true);
    expect([header.width, header.height]).toEqual([SIZE.width, SIZE.height]);
    // The clip zooms and drifts every frame, so a lost or duplicated frame would shift the best match.
    expect(await nearestInputFrames(clip, out, FRAMES, SIZE)).toEqual([...Array(FRAMES).keys()]);
  }, 120_000);

  it('scan-video: result.json covers every chunk exactly once; a signed webhook reaches the receiver', async () => {
    await ensureOrigin();
    deliveries.length = 0;
    const callbackUrl = `http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/hook`;
    const id = await createJob({ task: 'scan-video', video: video(), callbackUrl });
    const seen = await poll(id, 45_000);
    const final = seen.at(-1)!;
    expect(final.state, JSON.stringify(final)).toBe('succeeded');
    expectMonotone(seen);
    expect(final.progress).toMatchObject({ framesDone: FRAMES, framesTotal: FRAMES, chunksDone: 5, chunksTotal: 5 });

    const res = await worker!.fetch(`/v1/jobs/${id}/result`, { headers: auth });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { kind: string; video: { frames: number; samples: number; stride: number }; timeline: Array<{ frame: number; trackId: number }>; summary: { samples: number; samplesWithFaces: number } };
    expect(report.kind).toBe('scan-video');
    // stride round(fps/2) = 5 → samples at 0, 5, …, 25, spread over the 5 chunks; a chunk counted twice (or
    // lost) would add (or drop) samples.
    expect(report.video).toMatchObject({ frames: FRAMES, stride: 5, samples: 6 });
    expect(report.summary).toMatchObject({ samples: 6, samplesWithFaces: 6 });
    const byTrack = new Map<number, number[]>();
    for (const p of report.timeline) byTrack.set(p.trackId, [...(byTrack.get(p.trackId) ?? []), p.frame]);
    expect([...byTrack.values()].flat().sort((a, b) => a - b)).toEqual([0, 5, 10, 15, 20, 25]);
    for (let i = 0; i < 5; i++) {
      const chunk = (await (await internal(id, `artifacts/chunk-${String(i).padStart(4, '0')}.json`)).json()) as { index: number; startFrame: number; endFrame: number };
      expect(chunk).toMatchObject({ index: i, startFrame: i * CHUNK_FRAMES, endFrame: (i + 1) * CHUNK_FRAMES });
    }

    const deadline = Date.now() + 10_000;
    while (deliveries.length === 0 && Date.now() < deadline) await sleep(100);
    await sleep(500); // would catch a second delivery
    expect(deliveries).toHaveLength(1);
    const [d] = deliveries;
    expect(d.headers['seamline-event']).toBe('job.succeeded');
    expect(d.headers['seamline-delivery']).toBe(`${id}:job.succeeded`);
    expect(await verifySignature(WEBHOOK_SECRET, String(d.headers['seamline-signature']), d.body, 60)).toBe(true);
    expect(await verifySignature('not-the-secret', String(d.headers['seamline-signature']), d.body, 60)).toBe(false);
    expect(JSON.parse(d.body)).toMatchObject({ type: 'job.succeeded', job: { id, state: 'succeeded', progress: { chunksDone: 5 } } });
  }, 60_000);

  it('a 20 MB multipart upload streams into storage in 8 MiB parts, byte for byte', async () => {
    await ensureOrigin();
    const head = Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]);
    const bytes = Buffer.concat([head, randomBytes(20 * 1024 * 1024 + 12_345)]);
    const id = await createJob({ task: 'scan-video', video: new Blob([bytes], { type: 'video/mp4' }) });
    const stored = await internal(id, 'input');
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('video/mp4');
    const back = Buffer.from(await stored.arrayBuffer());
    expect(back.length).toBe(bytes.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Noise after the header: the origin's probe fails it, which also frees the origin for the next test.
    const final = (await poll(id, STALL_SECONDS * 1000 + 15_000)).at(-1)!;
    expect(final.state).toBe('failed');
  }, STALL_SECONDS * 1000 + 30_000);

  it('a corrupt video (ftyp header, then noise) fails with the origin problem (422), without hanging', async () => {
    await ensureOrigin();
    const head = Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2')]);
    const started = Date.now();
    const id = await createJob({ task: 'scan-video', video: new Blob([Buffer.concat([head, randomBytes(16_384)])], { type: 'video/mp4' }) });
    // Normally a second or two. Under a loaded full run the origin's 422 has (rarely) not reached the consumer and the
    // job sat in `running`: the stall watchdog (JOB_STALL_SECONDS = 20 here) then re-sends the probe. Both paths must
    // end in the origin's problem, within the watchdog's window.
    const final = (await poll(id, STALL_SECONDS * 1000 + 15_000)).at(-1)!;
    const ms = Date.now() - started;
    if (ms > 15_000) console.warn(`corrupt-video job took ${ms} ms: recovered by the stall watchdog`);
    expect(final).toMatchObject({ state: 'failed', error: { status: 422, type: 'https://seamline.dev/problems/corrupt-video' } });
    expect(final.error!.detail).toMatch(/\S/);
    expect(ms).toBeLessThan(STALL_SECONDS * 1000 + 15_000);
    expect((await worker!.fetch(`/v1/jobs/${id}/result`, { headers: auth })).status).toBe(404);
  }, STALL_SECONDS * 1000 + 30_000);
});
