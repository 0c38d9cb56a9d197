/**
 * @module origin/auth
 * `Authorization: Bearer ORIGIN_TOKEN` on /work, compared in constant time; 401 with a WorkFailure body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export type BearerOptions = { token: string };

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearer({ token }: BearerOptions): MiddlewareHandler {
  if (!token) throw new Error('ORIGIN_TOKEN must be set');
  const expected = digest(token);
  return async function originBearer(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) {
      c.header('www-authenticate', 'Bearer realm="seamline-origin"');
      return c.json({ error: 'unauthorized', detail: 'a valid Authorization: Bearer ORIGIN_TOKEN is required' }, 401);
    }
    await next();
  };
}
