/**
 * @module origin/video/scan-video
 * scan-video, chunk side: Face X-Ray (`scanImage`, unchanged) on sampled frames (every `stride`-th
 * frame of the whole video, so ~`samplesPerSecond` per second), chunk-local face tracks, and a JSON
 * chunk artifact. The verdicts are made at assemble (scan-result.ts), over whole tracks.
 */
import { scanImage } from '../../../src/pipeline/scan.js';
import type { Box } from '../../../src/pipeline/types.js';
import { decodeRange, framesInRange } from './decode.js';
import type { VideoHeader } from './probe.js';
import { FaceTracker, type TrackerOptions } from './tracker.js';

export type ScanSampleFace = { track: number; box: Box; score: number; peak: number; boundaryArea: number };
export type ScanSample = { frame: number; t: number; faces: ScanSampleFace[] };
export type ScanChunkTrack = { id: number; first: { frame: number; box: Box }; last: { frame: number; box: Box }; samples: number };

export type ScanChunkArtifact = {
  kind: 'scan-video-chunk';
  version: 1;
  index: number;
  startFrame: number;
  endFrame: number;
  fps: number;
  stride: number;
  threshold: number;
  samples: ScanSample[];
  tracks: ScanChunkTrack[];
};

export type ScanChunkOptions = {
  file: string;
  header: VideoHeader;
  index: number;
  startFrame: number;
  endFrame: number;
  samplesPerSecond?: number;
  tracker?: TrackerOptions;
  signal?: AbortSignal;
};

/** Every how many frames a sample is taken. */
export const sampleStride = (fps: number, samplesPerSecond = 2) => Math.max(1, Math.round(fps / samplesPerSecond));

export async function scanChunk(options: ScanChunkOptions): Promise<ScanChunkArtifact> {
  const { file, header, index, startFrame, endFrame, samplesPerSecond = 2, signal } = options;
  const stride = sampleStride(header.fps, samplesPerSecond);
  // Samples are ~0.5 s apart: let tracks live across a missed sample and match on looser gates.
  const tracker = new FaceTracker<{ box: Box; i: number }>({ maxAgeSeconds: 2.5 * stride / header.fps, minIou: 0.1, maxCentreDistance: 0.8, smoothing: false, ...options.tracker });
  const samples: ScanSample[] = [];
  const tracks = new Map<number, ScanChunkTrack>();
  let threshold = NaN;
  for await (const { index: frame, image } of decodeRange(file, startFrame, endFrame, { width: header.width, height: header.height, stride, signal })) {
    const result = await scanImage(image);
    threshold = result.threshold;
    const t = round3(frame / header.fps);
    const tracked = tracker.update(t, result.faces.map((f, i) => ({ box: f.box, i })));
    const faces = tracked.map(({ trackId, observation }) => {
      const f = result.faces[observation.i];
      const track = tracks.get(trackId);
      if (track) {
        track.last = { frame, box: f.box };
        track.samples++;
      } else tracks.set(trackId, { id: trackId, first: { frame, box: f.box }, last: { frame, box: f.box }, samples: 1 });
      return { track: trackId, box: f.box, score: f.score, peak: f.peak, boundaryArea: f.boundaryArea };
    });
    samples.push({ frame, t, faces });
  }
  const expected = framesInRange(startFrame, endFrame, stride);
  if (samples.length !== expected.length) throw new Error(`scanned ${samples.length} samples, expected ${expected.length}`);
  if (Number.isNaN(threshold)) threshold = (await import('../../../src/models.js')).XRAY.calibration.threshold;
  return { kind: 'scan-video-chunk', version: 1, index, startFrame, endFrame, fps: header.fps, stride, threshold, samples, tracks: [...tracks.values()] };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
