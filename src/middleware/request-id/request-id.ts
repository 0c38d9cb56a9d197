/**
 * `requestIds`: names every request and its answer with `X-Request-Id`, so a client's report can be
 * matched to the worker's log line. The client's own id is kept when it is short and plain (so a CMS
 * can thread its upload id through); otherwise Cloudflare's `cf-ray`, else a random UUID.
 *
 * The header is put on the final response after the handlers ran, whatever produced it: a route, a
 * thrown problem, or the not-found handler.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const WELL_FORMED = /^[\w\-=.:]{1,128}$/;

export function requestIdOf(request: Request): string {
  const own = request.headers.get(REQUEST_ID_HEADER);
  if (own && WELL_FORMED.test(own)) return own;
  const ray = request.headers.get('cf-ray');
  return ray && WELL_FORMED.test(ray) ? ray : crypto.randomUUID();
}

export function requestIds(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const id = requestIdOf(c.req.raw);
    c.set('requestId', id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
