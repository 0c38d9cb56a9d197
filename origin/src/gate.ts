/**
 * @module origin/gate
 * At most `concurrency` steps run at once; up to `maxQueued` more wait; beyond that the origin says
 * 503 (busy) and the queue consumer retries later or elsewhere.
 */
export type Gate = { run<T>(task: () => Promise<T>): Promise<T>; readonly active: number; readonly queued: number };

export class GateFullError extends Error {}

export function createGate(concurrency = 1, maxQueued = 4): Gate {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    get active() { return active; },
    get queued() { return waiting.length; },
    async run(task) {
      if (active >= concurrency) {
        if (waiting.length >= maxQueued) throw new GateFullError('origin busy');
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else active++;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
