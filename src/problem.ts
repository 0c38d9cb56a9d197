/**
 * RFC 9457 problem details. Every error leaves the worker through `ProblemError.toResponse`, so
 * clients always get `application/problem+json` and never a stack trace.
 */
export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 413 | 415 | 422 | 429 | 500 | 503;

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
};

export class ProblemError extends Error {
  constructor(
    readonly status: ProblemStatus,
    /** Short machine-readable slug, e.g. `image-too-large`; becomes the problem `type`. */
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  body(instance?: string): ProblemBody {
    return {
      type: `https://seamline.dev/problems/${this.code}`,
      title: TITLES[this.status],
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }

  /** `headers` adds to the content type, e.g. `Retry-After` or a `WWW-Authenticate` challenge. */
  toResponse(instance?: string, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(this.body(instance)), {
      status: this.status,
      headers: { ...headers, 'content-type': 'application/problem+json' },
    });
  }
}

export const isProblem = (error: unknown): error is ProblemError => error instanceof ProblemError;
