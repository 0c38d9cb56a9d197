/** Origin units without ffmpeg or models: chunk plan, header parsing, tracker identity and smoothing, scan-result stitching. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/pipeline/random.js';
import type { Box } from '../src/pipeline/types.js';
import { planChunks } from '../origin/src/video/plan.js';
import { parseHeader, rationalRate } from '../origin/src/video/probe.js';
import { framesInRange } from '../origin/src/video/decode.js';
import { FaceTracker, iou } from '../origin/src/video/tracker.js';
import { buildScanResult } from '../origin/src/video/scan-result.js';
import type { ScanChunkArtifact } from '../origin/src/video/scan-video.js';
import { createGate, GateFullError } from '../src/lib/gate.js';

describe('chunk plan', () => {
  it('tiles [0, frames) with no gap or overlap and merges a short tail', () => {
    expect(planChunks(100, { framesPerChunk: 40 })).toEqual([[0, 40], [40, 80], [80, 100]]);
    expect(planChunks(85, { framesPerChunk: 40 })).toEqual([[0, 40], [40, 85]]);
    expect(planChunks(30, { framesPerChunk: 12, minLastChunk: 4 })).toEqual([[0, 12], [12, 24], [24, 30]]);
    expect(planChunks(5, { framesPerChunk: 48 })).toEqual([[0, 5]]);
    for (const frames of [1, 47, 48, 49, 250, 7201]) {
      const plan = planChunks(frames);
      expect(plan[0][0]).toBe(0);
      expect(plan[plan.length - 1][1]).toBe(frames);
      plan.slice(1).forEach(([start], i) => expect(start).toBe(plan[i][1]));
    }
    expect(() => planChunks(0)).toThrow(RangeError);
  });

  it('sampled frame indices are global (same samples whatever the chunking)', () => {
    expect(framesInRange(0, 10, 5)).toEqual([0, 5]);
    expect(framesInRange(7, 21, 5)).toEqual([10, 15, 20]);
    const whole = framesInRange(0, 100, 7);
    const split = planChunks(100, { framesPerChunk: 30 }).flatMap(([a, b]) => framesInRange(a, b, 7));
    expect(split).toEqual(whole);
  });
});

describe('ffmpeg header parsing', () => {
  const header = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':
  Duration: 00:01:02.50, start: 0.000000, bitrate: 206 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080 [SAR 1:1 DAR 16:9], 5000 kb/s, 29.97 fps, 29.97 tbr, 30k tbn, 59.94 tbc (default)
    Metadata:
      rotate          : 90
      handler_name    : VideoHandler
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)`;
  it('reads size (rotation applied), NTSC rate as a rational, duration, audio', () => {
    expect(parseHeader(header)).toEqual({
      width: 1080, height: 1920, fps: 29.97, fpsRational: '30000/1001', durationSeconds: 62.5,
      videoCodec: 'h264', hasAudio: true, audioCodec: 'aac',
    });
    expect(rationalRate(25)).toBe('25');
    expect(rationalRate(23.976)).toBe('24000/1001');
  });
  it('no video stream or unreadable input → 422', () => {
    expect(() => parseHeader("Input #0, wav, from 'a.wav':\n    Stream #0:0: Audio: pcm_s16le, 44100 Hz")).toThrow(expect.objectContaining({ status: 422, error: 'no-video-stream' }));
    expect(() => parseHeader('x.mp4: Invalid data found when processing input')).toThrow(expect.objectContaining({ status: 422, error: 'corrupt-video' }));
  });
});

/** Two faces moving on straight lines, boxes jittered by ±`noise` px (uniform), one detection missed. */
function syntheticFrames(noise: number, seed = 7) {
  const rng = createRng(seed);
  const jitter = () => (rng.next() * 2 - 1) * noise;
  const truth = (i: number): Box[] => [
    { x: 40 + 2 * i, y: 60 + 0.5 * i, width: 100, height: 120 },
    { x: 400 - 1.5 * i, y: 80, width: 70, height: 84 },
  ];
  return Array.from({ length: 60 }, (_, i) => {
    const boxes = truth(i).map((b) => ({ x: b.x + jitter(), y: b.y + jitter(), width: b.width + jitter(), height: b.height + jitter() }));
    // frame 20 misses face 1; detections arrive in varying order
    const observed = i === 20 ? [boxes[0]] : i % 3 === 0 ? [boxes[1], boxes[0]] : boxes;
    return { i, truth: truth(i), observed };
  });
}

const centreError = (a: Box, b: Box) => Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);

describe('face tracker', () => {
  it('keeps one id per face across frames, missed detections and shuffled order', () => {
    const tracker = new FaceTracker<{ box: Box }>();
    const idsOf: Array<Set<number>> = [new Set(), new Set()];
    for (const { i, truth, observed } of syntheticFrames(3)) {
      for (const t of tracker.update(i / 25, observed.map((box) => ({ box })))) {
        const face = iou(t.observation.box, truth[0]) > iou(t.observation.box, truth[1]) ? 0 : 1;
        idsOf[face].add(t.trackId);
      }
    }
    expect(idsOf[0].size).toBe(1);
    expect(idsOf[1].size).toBe(1);
    expect([...idsOf[0]][0]).not.toBe([...idsOf[1]][0]);
  });

  it('a face appearing far away opens a new track; a track unseen past maxAge ends', () => {
    const tracker = new FaceTracker<{ box: Box }>({ maxAgeSeconds: 0.2 });
    const a = { box: { x: 0, y: 0, width: 50, height: 50 } };
    expect(tracker.update(0, [a])[0].trackId).toBe(0);
    expect(tracker.update(0.04, [{ box: { x: 300, y: 0, width: 50, height: 50 } }])[0].trackId).toBe(1);
    expect(tracker.update(0.5, [a])[0].trackId).toBe(2);
  });

  it('One-Euro smoothing reduces box jitter and error against the true path', () => {
    const run = (smoothing: false | undefined) => {
      const tracker = new FaceTracker<{ box: Box }>({ smoothing });
      const path: Box[] = [], truth: Box[] = [];
      for (const { i, truth: t, observed } of syntheticFrames(4, 11)) {
        const out = tracker.update(i / 25, observed.map((box) => ({ box })));
        const first = out.find((o) => iou(o.observation.box, t[0]) > 0.3);
        if (first) { path.push(first.box); truth.push(t[0]); }
      }
      // jitter: mean |second difference| of the box centre x; error: mean centre distance to the truth
      const cx = path.map((b) => b.x + b.width / 2);
      const jitter = cx.slice(2).reduce((s, v, k) => s + Math.abs(v - 2 * cx[k + 1] + cx[k]), 0) / (cx.length - 2);
      const error = path.slice(10).reduce((s, b, k) => s + centreError(b, truth[k + 10]), 0) / (path.length - 10);
      return { jitter, error };
    };
    const raw = run(false), smoothed = run(undefined);
    expect(smoothed.jitter).toBeLessThan(0.6 * raw.jitter);
    expect(smoothed.error).toBeLessThan(raw.error);
  });

  it('smooths landmarks too: a still face jittering ±2 px (120 px box) moves far less', () => {
    const tracker = new FaceTracker<{ box: Box; landmarks: Array<[number, number, number]> }>();
    const rng = createRng(5);
    let spread = 0, rawSpread = 0;
    for (let i = 0; i < 40; i++) {
      const dx = (rng.next() * 2 - 1) * 2;
      const landmarks = Array.from({ length: 468 }, (_, k) => [100 + (k % 20) + dx, 100 + Math.floor(k / 20) + dx, 0] as [number, number, number]);
      const out = tracker.update(i / 25, [{ box: { x: 90 + dx, y: 90 + dx, width: 120, height: 120 }, landmarks }])[0];
      if (i >= 10) { spread += Math.abs(out.landmarks![0][0] - 100); rawSpread += Math.abs(dx); }
    }
    expect(spread).toBeLessThan(0.5 * rawSpread);
  });
});

describe('scan result', () => {
  const chunk = (index: number, start: number, end: number, samples: ScanChunkArtifact['samples'], tracks: ScanChunkArtifact['tracks']): ScanChunkArtifact =>
    ({ kind: 'scan-video-chunk', version: 1, index, startFrame: start, endFrame: end, fps: 10, stride: 5, threshold: 0.5, samples, tracks });
  const box = (x: number): Box => ({ x, y: 10, width: 50, height: 60 });
  const face = (track: number, x: number, score: number) => ({ track, box: box(x), score, peak: 0, boundaryArea: 0 });

  it('links chunk-local tracks across chunk boundaries and gives each track a verdict', () => {
    const c0 = chunk(0, 0, 10, [{ frame: 0, t: 0, faces: [face(0, 10, 0.9), face(1, 200, 0.1)] }, { frame: 5, t: 0.5, faces: [face(0, 12, 0.9), face(1, 198, 0.1)] }],
      [{ id: 0, first: { frame: 0, box: box(10) }, last: { frame: 5, box: box(12) }, samples: 2 }, { id: 1, first: { frame: 0, box: box(200) }, last: { frame: 5, box: box(198) }, samples: 2 }]);
    // chunk 1 numbers its tracks the other way round
    const c1 = chunk(1, 10, 20, [{ frame: 10, t: 1, faces: [face(0, 196, 0.1), face(1, 14, 0.95)] }, { frame: 15, t: 1.5, faces: [] }],
      [{ id: 0, first: { frame: 10, box: box(196) }, last: { frame: 10, box: box(196) }, samples: 1 }, { id: 1, first: { frame: 10, box: box(14) }, last: { frame: 10, box: box(14) }, samples: 1 }]);
    const result = buildScanResult([c0, c1]);
    expect(result.tracks.map((t) => [t.trackId, t.verdict, t.samples])).toEqual([[0, 'fake', 3], [1, 'real', 3]]);
    expect(result.verdict).toBe('fake');
    expect(result.video).toMatchObject({ frames: 20, samples: 4 });
    expect(result.summary).toMatchObject({ tracks: 2, fakeTracks: 1, samplesWithFaces: 3 });
    expect(result.timeline.filter((p) => p.trackId === 0).map((p) => p.t)).toEqual([0, 0.5, 1]);
  });

  it('a gap or overlap between chunks is an error, not a result', () => {
    const c0 = chunk(0, 0, 10, [], []), c1 = chunk(1, 12, 20, [], []);
    expect(() => buildScanResult([c0, c1])).toThrow(/starts at frame 12/);
  });

  it('no face anywhere → verdict null, reason no-face', () => {
    expect(buildScanResult([chunk(0, 0, 10, [{ frame: 0, t: 0, faces: [] }], [])])).toMatchObject({ verdict: null, reason: 'no-face', tracks: [] });
  });
});

describe('gate', () => {
  it('runs one at a time, queues a few, refuses beyond', async () => {
    const gate = createGate({ concurrency: 1, maxQueued: 1 });
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((r) => { release = r; }));
    const second = gate.run(async () => 'second');
    await expect(gate.run(async () => 'third')).rejects.toThrow(GateFullError);
    release();
    await first;
    await expect(second).resolves.toBe('second');
    expect(gate.active).toBe(0);
  });
});
