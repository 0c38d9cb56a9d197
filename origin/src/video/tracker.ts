/**
 * @module origin/video/tracker
 * Face tracks across frames: detections are matched to live tracks by box IoU, centre distance and
 * 5-point landmark distance (greedy, best pair first, gated), unmatched detections open new tracks, and
 * tracks unseen for `maxAgeSeconds` end. Each track smooths its box, keypoints and 468 landmarks with a
 * One-Euro filter, so a swap pasted along the smoothed landmarks does not flicker.
 *
 * Chunk boundaries. Chunks are planned up front and the queue may run them in parallel, on different
 * origins, and redeliver any of them, so a chunk must not depend on another chunk's output. Handing the
 * tracker state from chunk k to chunk k+1 would serialise the job and make a retried chunk depend on
 * whether its neighbour ran. Instead:
 * - swap-video re-detects with overlap: a chunk first runs the tracker over `warmupFrames` frames before
 *   its start (decoded, tracked, not swapped, not encoded), so the smoothing state at its first frame is
 *   (nearly) what the previous chunk had there, and the result depends only on the chunk's own range;
 * - scan-video keeps chunk-local track ids and links them at assemble (`stitchTracks`) by matching each
 *   chunk's tracks at their first sample with the previous chunk's tracks at their last sample, using
 *   the same `associate` as frame-to-frame tracking.
 */
import type { Box, Point2, Point3 } from '../../../src/pipeline/types.js';
import { DEFAULT_ONE_EURO, OneEuroFilter, type OneEuroOptions } from './one-euro.js';

export type TrackerObservation = { box: Box; keypoints?: Point2[]; landmarks?: Point3[] };

export type TrackerOptions = {
  /** Pairs with IoU below this match only through centre distance. Default 0.2. */
  minIou?: number;
  /** Centre distance gate, in face sizes (√area). Default 0.5. */
  maxCentreDistance?: number;
  /** Area ratio gate (larger / smaller). Default 2.5. */
  maxAreaRatio?: number;
  /** Weight of the normalised 5-point distance in the match score. Default 0.5. */
  landmarkWeight?: number;
  /** A track unseen this long ends. Default 0.6 s. */
  maxAgeSeconds?: number;
  /** One-Euro parameters, or false for no smoothing. */
  smoothing?: OneEuroOptions | false;
};

export type TrackedFace<T extends TrackerObservation> = {
  trackId: number;
  /** Smoothed geometry (equal to the observation's when smoothing is off). */
  box: Box;
  keypoints?: Point2[];
  landmarks?: Point3[];
  observation: T;
};

type Track = {
  id: number;
  lastSeen: number;
  box: Box;
  keypoints?: Point2[];
  hits: number;
  boxFilter?: OneEuroFilter;
  keypointFilter?: OneEuroFilter;
  landmarkFilter?: OneEuroFilter;
};

export const iou = (a: Box, b: Box): number => {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width), y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
};

const size = (b: Box) => Math.sqrt(Math.max(1e-6, b.width * b.height));

/**
 * Greedy gated matching of `previous` to `next`; returns [previousIndex, nextIndex] pairs, best first.
 * @example associate([{ box: a }], [{ box: b }]) // [[0, 0]] when a and b overlap
 */
export function associate(previous: readonly TrackerObservation[], next: readonly TrackerObservation[], options: TrackerOptions = {}): Array<[number, number]> {
  const { minIou = 0.2, maxCentreDistance = 0.5, maxAreaRatio = 2.5, landmarkWeight = 0.5 } = options;
  const candidates: Array<{ p: number; n: number; score: number }> = [];
  previous.forEach((a, p) => next.forEach((b, n) => {
    const overlap = iou(a.box, b.box);
    const s = (size(a.box) + size(b.box)) / 2;
    const centre = Math.hypot(a.box.x + a.box.width / 2 - b.box.x - b.box.width / 2, a.box.y + a.box.height / 2 - b.box.y - b.box.height / 2) / s;
    const ratio = Math.max(size(a.box), size(b.box)) ** 2 / Math.min(size(a.box), size(b.box)) ** 2;
    if (ratio > maxAreaRatio || (overlap < minIou && centre > maxCentreDistance)) return;
    let landmark = 0;
    if (a.keypoints?.length && b.keypoints?.length === a.keypoints.length) {
      landmark = a.keypoints.reduce((sum, [x, y], i) => sum + Math.hypot(x - b.keypoints![i][0], y - b.keypoints![i][1]), 0) / a.keypoints.length / s;
    }
    candidates.push({ p, n, score: overlap - 0.5 * centre - landmarkWeight * landmark });
  }));
  candidates.sort((a, b) => b.score - a.score || a.p - b.p || a.n - b.n);
  const usedP = new Set<number>(), usedN = new Set<number>();
  const pairs: Array<[number, number]> = [];
  for (const { p, n } of candidates) {
    if (usedP.has(p) || usedN.has(n)) continue;
    usedP.add(p);
    usedN.add(n);
    pairs.push([p, n]);
  }
  return pairs;
}

export class FaceTracker<T extends TrackerObservation> {
  private tracks: Track[] = [];
  private nextId: number;

  constructor(private readonly options: TrackerOptions = {}, firstId = 0) {
    this.nextId = firstId;
  }

  /** Live tracks: id, smoothed box, detections so far. */
  get live(): ReadonlyArray<{ id: number; box: Box; hits: number; lastSeen: number }> {
    return this.tracks;
  }

  /** Feeds one frame's detections (time `t`, seconds); returns one tracked face per detection, in input order. */
  update(t: number, observations: readonly T[]): Array<TrackedFace<T>> {
    const maxAge = this.options.maxAgeSeconds ?? 0.6;
    this.tracks = this.tracks.filter((track) => t - track.lastSeen <= maxAge + 1e-9);
    const pairs = associate(this.tracks, observations, this.options);
    const assigned = new Array<Track | undefined>(observations.length);
    for (const [p, n] of pairs) assigned[n] = this.tracks[p];
    return observations.map((observation, n) => {
      let track = assigned[n];
      if (!track) {
        track = { id: this.nextId++, lastSeen: t, box: observation.box, hits: 0 };
        this.tracks.push(track);
      }
      return this.smooth(track, t, observation);
    });
  }

  private smooth(track: Track, t: number, observation: T): TrackedFace<T> {
    track.lastSeen = t;
    track.hits++;
    const smoothing = this.options.smoothing ?? DEFAULT_ONE_EURO;
    if (!smoothing) {
      track.box = observation.box;
      track.keypoints = observation.keypoints;
      return { trackId: track.id, box: observation.box, keypoints: observation.keypoints, landmarks: observation.landmarks, observation };
    }
    const { box } = observation;
    track.boxFilter ??= new OneEuroFilter(4, smoothing);
    const scale = size(box);
    const [cx, cy, w, h] = track.boxFilter.filter([box.x + box.width / 2, box.y + box.height / 2, box.width, box.height], t, scale);
    track.box = { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
    const out: TrackedFace<T> = { trackId: track.id, box: track.box, observation };
    if (observation.keypoints?.length) {
      track.keypointFilter ??= new OneEuroFilter(observation.keypoints.length * 2, smoothing);
      const v = track.keypointFilter.filter(observation.keypoints.flat(), t, scale);
      out.keypoints = observation.keypoints.map((_, i) => [v[2 * i], v[2 * i + 1]] as Point2);
      track.keypoints = out.keypoints;
    }
    if (observation.landmarks?.length) {
      track.landmarkFilter ??= new OneEuroFilter(observation.landmarks.length * 3, smoothing);
      const v = track.landmarkFilter.filter(observation.landmarks.flat(), t, scale);
      out.landmarks = observation.landmarks.map((_, i) => [v[3 * i], v[3 * i + 1], v[3 * i + 2]] as Point3);
    }
    return out;
  }
}
