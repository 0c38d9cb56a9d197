import { describe, expect, it } from 'vitest';
import {
  averagePrecision, equalErrorRate, fprAtThreshold, rocAuc, rocCurve, thresholdForFpr, tprAtFpr, tprAtThreshold,
} from './metrics';

// Hand-worked: sorted by score, 0.8(+) 0.4(−) 0.35(+) 0.1(−). ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1).
const s1 = [0.1, 0.4, 0.35, 0.8], l1 = [0, 0, 1, 1];

describe('metrics', () => {
  it('ROC curve steps through distinct thresholds', () => {
    expect(rocCurve(s1, l1).map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]]);
  });

  it('AUC, AP, EER on the hand-worked case', () => {
    expect(rocAuc(s1, l1)).toBeCloseTo(0.75, 12);
    expect(averagePrecision(s1, l1)).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12); // 0.8333
    expect(equalErrorRate(s1, l1)).toBeCloseTo(0.5, 12);
  });

  it('TPR at FPR and threshold for FPR', () => {
    expect(tprAtFpr(s1, l1, 0)).toBe(0.5);
    expect(tprAtFpr(s1, l1, 0.49)).toBe(0.5);
    expect(tprAtFpr(s1, l1, 0.5)).toBe(1);
    expect(thresholdForFpr(s1, l1, 0)).toBe(0.8);
    expect(thresholdForFpr(s1, l1, 0.5)).toBe(0.35);
    expect(fprAtThreshold(s1, l1, 0.4)).toBe(0.5);
    expect(fprAtThreshold(s1, l1, 0.41)).toBe(0);
    expect(tprAtThreshold(s1, l1, 0.35)).toBe(1);
  });

  it('ties count half (Mann–Whitney) and move together on the curve', () => {
    // pairs: (1 > .5, 1 > 0), (.5 = .5 → ½, .5 > 0) → 3.5 / 4
    const s = [1, 0.5, 0.5, 0], l = [1, 1, 0, 0];
    expect(rocAuc(s, l)).toBeCloseTo(0.875, 12);
    expect(rocCurve(s, l).map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0, 0.5], [0.5, 1], [1, 1]]);
    expect(averagePrecision(s, l)).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    const flat = [0.5, 0.5, 0.5, 0.5], lf = [0, 1, 0, 1];
    expect(rocAuc(flat, lf)).toBe(0.5);
    expect(averagePrecision(flat, lf)).toBe(0.5);
    expect(equalErrorRate(flat, lf)).toBeCloseTo(0.5, 12);
    expect(tprAtFpr(flat, lf, 0.01)).toBe(0);
  });

  it('perfect and inverted rankings', () => {
    const s = [0.9, 0.8, 0.2, 0.1];
    expect(rocAuc(s, [1, 1, 0, 0])).toBe(1);
    expect(averagePrecision(s, [1, 1, 0, 0])).toBe(1);
    expect(equalErrorRate(s, [1, 1, 0, 0])).toBe(0);
    expect(tprAtFpr(s, [1, 1, 0, 0], 0.01)).toBe(1);
    expect(rocAuc(s, [0, 0, 1, 1])).toBe(0);
    expect(equalErrorRate(s, [0, 0, 1, 1])).toBe(1);
    expect(averagePrecision(s, [0, 0, 1, 1])).toBeCloseTo(0.5 * (1 / 3) + 0.5 * 0.5, 12);
  });

  it('agrees with brute-force pair counting on random data with ties', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const s = Array.from({ length: 300 }, () => Math.round(rnd() * 20) / 20);
    const l = s.map((v) => (rnd() < 0.3 + 0.4 * v ? 1 : 0));
    let wins = 0, pairs = 0;
    s.forEach((a, i) => s.forEach((b, j) => {
      if (l[i] === 1 && l[j] === 0) { pairs++; wins += a > b ? 1 : a === b ? 0.5 : 0; }
    }));
    expect(rocAuc(s, l)).toBeCloseTo(wins / pairs, 12);
    // trapezoidal area under the tie-aware ROC equals the Mann–Whitney AUC
    const roc = rocCurve(s, l);
    let area = 0;
    for (let k = 1; k < roc.length; k++) area += (roc[k].fpr - roc[k - 1].fpr) * (roc[k].tpr + roc[k - 1].tpr) / 2;
    expect(area).toBeCloseTo(wins / pairs, 12);
  });

  it('rejects degenerate input', () => {
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow();
    expect(() => rocAuc([0.1], [1, 0])).toThrow();
    expect(() => rocAuc([NaN, 0.2], [1, 0])).toThrow();
  });
});
