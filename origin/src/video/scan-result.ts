/**
 * @module origin/video/scan-result
 * scan-video, assemble side: chunk artifacts → one result.json. Chunk-local tracks are linked into
 * video-wide tracks (`stitchTracks`), each track's per-sample scores are smoothed over time (EMA with
 * time constant `tauSeconds`), and a track is `fake` when its smoothed score reaches the calibrated
 * X-ray threshold at some point (`maxSmoothed`); the mean is reported beside it.
 */
import type { Box } from '../../../src/pipeline/types.js';
import type { ScanChunkArtifact } from './scan-video.js';
import { associate } from './tracker.js';

export type TrackVerdict = {
  trackId: number;
  verdict: 'fake' | 'real';
  maxSmoothed: number;
  meanSmoothed: number;
  maxRaw: number;
  samples: number;
  firstSeconds: number;
  lastSeconds: number;
};

export type TimelinePoint = { t: number; frame: number; trackId: number; score: number; smoothed: number; box: Box };

export type ScanVideoResult = {
  kind: 'scan-video';
  verdict: 'fake' | 'real' | null;
  reason?: string;
  threshold: number;
  video: { frames: number; fps: number; durationSeconds: number; samples: number; stride: number };
  tracks: TrackVerdict[];
  timeline: TimelinePoint[];
  summary: { tracks: number; fakeTracks: number; samples: number; samplesWithFaces: number; maxScore: number | null };
};

export type ScanResultOptions = { tauSeconds?: number; maxGapSeconds?: number };

/**
 * Chunk-local track id → video-wide id. A chunk's track that starts within `maxGapSeconds` of the chunk's
 * start is matched (box association) against the video-wide tracks last seen within `maxGapSeconds`
 * before it; unmatched tracks get new ids. Ids are numbered in order of first appearance.
 */
export function stitchTracks(chunks: readonly ScanChunkArtifact[], maxGapSeconds = 1.5): Map<string, number> {
  const ids = new Map<string, number>();
  const live: Array<{ id: number; frame: number; box: Box }> = [];
  let next = 0;
  for (const chunk of chunks) {
    const gap = maxGapSeconds * chunk.fps;
    const recent = live.filter((g) => g.frame >= chunk.startFrame - gap);
    const starters = chunk.tracks.filter((t) => t.first.frame <= chunk.startFrame + gap);
    const pairs = associate(recent.map((g) => ({ box: g.box })), starters.map((t) => ({ box: t.first.box })), { minIou: 0.1, maxCentreDistance: 0.8 });
    for (const [g, s] of pairs) ids.set(`${chunk.index}:${starters[s].id}`, recent[g].id);
    for (const track of [...chunk.tracks].sort((a, b) => a.first.frame - b.first.frame || a.id - b.id)) {
      const key = `${chunk.index}:${track.id}`;
      if (!ids.has(key)) ids.set(key, next++);
      const id = ids.get(key)!;
      next = Math.max(next, id + 1);
      const entry = live.find((g) => g.id === id);
      if (entry) Object.assign(entry, { frame: track.last.frame, box: track.last.box });
      else live.push({ id, frame: track.last.frame, box: track.last.box });
    }
  }
  return ids;
}

/** Checks that the chunks tile [0, frames) with no gap or overlap and share one sampling. */
export function checkCoverage(chunks: readonly ScanChunkArtifact[]): void {
  chunks.forEach((c, i) => {
    if (c.index !== i) throw new Error(`chunk ${i} artifact says index ${c.index}`);
    const expectedStart = i === 0 ? 0 : chunks[i - 1].endFrame;
    if (c.startFrame !== expectedStart) throw new Error(`chunk ${i} starts at frame ${c.startFrame}, expected ${expectedStart}`);
    if (c.stride !== chunks[0].stride || c.fps !== chunks[0].fps) throw new Error(`chunk ${i} was sampled differently`);
  });
}

export function buildScanResult(chunks: readonly ScanChunkArtifact[], { tauSeconds = 1, maxGapSeconds = 1.5 }: ScanResultOptions = {}): ScanVideoResult {
  checkCoverage(chunks);
  const ids = stitchTracks(chunks, maxGapSeconds);
  const threshold = chunks[0].threshold;
  const fps = chunks[0].fps;
  const frames = chunks[chunks.length - 1].endFrame;
  const samples = chunks.flatMap((c) => c.samples.map((s) => ({ ...s, chunk: c.index })));
  const timeline: TimelinePoint[] = [];
  const state = new Map<number, { t: number; s: number }>();
  for (const sample of samples) {
    for (const face of sample.faces) {
      const trackId = ids.get(`${sample.chunk}:${face.track}`)!;
      const prev = state.get(trackId);
      const smoothed = prev ? prev.s + (1 - Math.exp(-(sample.t - prev.t) / tauSeconds)) * (face.score - prev.s) : face.score;
      state.set(trackId, { t: sample.t, s: smoothed });
      timeline.push({ t: sample.t, frame: sample.frame, trackId, score: face.score, smoothed: round3(smoothed), box: face.box });
    }
  }
  const byTrack = new Map<number, TimelinePoint[]>();
  for (const p of timeline) byTrack.set(p.trackId, [...(byTrack.get(p.trackId) ?? []), p]);
  const tracks: TrackVerdict[] = [...byTrack.entries()].sort(([a], [b]) => a - b).map(([trackId, points]) => {
    const maxSmoothed = Math.max(...points.map((p) => p.smoothed));
    return {
      trackId,
      verdict: maxSmoothed >= threshold ? 'fake' : 'real',
      maxSmoothed: round3(maxSmoothed),
      meanSmoothed: round3(points.reduce((s, p) => s + p.smoothed, 0) / points.length),
      maxRaw: round3(Math.max(...points.map((p) => p.score))),
      samples: points.length,
      firstSeconds: points[0].t,
      lastSeconds: points[points.length - 1].t,
    };
  });
  const fakeTracks = tracks.filter((t) => t.verdict === 'fake').length;
  return {
    kind: 'scan-video',
    verdict: tracks.length ? (fakeTracks ? 'fake' : 'real') : null,
    ...(tracks.length ? {} : { reason: 'no-face' }),
    threshold,
    video: { frames, fps, durationSeconds: round3(frames / fps), samples: samples.length, stride: chunks[0].stride },
    tracks,
    timeline,
    summary: {
      tracks: tracks.length,
      fakeTracks,
      samples: samples.length,
      samplesWithFaces: samples.filter((s) => s.faces.length).length,
      maxScore: tracks.length ? Math.max(...tracks.map((t) => t.maxSmoothed)) : null,
    },
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
