/** Platt scaling of the raw logit: p = sigmoid(a · logit + b), fitted on held-out reals and blends. */
export type Calibration = { a: number; b: number; threshold: number };

export function calibratedScore(logit: number, { a, b }: Calibration): number {
  return 1 / (1 + Math.exp(-(a * logit + b)));
}
