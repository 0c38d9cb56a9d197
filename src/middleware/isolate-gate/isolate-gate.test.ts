import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../env.js';
import { createGate } from '../../lib/gate.js';
import { ProblemError } from '../../problem.js';
import { isolateGate } from './index.js';

/** A route whose requests finish only when the test says so, recording the order they ran in. */
function harness(maxQueued: number) {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const gate = createGate({ concurrency: 1, maxQueued, pollMs: 10 });
  const app = new Hono<AppEnv>()
    .post('/x/:id', isolateGate({ maxQueued }, gate), async (c) => {
      const id = c.req.param('id');
      started.push(id);
      if (id === 'bad') throw new ProblemError(422, 'corrupt-image', 'no');
      await new Promise<void>((resolve) => release.set(id, resolve));
      return c.text(id);
    })
    .onError((error) => (error as ProblemError).toResponse());
  const call = (id: string) => app.request(`/x/${id}`, { method: 'POST' });
  const tick = () => new Promise((r) => setTimeout(r, 5));
  return { gate, started, release, call, tick };
}

describe('isolateGate middleware', () => {
  it('runs one request at a time, the others in arrival order', async () => {
    const { started, release, call, tick } = harness(4);
    const a = call('a'), b = call('b'), c = call('c');
    await tick();
    expect(started).toEqual(['a']);
    release.get('a')!();
    expect(await (await a).text()).toBe('a');
    await tick();
    expect(started).toEqual(['a', 'b']);
    release.get('b')!();
    await tick();
    release.get('c')!();
    expect([await (await b).text(), await (await c).text()]).toEqual(['b', 'c']);
  });

  it('answers 503 busy with Retry-After when the line is full, and frees its place after an error', async () => {
    const { gate, started, release, call, tick } = harness(1);
    const a = call('a'), b = call('b');
    await tick();
    const full = await call('c');
    expect(full.status).toBe(503);
    expect(full.headers.get('content-type')).toBe('application/problem+json');
    expect(full.headers.get('retry-after')).toBe('1');
    expect(await full.json()).toMatchObject({ type: 'https://seamline.dev/problems/busy', status: 503, instance: '/x/c' });
    release.get('a')!();
    await tick();
    release.get('b')!();
    await Promise.all([a, b]);
    expect((await call('bad')).status).toBe(422);
    expect([gate.active, gate.queued]).toEqual([0, 0]);
    expect(started).toEqual(['a', 'b', 'bad']);
  });
});
