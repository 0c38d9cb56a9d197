/**
 * `publicCors`: cross-origin access to the public API, so a CMS admin page, a browser extension or a
 * tool on another origin can call seamline directly instead of through its own server.
 *
 * `CORS_ORIGINS` chooses who may:
 * - unset or `*` → any origin. The API sets and reads no cookies (the swap key is a Bearer header the
 *   calling page must already hold), so answering every origin exposes nothing a plain HTTP client
 *   could not fetch;
 * - a comma-separated list of origins (`https://cms.example,https://admin.example`) → those alone;
 *   others get no CORS headers, so browsers withhold the response;
 * - `none` → no CORS headers at all.
 *
 * Preflights are answered here, before rate limits, the isolate gate and authentication, so they
 * never use up a client's allowance or wait behind image work.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../../env.js';

/** Response headers a cross-origin page may read besides the CORS-safelisted ones. */
export const EXPOSED_HEADERS = [
  'Retry-After',
  'Location',
  'X-Seamline-Verdict',
  'X-Seamline-Score',
  'X-Seamline-Provenance',
  'X-Seamline-Scale',
  'X-Seamline-Model',
  'X-Request-Id',
  'Idempotent-Replayed',
] as const;

export const ALLOWED_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id', 'Idempotency-Key'] as const;

/** Browsers cache a preflight at most this long anyway (Chromium caps it at 2 h). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

export type CorsPolicy = { kind: 'any' } | { kind: 'list'; origins: ReadonlySet<string> } | { kind: 'none' };

export function corsPolicyOf(setting: string | undefined): CorsPolicy {
  const value = setting?.trim() ?? '';
  if (value === '' || value === '*') return { kind: 'any' };
  if (value.toLowerCase() === 'none') return { kind: 'none' };
  const origins = value.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  return { kind: 'list', origins: new Set(origins) };
}

/** The `Access-Control-Allow-Origin` value for a request's `Origin`, or null for none. */
export function allowedOrigin(policy: CorsPolicy, origin: string): string | null {
  if (policy.kind === 'any') return '*';
  if (policy.kind === 'list' && policy.origins.has(origin)) return origin;
  return null;
}

export function publicCors(): MiddlewareHandler<AppEnv> {
  // One hono/cors handler: it asks for the allowed origin per request, so it follows the deployment's CORS_ORIGINS.
  const handler = cors({
    origin: (origin, c) => allowedOrigin(corsPolicyOf(c.env?.CORS_ORIGINS), origin),
    allowMethods: ['GET', 'HEAD', 'POST'],
    allowHeaders: [...ALLOWED_REQUEST_HEADERS],
    exposeHeaders: [...EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  return async function publicCorsMiddleware(c, next) {
    if (corsPolicyOf(c.env?.CORS_ORIGINS).kind === 'none') return next();
    return handler(c, next);
  };
}
