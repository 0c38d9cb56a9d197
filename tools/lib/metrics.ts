/**
 * Binary-classification metrics for detector evaluation. Convention: label 1 = positive (fake),
 * higher score = more likely positive, and a score s is called positive at threshold t iff s >= t.
 * Ties are handled exactly: tied scores move together along the ROC curve (no arbitrary ordering).
 *
 * @example
 * const m = { auc: rocAuc(scores, labels), ap: averagePrecision(scores, labels), eer: equalErrorRate(scores, labels) };
 */

export type RocPoint = { threshold: number; fpr: number; tpr: number; tp: number; fp: number };

function counts(labels: readonly number[]): { pos: number; neg: number } {
  let pos = 0;
  for (const l of labels) if (l === 1) pos++; else if (l !== 0) throw new RangeError(`labels must be 0 or 1, got ${l}`);
  return { pos, neg: labels.length - pos };
}

function check(scores: readonly number[], labels: readonly number[]): { pos: number; neg: number } {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  if (scores.some((s) => Number.isNaN(s))) throw new RangeError('scores contain NaN');
  const c = counts(labels);
  if (!c.pos || !c.neg) throw new RangeError('need at least one positive and one negative');
  return c;
}

/**
 * ROC points at every distinct score (descending), starting at (0, 0) with threshold +Infinity and
 * ending at (1, 1).
 */
export function rocCurve(scores: readonly number[], labels: readonly number[]): RocPoint[] {
  const { pos, neg } = check(scores, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0, tp: 0, fp: 0 }];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++; else fp++;
    if (k + 1 < order.length && scores[order[k + 1]] === scores[i]) continue;
    points.push({ threshold: scores[i], fpr: fp / neg, tpr: tp / pos, tp, fp });
  }
  return points;
}

/** Area under the ROC curve = P(score_pos > score_neg) + ½ P(tie) (Mann–Whitney with mid-ranks). */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const { pos, neg } = check(scores, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  for (let k = 0; k < order.length; ) {
    let e = k;
    while (e + 1 < order.length && scores[order[e + 1]] === scores[order[k]]) e++;
    const midRank = (k + e) / 2 + 1;
    for (let t = k; t <= e; t++) if (labels[order[t]] === 1) rankSum += midRank;
    k = e + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision Σ (R_k − R_{k−1}) · P_k over distinct thresholds (scikit-learn's definition). */
export function averagePrecision(scores: readonly number[], labels: readonly number[]): number {
  let ap = 0, prevRecall = 0;
  for (const p of rocCurve(scores, labels).slice(1)) {
    ap += (p.tpr - prevRecall) * (p.tp / (p.tp + p.fp));
    prevRecall = p.tpr;
  }
  return ap;
}

/** Equal error rate: where FPR = FNR (= 1 − TPR) on the ROC curve, linearly interpolated between points. */
export function equalErrorRate(scores: readonly number[], labels: readonly number[]): number {
  const roc = rocCurve(scores, labels);
  for (let k = 1; k < roc.length; k++) {
    const a = roc[k - 1], b = roc[k];
    const da = a.fpr + a.tpr - 1, db = b.fpr + b.tpr - 1;
    if (db >= 0) {
      const t = db === da ? 0 : -da / (db - da);
      return a.fpr + t * (b.fpr - a.fpr);
    }
  }
  return 1;
}

/** Highest TPR reachable by a threshold whose FPR is at most `maxFpr` (no interpolation). */
export function tprAtFpr(scores: readonly number[], labels: readonly number[], maxFpr: number): number {
  let best = 0;
  for (const p of rocCurve(scores, labels)) if (p.fpr <= maxFpr + 1e-12) best = Math.max(best, p.tpr);
  return best;
}

/**
 * The lowest threshold (one of the scores) whose FPR is at most `maxFpr`; +Infinity when even the
 * highest score exceeds it.
 */
export function thresholdForFpr(scores: readonly number[], labels: readonly number[], maxFpr: number): number {
  let threshold = Infinity;
  for (const p of rocCurve(scores, labels)) if (p.fpr <= maxFpr + 1e-12) threshold = p.threshold;
  return threshold;
}

/** Fraction of negatives with score >= threshold. */
export function fprAtThreshold(scores: readonly number[], labels: readonly number[], threshold: number): number {
  const { neg } = check(scores, labels);
  let fp = 0;
  scores.forEach((s, i) => { if (labels[i] === 0 && s >= threshold) fp++; });
  return fp / neg;
}

/** Fraction of positives with score >= threshold. */
export function tprAtThreshold(scores: readonly number[], labels: readonly number[], threshold: number): number {
  const { pos } = check(scores, labels);
  let tp = 0;
  scores.forEach((s, i) => { if (labels[i] === 1 && s >= threshold) tp++; });
  return tp / pos;
}
