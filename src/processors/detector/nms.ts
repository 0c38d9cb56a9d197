/** Weighted non-maximum suppression as MediaPipe uses for BlazeFace: overlapping candidates are averaged, weighted by score, which steadies boxes and key points. */
export type Candidate = { score: number; box: [number, number, number, number]; points: number[] };

export function iou(a: Candidate['box'], b: Candidate['box']): number {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[2], b[2]);
  const y2 = Math.min(a[3], b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

export function weightedNms(candidates: Candidate[], iouThreshold: number): Candidate[] {
  const remaining = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  while (remaining.length) {
    const best = remaining[0];
    const group: Candidate[] = [];
    for (let i = remaining.length - 1; i >= 0; i--) {
      if (iou(best.box, remaining[i].box) >= iouThreshold) group.push(...remaining.splice(i, 1));
    }
    const total = group.reduce((s, c) => s + c.score, 0);
    const box = [0, 0, 0, 0] as Candidate['box'];
    const points = new Array<number>(best.points.length).fill(0);
    for (const c of group) {
      const w = c.score / total;
      for (let k = 0; k < 4; k++) box[k] += c.box[k] * w;
      for (let k = 0; k < points.length; k++) points[k] += c.points[k] * w;
    }
    kept.push({ score: best.score, box, points });
  }
  return kept;
}

/** Share of the smaller box covered by the intersection. */
export function overlapOfSmaller(a: Candidate['box'], b: Candidate['box']): number {
  const inter = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const smaller = Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]));
  return smaller > 0 ? inter / smaller : 0;
}

/**
 * Drops detections mostly inside a stronger one: BlazeFace also fires on parts of large faces
 * (an eye-and-nose box inside the face box) with IoU too low for NMS to merge them.
 */
export function suppressContained(kept: Candidate[], threshold = 0.6): Candidate[] {
  const out: Candidate[] = [];
  for (const c of [...kept].sort((a, b) => b.score - a.score)) {
    if (!out.some((k) => overlapOfSmaller(k.box, c.box) > threshold)) out.push(c);
  }
  return out;
}
