/**
 * The origin end to end against a fake edge (node:http), in process: probe figures, exact chunk
 * decoding, auth, corrupt/truncated/over-limit input → 422 fast, scan-video and swap-video jobs driven
 * through POST /work the way the edge's queue consumer drives them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backends/ort.js';
import { createNodeBackend } from '../src/backends/ort-node.js';
import { decodeImage } from '../src/image/index.js';
import { findFaces } from '../src/pipeline/faces.js';
import { getSwapper } from '../src/processors/swapper/index.js';
import type { Swapper } from '../src/processors/swapper/types.js';
import { XRAY } from '../src/models.js';
import { WorkFailure, WorkResult } from '../src/jobs/contract.js';
import { createOriginApp } from '../origin/src/server.js';
import { decodeRange } from '../origin/src/video/decode.js';
import { readHeader } from '../origin/src/video/probe.js';
import { swapChunk } from '../origin/src/video/swap-video.js';
import { countFrames } from '../origin/src/video/mux.js';
import { DEFAULT_LIMITS } from '../origin/src/video/limits.js';
import type { ScanVideoResult } from '../origin/src/video/scan-result.js';
import { startFakeEdge, type FakeEdge } from '../origin/test/support/fake-edge.js';
import { fixturePath, makeClip } from '../origin/test/support/make-video.js';
import { runJob, type Post } from '../origin/test/support/work.js';

const TOKEN = 'test-origin-token';
const dir = mkdtempSync(join(tmpdir(), 'origin-video-'));
const clip = join(dir, 'clip.mp4');
let edge: FakeEdge;
let post: Post;
let postLimited: Post;
const backend = { backend: { name: 'ort-node-cpu' }, device: 'cpu' as const, threads: 1, note: 'test' };

beforeAll(async () => {
  setBackend(createNodeBackend({ threads: 1 }));
  await makeClip(clip, { seconds: 3, fps: 10, width: 320, height: 240 });
  edge = await startFakeEdge(TOKEN);
  const swapper = getSwapper('classical');
  const make = (limits = DEFAULT_LIMITS) => {
    const app = createOriginApp({ edgeUrl: edge.url, token: TOKEN, backend, workRoot: join(dir, 'work'), swapper, framesPerChunk: 12, limits, log: () => undefined });
    return (body: unknown, token = TOKEN) => app.request('/work', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };
  post = make();
  postLimited = make({ ...DEFAULT_LIMITS, maxDurationSeconds: 2 });
});
afterAll(async () => {
  await edge?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('probe and decode', () => {
  it('probe reports the clip figures and a tiling chunk plan', async () => {
    edge.addJob('probe-1', readFileSync(clip));
    const res = await post({ step: 'probe', jobId: 'probe-1', task: 'scan-video' });
    expect(res.status).toBe(200);
    const body = WorkResult.parse(await res.json());
    expect(body).toEqual({ step: 'probe', frames: 30, fps: 10, width: 320, height: 240, durationSeconds: 3, hasAudio: true, chunks: [[0, 12], [12, 24], [24, 30]] });
  });

  it('a chunk decode gives exactly its frames, the same pixels as a whole-video decode', async () => {
    const size = { width: 320, height: 240 };
    const all: Uint8ClampedArray[] = [];
    for await (const f of decodeRange(clip, 0, 30, size)) all.push(f.image.data);
    expect(all).toHaveLength(30);
    const part: Array<{ index: number; data: Uint8ClampedArray }> = [];
    for await (const f of decodeRange(clip, 12, 24, size)) part.push({ index: f.index, data: f.image.data });
    expect(part.map((f) => f.index)).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i));
    for (const f of part) expect(Buffer.compare(Buffer.from(f.data), Buffer.from(all[f.index]))).toBe(0);
    // neighbouring frames differ (the clip moves), so the comparison above could fail on an off-by-one
    expect(Buffer.compare(Buffer.from(all[12]), Buffer.from(all[11]))).not.toBe(0);
    const sampled: number[] = [];
    for await (const f of decodeRange(clip, 7, 30, { ...size, stride: 5 })) sampled.push(f.index);
    expect(sampled).toEqual([10, 15, 20, 25]);
    const beyond = async () => { for await (const _ of decodeRange(clip, 25, 35, size)) void _; };
    await expect(beyond()).rejects.toMatchObject({ error: 'decode-mismatch' });
  });
});

describe('POST /work guards', () => {
  it('needs the bearer token (401) and a contract body (400)', async () => {
    expect((await post({ step: 'probe', jobId: 'x', task: 'scan-video' }, 'wrong')).status).toBe(401);
    const app = createOriginApp({ edgeUrl: edge.url, token: TOKEN, backend, workRoot: join(dir, 'work'), log: () => undefined });
    const noAuth = await app.request('/work', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noAuth.status).toBe(401);
    expect(WorkFailure.safeParse(await noAuth.json()).success).toBe(true);
    const bad = await post({ step: 'chunk', jobId: 'x', task: 'scan-video', chunk: { index: -1, startFrame: 0, endFrame: 1 } });
    expect(bad.status).toBe(400);
    const health = (await (await app.request('/health')).json()) as { ffmpeg: string };
    expect(health).toMatchObject({ status: 'ok', backend: 'cpu' });
    expect(health.ffmpeg).toMatch(/^ffmpeg version/);
  });

  const failsFast = async (jobId: string, bytes: Uint8Array, error: RegExp, via = post) => {
    edge.addJob(jobId, bytes);
    const t0 = performance.now();
    const res = await via({ step: 'probe', jobId, task: 'scan-video' });
    const seconds = (performance.now() - t0) / 1000;
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(WorkFailure.parse(body).error).toMatch(error);
    expect(seconds).toBeLessThan(10);
  };

  it('random bytes behind an mp4 ftyp header → 422 corrupt-video, quickly', async () => {
    const junk = new Uint8Array(64 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    junk.set([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmp42'), 0, 0, 0, 0, ...new TextEncoder().encode('mp42isom')]);
    await failsFast('junk', junk, /corrupt-video/);
  });

  it('a truncated real video → 422 (moov lost, and moov-first with the data cut)', async () => {
    const whole = readFileSync(clip);
    await failsFast('cut-1', whole.subarray(0, Math.floor(whole.length / 2)), /corrupt-video/);
    const fast = join(dir, 'faststart.mp4');
    await makeClip(fast, { seconds: 3, fps: 10, faststart: true });
    const bytes = readFileSync(fast);
    await failsFast('cut-2', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /truncated-video|corrupt-video/);
  });

  it('over the duration limit → 422 video-too-long before decoding', async () => {
    await failsFast('long', readFileSync(clip), /video-too-long/, postLimited);
  });
});

describe('jobs', () => {
  it('scan-video: chunk artifacts, result.json with a verdict per face track and a timeline', async () => {
    const job = edge.addJob('scan-1', readFileSync(clip));
    const { probe, chunks, assemble } = await runJob(post, 'scan-1', 'scan-video');
    expect(chunks.map((c) => [c.index, c.framesDone, c.artifact])).toEqual([[0, 12, 'chunk-0000.json'], [1, 12, 'chunk-0001.json'], [2, 6, 'chunk-0002.json']]);
    expect(assemble).toMatchObject({ step: 'assemble', artifact: 'result.json', contentType: 'application/json' });
    const result = JSON.parse(job.artifacts.get('result.json')!.body.toString()) as ScanVideoResult;
    expect(result.video).toEqual({ frames: probe.frames, fps: 10, durationSeconds: 3, samples: 6, stride: 5 });
    expect(result.timeline.map((p) => p.frame)).toEqual([0, 5, 10, 15, 20, 25]);
    // one face, one track across all three chunks
    expect(result.tracks).toHaveLength(1);
    const [track] = result.tracks;
    expect(track).toMatchObject({ trackId: 0, samples: 6, firstSeconds: 0, lastSeconds: 2.5 });
    expect(result.threshold).toBe(XRAY.calibration.threshold);
    expect(track.verdict).toBe(track.maxSmoothed >= result.threshold ? 'fake' : 'real');
    expect(result.verdict).toBe(track.verdict);
    // a real FairFace photo: the X-ray should not call it fake
    expect(track.verdict).toBe('real');
    expect(assemble.summary).toMatchObject({ verdict: 'real', tracks: 1, samples: 6, samplesWithFaces: 6 });
  });

  it('swap-video: result.mp4 keeps frame count, fps and audio; the output frames hold a swapped face', async () => {
    const job = edge.addJob('swap-1', readFileSync(clip), readFileSync(fixturePath('face-4.jpg')));
    const { probe, chunks, assemble } = await runJob(post, 'swap-1', 'swap-video');
    expect(chunks.map((c) => c.artifact)).toEqual(['chunk-0000.mkv', 'chunk-0001.mkv', 'chunk-0002.mkv']);
    expect(assemble).toMatchObject({ artifact: 'result.mp4', contentType: 'video/mp4', summary: { frames: 30, audio: 'copy' } });
    const out = join(dir, 'swap-result.mp4');
    writeFileSync(out, job.artifacts.get('result.mp4')!.body);
    const header = await readHeader(out);
    expect({ fps: header.fps, width: header.width, height: header.height, hasAudio: header.hasAudio, codec: header.videoCodec }).toEqual({ fps: 10, width: 320, height: 240, hasAudio: true, codec: 'h264' });
    expect(await countFrames(out)).toBe(probe.frames);
    // every chunk artifact is lossless FFV1 with exactly its frames
    for (const [i, [a, b]] of probe.chunks.entries()) {
      const mkv = join(dir, `c${i}.mkv`);
      writeFileSync(mkv, job.artifacts.get(`chunk-${String(i).padStart(4, '0')}.mkv`)!.body);
      expect(await countFrames(mkv)).toBe(b - a);
    }
    // faces in the output, and they changed: the face region differs from the input well beyond codec noise
    const size = { width: 320, height: 240 };
    const inFrames = new Map<number, Uint8ClampedArray>();
    for await (const f of decodeRange(clip, 0, 30, { ...size, stride: 14 })) inFrames.set(f.index, f.image.data);
    for await (const f of decodeRange(out, 0, 30, { ...size, stride: 14 })) {
      const { faces } = await findFaces(f.image);
      expect(faces.length, `frame ${f.index}`).toBeGreaterThanOrEqual(1);
      const b = faces[0].box;
      let diff = 0, n = 0;
      const before = inFrames.get(f.index)!;
      for (let y = Math.round(b.y + b.height * 0.3); y < b.y + b.height * 0.8; y++) for (let x = Math.round(b.x + b.width * 0.25); x < b.x + b.width * 0.75; x++) {
        const k = (y * 320 + x) * 4;
        diff += Math.abs(f.image.data[k] - before[k]) + Math.abs(f.image.data[k + 1] - before[k + 1]) + Math.abs(f.image.data[k + 2] - before[k + 2]);
        n += 3;
      }
      expect(diff / n, `frame ${f.index} face change`).toBeGreaterThan(6);
    }
    // and the unchanged background stays near the input (H.264 at crf 18)
    const corner = (d: Uint8ClampedArray) => d.subarray(0, 320 * 4 * 10);
    const last = new Map<number, Uint8ClampedArray>();
    for await (const f of decodeRange(out, 28, 29, size)) last.set(28, f.image.data);
    for await (const f of decodeRange(clip, 28, 29, size)) {
      const a = corner(f.image.data), b = corner(last.get(28)!);
      let d = 0;
      for (let k = 0; k < a.length; k++) d += Math.abs(a[k] - b[k]);
      expect(d / a.length).toBeLessThan(3);
    }
  });

  it('swap-video hands the swapper one mirroring decision per frame, made over the frames (hysteresis), not per call', async () => {
    const source = await decodeImage(readFileSync(fixturePath('face-4.jpg')));
    const sourceFace = (await findFaces(source)).faces[0];
    const hints: Array<boolean | undefined> = [];
    const recorder: Swapper = { name: 'recorder', swap: async (_s, _sf, target, _tf, h) => { hints.push(h?.mirrorSource); return target; } };
    const stats = await swapChunk({
      file: clip, header: await readHeader(clip), startFrame: 12, endFrame: 24, output: join(dir, 'hints.mkv'), swapper: recorder, source, sourceFace,
    });
    expect(stats.swapped).toBe(12);
    expect(hints.every((h) => typeof h === 'boolean')).toBe(true);
    expect(hints.filter((h, i) => i > 0 && h !== hints[i - 1]).length).toBeLessThanOrEqual(1); // one head, one pose: no flicker
  });

  it('swap-video without a source face → 422 no-source-face', async () => {
    edge.addJob('swap-noface', readFileSync(clip), readFileSync(fixturePath('tiny.gif')));
    const res = await post({ step: 'chunk', jobId: 'swap-noface', task: 'swap-video', chunk: { index: 0, startFrame: 0, endFrame: 12 } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/bad-source-image|no-source-face/);
  });
});
