/**
 * @module http
 * One request with bounded retries: exponential backoff with full jitter on 429 (Retry-After wins),
 * 5xx and network errors; never on other 4xx; per-attempt timeout; caller's AbortSignal honoured.
 */
import { SeamlineError, errorFromResponse } from './errors.js';
import type { RouteSpec } from './routes.js';

export type RetryOptions = {
  /** Extra attempts after the first. Default 2 (so at most 3 requests). */
  retries?: number;
  /** First backoff step in ms. Default 250; doubles each attempt, full jitter. */
  backoffMs?: number;
  /** Largest single wait (backoff or Retry-After) in ms. Default 30 000. */
  maxDelayMs?: number;
};

export type TransportOptions = RetryOptions & {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Per-attempt timeout in ms. Default 60 000; 0 disables. */
  timeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
};

export type RequestOptions = {
  route: RouteSpec;
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
  /** Overrides `route.idempotent`: a POST that an `Idempotency-Key` makes safe to resend. */
  idempotent?: boolean;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After as milliseconds (delta-seconds or HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class Transport {
  readonly baseUrl: string;
  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    if (!options?.baseUrl) throw new TypeError('baseUrl is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.options = options;
  }

  /** Sends the request, retrying as described above; resolves with the first 2xx response. */
  async send(req: RequestOptions): Promise<Response> {
    const { retries = 2, backoffMs = 250, maxDelayMs = 30_000, timeoutMs = 60_000 } = this.options;
    const doFetch = this.options.fetch ?? globalThis.fetch;
    const url = new URL(this.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...this.options.headers, ...req.headers };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const attempts = Math.max(1, Math.floor(retries) + 1);

    for (let attempt = 1; ; attempt++) {
      req.signal?.throwIfAborted();
      const signals = [req.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      let res: Response | undefined;
      let failure: SeamlineError | undefined;
      try {
        res = await doFetch(url, { method: req.route.method, headers, body: req.body, signal });
      } catch (cause) {
        if (req.signal?.aborted) throw req.signal.reason;
        const timedOut = (cause as Error)?.name === 'TimeoutError';
        failure = new SeamlineError(
          {
            type: timedOut ? 'timeout' : 'network-error',
            title: timedOut ? 'Timeout' : 'Network error',
            status: 0,
            detail: timedOut ? `no answer within ${timeoutMs} ms` : String((cause as Error)?.message ?? cause),
          },
          { attempts: attempt, cause },
        );
      }
      if (res?.ok) return res;

      const status = res?.status ?? 0;
      const retryable = status === 429 || status === 503 || ((req.idempotent ?? req.route.idempotent) && (status === 0 || status >= 500));
      if (!retryable || attempt >= attempts) throw failure ?? (await errorFromResponse(res!, attempt));

      const backoff = Math.random() * backoffMs * 2 ** (attempt - 1);
      const retryAfter = res ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      await res?.body?.cancel().catch(() => undefined);
      await sleep(Math.min(maxDelayMs, retryAfter ?? backoff), req.signal);
    }
  }
}
