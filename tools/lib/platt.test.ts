import { describe, expect, it } from 'vitest';
import { fitPlatt } from './platt.js';

/** 20 000 draws of y ~ Bernoulli(sigmoid(2v − 1)), v uniform in [−4, 4], reported as x = scale·v + shift. */
function logisticSamples(seed: number, scale = 1, shift = 0): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 20000; i++) {
    const v = rand() * 8 - 4;
    x.push(scale * v + shift);
    y.push(rand() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0);
  }
  return { x, y };
}

describe('fitPlatt', () => {
  it('recovers the slope and offset of a logistic model from its own samples', () => {
    const { x, y } = logisticSamples(7);
    const { a, b } = fitPlatt(x, y);
    expect(a).toBeCloseTo(2, 0);
    expect(b).toBeCloseTo(-1, 0);
  });

  it('converges when the raw logits are large (plain Newton from a = 1 saturated and diverged)', () => {
    const { x, y } = logisticSamples(11, 40, 100); // the same model on a 40× wider, shifted scale
    const { a, b } = fitPlatt(x, y);
    expect(a * 40).toBeCloseTo(2, 0);
    expect(b + 100 * a).toBeCloseTo(-1, 0);
  });
});
