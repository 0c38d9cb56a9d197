/**
 * `apiKey`: bearer-key authentication against a secret in the worker's bindings.
 *
 * - secret not configured (absent or empty) → 403 problem `disabledCode` (the feature is switched off);
 * - no `Authorization: Bearer …` header → 401 `unauthorized`, `WWW-Authenticate: Bearer realm="…"`;
 * - wrong key → 401 `invalid-api-key`, `WWW-Authenticate: Bearer realm="…", error="invalid_token"`.
 *
 * Keys are compared as SHA-256 digests with a constant-time loop, so neither the content nor the
 * length of the configured key leaks through timing.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Bindings } from '../../env.js';
import { ProblemError } from '../../problem.js';

/** Binding names whose value is a string secret. */
export type SecretBinding = { [K in keyof Bindings]-?: NonNullable<Bindings[K]> extends string ? K : never }[keyof Bindings];

export type ApiKeyOptions = {
  /** Binding holding the expected key (wrangler secret, `.dev.vars` or `--var`). */
  secret: SecretBinding;
  /** Problem type slug when the secret is not configured. Default `api-key-not-configured`. */
  disabledCode?: string;
  /** Problem detail when the secret is not configured. */
  disabledDetail?: string;
  /** `realm` of the WWW-Authenticate challenge. Default `seamline`. */
  realm?: string;
};

const encoder = new TextEncoder();

const digest = async (value: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));

/** Constant-time equality of two strings (compares their SHA-256 digests; time depends on neither). */
export async function keysEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * @example
 * const route = createRoute({ method: 'post', path: '/v1/swap', middleware: [apiKey({ secret: 'SEAMLINE_API_KEY' }), …] as const, … });
 */
export function apiKey(options: ApiKeyOptions): MiddlewareHandler<AppEnv> {
  const {
    secret,
    disabledCode = 'api-key-not-configured',
    disabledDetail = `This endpoint is disabled: the server has no ${options.secret} configured.`,
    realm = 'seamline',
  } = options;
  return async function apiKeyMiddleware(c, next) {
    const expected = c.env?.[secret];
    const instance = new URL(c.req.url).pathname;
    if (typeof expected !== 'string' || expected === '') return new ProblemError(403, disabledCode, disabledDetail).toResponse(instance);
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
    if (!match) {
      return challenge(new ProblemError(401, 'unauthorized', 'Send the API key as `Authorization: Bearer <key>`.'), instance, `Bearer realm="${realm}"`);
    }
    if (!(await keysEqual(match[1], expected))) {
      return challenge(new ProblemError(401, 'invalid-api-key', 'The API key is not valid.'), instance, `Bearer realm="${realm}", error="invalid_token"`);
    }
    await next();
  };
}

function challenge(problem: ProblemError, instance: string, header: string): Response {
  return problem.toResponse(instance, { 'www-authenticate': header });
}
