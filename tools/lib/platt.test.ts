import { describe, expect, it } from 'vitest';
import { fitPlatt } from './platt.js';

describe('fitPlatt', () => {
  it('recovers the slope and offset of a logistic model from its own samples', () => {
    const x: number[] = [], y: number[] = [];
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20000; i++) {
      const v = rand() * 8 - 4;
      x.push(v);
      y.push(rand() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0);
    }
    const { a, b } = fitPlatt(x, y);
    expect(a).toBeCloseTo(2, 0);
    expect(b).toBeCloseTo(-1, 0);
  });

  it('converges when the raw logits are large (plain Newton from a = 1 saturated and diverged)', () => {
    const x: number[] = [], y: number[] = [];
    let s = 11;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20000; i++) {
      const v = rand() * 8 - 4;
      x.push(40 * v + 100); // same model as above on a 40× wider, shifted scale
      y.push(rand() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0);
    }
    const { a, b } = fitPlatt(x, y);
    expect(a * 40).toBeCloseTo(2, 0);
    expect(b + 100 * a).toBeCloseTo(-1, 0);
  });
});
