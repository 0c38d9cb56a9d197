import { describe, expect, it } from 'vitest';
import { createGate } from './gate.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createGate leases', () => {
  it('takes back a slot held past leaseMs (a request workerd dropped never gives it back) and runs the waiter', async () => {
    const gate = createGate({ concurrency: 1, maxQueued: 2, pollMs: 5, leaseMs: 60 });
    void gate.run(() => new Promise(() => {})); // a holder that never finishes, like a cancelled request
    const started = Date.now();
    const result = await gate.run(async () => 'second');
    expect(result).toBe('second');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('without leaseMs a slow holder keeps its slot; the waiter follows when it finishes', async () => {
    const gate = createGate({ concurrency: 1, maxQueued: 2, pollMs: 5 });
    const order: string[] = [];
    const first = gate.run(async () => { await sleep(80); order.push('first'); });
    const second = gate.run(async () => { order.push('second'); });
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
