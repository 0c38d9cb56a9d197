/**
 * @module errors
 * One error class for everything the API or the network refuses.
 */
import type { Problem } from './types.js';

/**
 * An error answer (carrying the server's problem+json body) or a network failure (`status` 0).
 *
 * @example
 * try {
 *   await client.faces(bytes);
 * } catch (e) {
 *   if (e instanceof SeamlineError && e.status === 415) console.error(e.title, e.detail);
 * }
 */
export class SeamlineError extends Error {
  /** HTTP status; 0 for network errors and timeouts. */
  readonly status: number;
  /** Problem type URI (e.g. `https://seamline.dev/problems/unsupported-media-type`), or `network-error` / `timeout`. */
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly instance?: string;
  /** The full problem body, extensions included. */
  readonly problem: Problem;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** The server's `X-Request-Id` for the failed request: quote it when reporting a problem. */
  readonly requestId?: string;

  constructor(problem: Problem, options: { attempts?: number; cause?: unknown; requestId?: string } = {}) {
    super(problem.detail ? `${problem.status} ${problem.title}: ${problem.detail}` : `${problem.status} ${problem.title}`, { cause: options.cause });
    this.name = 'SeamlineError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.problem = problem;
    this.attempts = options.attempts ?? 1;
    this.requestId = options.requestId;
  }

  /** The short slug at the end of the problem type (`unsupported-media-type`). */
  get code(): string {
    return this.type.split('/').pop() ?? this.type;
  }
}

/** Builds the error for a non-2xx response, whether or not it carries problem+json. */
export async function errorFromResponse(res: Response, attempts: number): Promise<SeamlineError> {
  const text = await res.text().catch(() => '');
  let problem: Problem | undefined;
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object' && typeof body.title === 'string') {
      problem = { ...body, type: body.type ?? 'about:blank', title: body.title, status: typeof body.status === 'number' ? body.status : res.status };
    }
  } catch {
    /* not JSON */
  }
  problem ??= { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, ...(text ? { detail: text.slice(0, 500) } : {}) };
  return new SeamlineError(problem, { attempts, requestId: res.headers.get('x-request-id') ?? undefined });
}
