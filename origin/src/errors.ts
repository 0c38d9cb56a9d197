/**
 * @module origin/errors
 * How a step fails. `WorkError(422, …)` is a permanent job failure (corrupt input, limits, no face):
 * the origin answers 422 with a `WorkFailure` body and the edge does not retry. Any other status
 * (edge unreachable, busy, a bug) is retryable from the edge's point of view.
 */
export class WorkError extends Error {
  constructor(readonly status: 400 | 401 | 422 | 500 | 502 | 503, readonly error: string, readonly detail: string) {
    super(`${error}: ${detail}`);
    this.name = 'WorkError';
  }
}

/** A permanent failure for this job (the edge marks the job failed). */
export const jobFailure = (error: string, detail: string) => new WorkError(422, error, detail);
