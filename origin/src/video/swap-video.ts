/**
 * @module origin/video/swap-video
 * swap-video, chunk side: decode the chunk (plus `warmupFrames` before it, tracked but not output),
 * find faces in every frame (`findFaces`, unchanged), track them, and swap the target track's smoothed
 * face with the source face through the `Swapper` contract; frames go straight into a lossless FFV1
 * chunk. The target is the largest track when the current target ends (sticky, so two similar faces
 * do not alternate); a target missed by the detector for up to `coastFrames` frames is swapped at its
 * last smoothed position instead of flashing the original face. Whether the source is mirrored (heads turned
 * opposite ways) is decided with hysteresis over the frames, warm-up included, not per frame, so that the
 * swapped identity does not flip sides while the target's head hovers at the threshold.
 */
import { findFaces } from '../../../src/pipeline/faces.js';
import type { Face, RgbaImage } from '../../../src/pipeline/types.js';
import { createMirrorDecider } from '../../../src/processors/swapper/classical.js';
import type { Swapper } from '../../../src/processors/swapper/types.js';
import { decodeRange } from './decode.js';
import { createChunkEncoder } from './encode.js';
import type { VideoHeader } from './probe.js';
import { FaceTracker, type TrackedFace, type TrackerOptions } from './tracker.js';

export type SwapChunkOptions = {
  file: string;
  header: VideoHeader;
  startFrame: number;
  endFrame: number;
  /** Where the FFV1/Matroska chunk is written. */
  output: string;
  swapper: Swapper;
  source: RgbaImage;
  sourceFace: Face;
  /** Frames before `startFrame` run through the tracker only. Default 8. */
  warmupFrames?: number;
  coastFrames?: number;
  maxFaces?: number;
  tracker?: TrackerOptions;
  signal?: AbortSignal;
  timeoutMs?: number;
};

export type SwapChunkStats = {
  frames: number; swapped: number; coasted: number; noFace: number; swapErrors: number; tracks: number;
  /** Milliseconds spent in face finding (warm-up included) and in the swapper. */
  findMs: number; swapMs: number;
};

/** The tracked face as a `Face` whose geometry is the smoothed one. */
const smoothedFace = (t: TrackedFace<Face>): Face => ({
  ...t.observation,
  box: t.box,
  keypoints: t.keypoints ?? t.observation.keypoints,
  landmarks: t.landmarks ?? t.observation.landmarks,
});

type Target = { id: number; face: Face; missed: number };

/** Keep the current target while it is seen (or missed for ≤ `coastFrames`), else take the largest face. */
export function pickTarget(target: Target | null, tracked: Array<TrackedFace<Face>>, live: ReadonlyArray<{ id: number }>, coastFrames: number): Target | null {
  const current = target ? tracked.find((t) => t.trackId === target.id) : undefined;
  if (current) return { id: current.trackId, face: smoothedFace(current), missed: 0 };
  if (target && target.missed < coastFrames && live.some((t) => t.id === target.id)) return { ...target, missed: target.missed + 1 };
  const largest = [...tracked].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
  return largest ? { id: largest.trackId, face: smoothedFace(largest), missed: 0 } : null;
}

export async function swapChunk(options: SwapChunkOptions): Promise<SwapChunkStats> {
  const { file, header, startFrame, endFrame, output, swapper, source, sourceFace, warmupFrames = 8, coastFrames = 3, maxFaces = 4, signal, timeoutMs } = options;
  const tracker = new FaceTracker<Face>(options.tracker ?? {});
  const encoder = createChunkEncoder(output, { width: header.width, height: header.height, fpsRational: header.fpsRational, signal, timeoutMs });
  const stats: SwapChunkStats = { frames: 0, swapped: 0, coasted: 0, noFace: 0, swapErrors: 0, tracks: 0, findMs: 0, swapMs: 0 };
  const seen = new Set<number>();
  let target: Target | null = null;
  const mirrorFor = createMirrorDecider();
  try {
    const from = Math.max(0, startFrame - warmupFrames);
    for await (const { index, image } of decodeRange(file, from, endFrame, { width: header.width, height: header.height, signal, timeoutMs })) {
      const f0 = performance.now();
      const { faces } = await findFaces(image, { maxFaces });
      stats.findMs += performance.now() - f0;
      const tracked = tracker.update(index / header.fps, faces);
      target = pickTarget(target, tracked, tracker.live, coastFrames);
      const mirrorSource = target ? mirrorFor(sourceFace.pose.yaw, target.face.pose.yaw) : undefined;
      if (index < startFrame) continue;
      tracked.forEach((t) => seen.add(t.trackId));
      let out = image;
      if (target) {
        const s0 = performance.now();
        try {
          out = await swapper.swap(source, sourceFace, image, target.face, { mirrorSource });
          stats.swapped++;
          if (target.missed) stats.coasted++;
        } catch {
          stats.swapErrors++;
        }
        stats.swapMs += performance.now() - s0;
      } else stats.noFace++;
      await encoder.write(out);
      stats.frames++;
    }
    const written = await encoder.finish();
    if (written !== endFrame - startFrame) throw new Error(`wrote ${written} frames for ${startFrame}–${endFrame}`);
  } catch (error) {
    encoder.abort();
    throw error;
  }
  stats.tracks = seen.size;
  stats.findMs = Math.round(stats.findMs);
  stats.swapMs = Math.round(stats.swapMs);
  return stats;
}
