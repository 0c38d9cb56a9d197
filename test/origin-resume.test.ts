/**
 * Kill and resume: the origin runs as a child process (`node tools/run.mjs origin/src/main.ts`, what
 * `npm run origin` runs), is SIGKILLed in the middle of a swap-video chunk (its chunk file is being
 * encoded), restarted, and the queue's redelivery is replayed: the unfinished chunk again, plus a
 * duplicate of a finished one. The assembled video must hold every input frame exactly once, in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFrames } from '../origin/src/video/mux.js';
import { startFakeEdge, type FakeEdge } from '../origin/test/support/fake-edge.js';
import { nearestInputFrames } from '../origin/test/support/frame-match.js';
import { fixturePath, makeClip } from '../origin/test/support/make-video.js';
import { postJson } from '../origin/test/support/work.js';

const TOKEN = 'resume-token';
const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'origin-resume-'));
const workRoot = join(dir, 'work');
const clip = join(dir, 'clip.mp4');
let edge: FakeEdge;
const children: ChildProcess[] = [];

async function startOrigin(port: number): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['tools/run.mjs', 'origin/src/main.ts', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, EDGE_URL: edge.url, ORIGIN_TOKEN: TOKEN, ORIGIN_WORKDIR: workRoot, ORIGIN_CHUNK_FRAMES: '15', SEAMLINE_DEVICE: 'cpu', SEAMLINE_THREADS: '1', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`origin exited ${child.exitCode}: ${output}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, url, output: () => output };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`origin did not come up: ${output}`);
}

const poster = (url: string) => (body: unknown) => fetch(`${url}/work`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  edge = await startFakeEdge(TOKEN);
  await makeClip(clip, { seconds: 3, fps: 10, width: 320, height: 240 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await edge?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('origin kill and resume', () => {
  it('SIGKILL mid-chunk, restart, redeliver: no frame lost or duplicated', async () => {
    const job = edge.addJob('resume-1', readFileSync(clip), readFileSync(fixturePath('face-4.jpg')));
    const first = await startOrigin(18790 + (process.pid % 500));
    const post1 = poster(first.url);
    const probe = await postJson<{ frames: number; chunks: Array<[number, number]> }>(post1, { step: 'probe', jobId: 'resume-1', task: 'swap-video' });
    expect(probe.frames).toBe(30);
    expect(probe.chunks).toEqual([[0, 15], [15, 30]]);
    const chunk = (index: number) => ({ step: 'chunk', jobId: 'resume-1', task: 'swap-video', chunk: { index, startFrame: probe.chunks[index][0], endFrame: probe.chunks[index][1] } });
    await postJson(post1, chunk(0));
    expect(job.artifacts.has('chunk-0000.mkv')).toBe(true);

    // chunk 1 starts; kill the origin once its chunk file is being written (frames encoded, not finished)
    const pending = post1(chunk(1)).then((r) => r.status, (e: Error) => e.message);
    const jobDir = join(workRoot, 'resume-1');
    const inProgress = () => (existsSync(jobDir) ? readdirSync(jobDir).filter((f) => f.endsWith('chunk-0001.mkv')) : []);
    const deadline = Date.now() + 60_000;
    while (!inProgress().some((f) => statSync(join(jobDir, f)).size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(inProgress().length, 'chunk 1 never started encoding').toBe(1);
    first.child.kill('SIGKILL');
    expect(await pending).toMatch(/fetch failed|other side closed|socket/i);
    expect(job.artifacts.has('chunk-0001.mkv'), 'chunk 1 finished before the kill; the test did not test a kill').toBe(false);

    // restart (a fresh process, same scratch folder) and redeliver as the queue would: chunk 1, and chunk 0 again
    const second = await startOrigin(19300 + (process.pid % 500));
    const post2 = poster(second.url);
    const r1 = await postJson<{ framesDone: number }>(post2, chunk(1));
    expect(r1.framesDone).toBe(15);
    await postJson(post2, chunk(0));
    expect(job.artifacts.get('chunk-0000.mkv')!.puts).toBe(2);
    expect(job.artifacts.get('chunk-0001.mkv')!.puts).toBe(1);
    const assembled = await postJson<{ artifact: string; summary: { frames: number } }>(post2, { step: 'assemble', jobId: 'resume-1', task: 'swap-video', chunks: 2 });
    expect(assembled.summary.frames).toBe(30);

    // per-chunk coverage and the whole result
    for (const [i, [a, b]] of probe.chunks.entries()) {
      const f = join(dir, `chunk-${i}.mkv`);
      writeFileSync(f, job.artifacts.get(`chunk-000${i}.mkv`)!.body);
      expect(await countFrames(f)).toBe(b - a);
    }
    const out = join(dir, 'result.mp4');
    writeFileSync(out, job.artifacts.get('result.mp4')!.body);
    expect(await countFrames(out)).toBe(30);
    // every output frame is closest to the input frame with the same index (frame-match.ts)
    const matches = await nearestInputFrames(clip, out, 30, { width: 320, height: 240 });
    expect(matches).toEqual(Array.from({ length: 30 }, (_, i) => i));
    second.child.kill('SIGTERM');
  }, 120_000);
});
