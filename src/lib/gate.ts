/**
 * @module lib/gate
 * At most `concurrency` tasks run at once; up to `maxQueued` more wait, first come first served; beyond
 * that `run` throws `GateFullError`. The origin gates its job steps with it (503 → the queue retries),
 * the worker its image requests (src/middleware/isolate-gate).
 */
export type Gate = { run<T>(task: () => Promise<T>): Promise<T>; readonly active: number; readonly queued: number };

export type GateOptions = {
  concurrency?: number;
  maxQueued?: number;
  /**
   * Waiters also look every this many ms. workerd cancels a request that waits only on a promise another
   * request will settle (it sees no pending I/O of its own and calls it hung); a pending timer is its own.
   */
  pollMs?: number;
};

export class GateFullError extends Error {}

type Ticket = { admitted: boolean; wake?: () => void };

export function createGate({ concurrency = 1, maxQueued = 4, pollMs }: GateOptions = {}): Gate {
  let active = 0;
  const waiting: Ticket[] = [];
  const nap = (ticket: Ticket) =>
    new Promise<void>((resolve) => {
      ticket.wake = resolve;
      if (pollMs !== undefined) setTimeout(resolve, pollMs);
    });
  return {
    get active() { return active; },
    get queued() { return waiting.length; },
    async run(task) {
      if (active >= concurrency) {
        if (waiting.length >= maxQueued) throw new GateFullError('gate full');
        const ticket: Ticket = { admitted: false };
        waiting.push(ticket);
        while (!ticket.admitted) await nap(ticket);
      } else active++;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) {
          next.admitted = true; // the slot passes straight to it: `active` stays
          next.wake?.();
        } else active--;
      }
    },
  };
}
