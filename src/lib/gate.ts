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
  /**
   * A slot held longer than this is taken back by the waiters (they check when they poll). workerd drops
   * the code of a request whose client went away, `finally` included, so its slot would never be given back.
   * Default: never.
   */
  leaseMs?: number;
  /** A slot handed to a waiter that has not started within this is taken back too (that waiter is gone). Default `leaseMs`. */
  startMs?: number;
};

export class GateFullError extends Error {}

type Lease = { since: number; started: boolean };
type Ticket = { lease?: Lease; wake?: () => void };

export function createGate({ concurrency = 1, maxQueued = 4, pollMs, leaseMs = Infinity, startMs = leaseMs }: GateOptions = {}): Gate {
  const leases = new Set<Lease>();
  const waiting: Ticket[] = [];
  const grant = (started: boolean): Lease => {
    const lease = { since: Date.now(), started };
    leases.add(lease);
    return lease;
  };
  const handOver = () => {
    while (leases.size < concurrency && waiting.length) {
      const next = waiting.shift()!;
      next.lease = grant(false);
      next.wake?.();
    }
  };
  const expire = () => {
    const now = Date.now();
    for (const lease of leases) if (now - lease.since > (lease.started ? leaseMs : startMs)) leases.delete(lease);
    handOver();
  };
  const nap = (ticket: Ticket) =>
    new Promise<void>((resolve) => {
      ticket.wake = resolve;
      if (pollMs !== undefined) setTimeout(resolve, pollMs);
    });
  return {
    get active() { return leases.size; },
    get queued() { return waiting.length; },
    async run(task) {
      let lease: Lease;
      if (leases.size >= concurrency) {
        if (waiting.length >= maxQueued) throw new GateFullError('gate full');
        const ticket: Ticket = {};
        waiting.push(ticket);
        while (!ticket.lease) {
          await nap(ticket);
          if (!ticket.lease) expire();
        }
        lease = ticket.lease;
        lease.started = true;
        lease.since = Date.now();
      } else lease = grant(true);
      try {
        return await task();
      } finally {
        // A lease taken back meanwhile is not ours to give any more.
        if (leases.delete(lease)) handOver();
      }
    },
  };
}
