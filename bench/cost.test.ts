import { describe, expect, it } from 'vitest';
import { usdPerRequest } from './cost.js';

describe('bench cost', () => {
  it('prices a request from its CPU ms at the Workers list prices', () => {
    expect(usdPerRequest(0)).toBeCloseTo(0.3e-6, 12);
    expect(usdPerRequest(100)).toBeCloseTo(0.3e-6 + 100 * 0.02e-6, 12);
    expect(usdPerRequest(50, { usdPerMillionRequests: 1, usdPerMillionCpuMs: 1 })).toBeCloseTo(51e-6, 12);
  });
});
