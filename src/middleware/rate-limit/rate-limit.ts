/**
 * `rateLimit`: per-client request limits through a Workers Rate Limiting binding (wrangler.toml
 * `[[ratelimits]]`; miniflare enforces the same fixed windows locally).
 *
 * - client over the binding's limit → 429 problem `rate-limited` with `Retry-After`;
 * - binding not configured → no limit (a deployment without the binding keeps working);
 * - binding failing → the request passes and a warning is logged: an outage of the limiter must not
 *   take the API down with it.
 *
 * It runs before the body is read, so a refused upload costs no decoding.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Bindings } from '../../env.js';
import { ProblemError } from '../../problem.js';

/** Binding names whose value is a rate limiter. */
export type RateLimitBinding = { [K in keyof Bindings]-?: NonNullable<Bindings[K]> extends RateLimit ? K : never }[keyof Bindings];

export type RateLimitOptions = {
  binding: RateLimitBinding;
  /**
   * Seconds the client is told to wait (`Retry-After`). The binding does not say when its window ends,
   * so the default is its longest period, 60 s: never too early.
   */
  retryAfterSeconds?: number;
};

/**
 * Who is limited: the connecting address Cloudflare's edge sets on every request (clients cannot
 * forge it there). Requests without it (some local tools) share one bucket.
 */
export const clientKey = (request: Request): string => request.headers.get('cf-connecting-ip') ?? 'unknown-client';

/**
 * @example
 * const route = createRoute({ method: 'post', path: '/v1/xray', middleware: [rateLimit({ binding: 'SCAN_RATE_LIMIT' }), imageGuard()] as const, … });
 */
export function rateLimit({ binding, retryAfterSeconds = 60 }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const limiter = c.env?.[binding];
    if (!limiter) return next();
    let allowed = true;
    try {
      allowed = (await limiter.limit({ key: clientKey(c.req.raw) })).success;
    } catch (error) {
      console.warn(`rate limit ${binding} unavailable, request let through: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (allowed) return next();
    const path = new URL(c.req.url).pathname;
    return new ProblemError(429, 'rate-limited', `Too many requests from this client for ${path}; try again in ${retryAfterSeconds} s.`, {
      retryAfter: retryAfterSeconds,
    }).toResponse(path, { 'retry-after': String(retryAfterSeconds) });
  };
}
