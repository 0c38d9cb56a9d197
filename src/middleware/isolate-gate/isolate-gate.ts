/**
 * `isolateGate`: one image request at a time per isolate, the others waiting in line.
 *
 * A Workers isolate serves concurrent requests on one thread, so running them side by side adds no
 * throughput: their model runs take turns anyway. It does add memory, since every request in flight
 * holds its upload and decoded pixels, and the isolate has 128 MB for all of them beside onnxruntime's
 * ~40 MB. So requests queue here, before their body is read; past `maxQueued` waiting ones the answer
 * is 503 problem `busy` with `Retry-After`.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.js';
import { createGate, GateFullError, type Gate } from '../../lib/gate.js';
import { ProblemError } from '../../problem.js';

export type IsolateGateOptions = {
  /** Requests allowed to wait. Default 16. */
  maxQueued?: number;
  /** `Retry-After` of the 503. Default 1 s. */
  retryAfterSeconds?: number;
};

/** The isolate's one gate, shared by every route that uses the middleware. */
let shared: Gate | undefined;
const DEFAULT_MAX_QUEUED = 16;
/** How often a waiting request looks at the gate (see `GateOptions.pollMs`). */
const POLL_MS = 10;
/**
 * When a slot counts as abandoned (`GateOptions.leaseMs`, `startMs`): a request whose client went away is
 * dropped by workerd before it gives its slot back. Image requests take well under a second here; a waiter
 * that was handed the slot starts within one poll.
 */
const LEASE_MS = 30_000;
const START_MS = 1_000;

/** Requests running and waiting in this isolate (for /health). */
export function isolateLoad(): { active: number; queued: number } {
  return { active: shared?.active ?? 0, queued: shared?.queued ?? 0 };
}

/**
 * @example
 * const route = createRoute({ method: 'post', path: '/v1/xray', middleware: [rateLimit(…), isolateGate(), imageGuard()] as const, … });
 */
export function isolateGate({ maxQueued = DEFAULT_MAX_QUEUED, retryAfterSeconds = 1 }: IsolateGateOptions = {}, gate?: Gate): MiddlewareHandler<AppEnv> {
  return async function isolateGateMiddleware(c, next) {
    const used = gate ?? (shared ??= createGate({ concurrency: 1, maxQueued, pollMs: POLL_MS, leaseMs: LEASE_MS, startMs: START_MS }));
    try {
      await used.run(() => next());
    } catch (error) {
      if (!(error instanceof GateFullError)) throw error;
      return new ProblemError(503, 'busy', `This server is busy with other images; try again in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds })
        .toResponse(new URL(c.req.url).pathname, { 'retry-after': String(retryAfterSeconds) });
    }
  };
}
