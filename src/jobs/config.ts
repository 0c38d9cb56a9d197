/**
 * @module jobs/config
 * Job limits and tuning read from the worker vars, with defaults for absent or invalid values.
 */
import type { Bindings } from '../env.js';

export type JobConfig = {
  /** Largest uploaded or fetched video (MAX_VIDEO_BYTES, default 100 MB). */
  maxVideoBytes: number;
  /** Longest probed duration (MAX_VIDEO_SECONDS, default 60). */
  maxVideoSeconds: number;
  /** Largest probed width × height (MAX_VIDEO_PIXELS, default 1920×1080). */
  maxVideoPixels: number;
  /** Source face image for swaps (MAX_IMAGE_BYTES, default 10 MiB). */
  maxImageBytes: number;
  originUrl: string;
  originTimeoutMs: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Deliveries of one step's message before the job fails as `origin-unavailable`. */
  maxAttempts: number;
  webhookBaseDelayMs: number;
  webhookMaxAttempts: number;
  /** A running job that has not moved for this long gets its missing steps re-sent (JOB_STALL_SECONDS, default max(300 s, 2 × origin timeout)). */
  stallMs: number;
};

export const DEFAULT_ORIGIN_URL = 'http://127.0.0.1:8788';

const num = (value: string | undefined, fallback: number, min = 1): number => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n >= min ? n : fallback;
};

/**
 * @example
 * const { maxVideoBytes } = jobConfig(c.env);
 */
export function jobConfig(env: Partial<Bindings> | undefined): JobConfig {
  const originTimeoutMs = num(env?.ORIGIN_TIMEOUT_MS, 120_000);
  return {
    maxVideoBytes: num(env?.MAX_VIDEO_BYTES, 100 * 1000 * 1000),
    maxVideoSeconds: num(env?.MAX_VIDEO_SECONDS, 60),
    maxVideoPixels: num(env?.MAX_VIDEO_PIXELS, 1920 * 1080),
    maxImageBytes: num(env?.MAX_IMAGE_BYTES, 10 * 1024 * 1024),
    originUrl: (env?.ORIGIN_URL || DEFAULT_ORIGIN_URL).replace(/\/+$/, ''),
    originTimeoutMs,
    retryBaseSeconds: num(env?.JOB_RETRY_BASE_SECONDS, 2, 0),
    retryMaxSeconds: num(env?.JOB_RETRY_MAX_SECONDS, 120, 0),
    maxAttempts: Math.floor(num(env?.JOB_MAX_ATTEMPTS, 12)),
    webhookBaseDelayMs: num(env?.WEBHOOK_BASE_DELAY_MS, 1000, 0),
    webhookMaxAttempts: Math.floor(num(env?.WEBHOOK_MAX_ATTEMPTS, 5)),
    stallMs: 1000 * num(env?.JOB_STALL_SECONDS, Math.max(300, (2 * originTimeoutMs) / 1000)),
  };
}

/** Queue retry delay for the n-th failed delivery (1-based): base·2^(n−1), capped; whole seconds. */
export const retryDelaySeconds = (attempts: number, config: Pick<JobConfig, 'retryBaseSeconds' | 'retryMaxSeconds'>): number =>
  Math.round(Math.min(config.retryMaxSeconds, config.retryBaseSeconds * 2 ** Math.max(0, attempts - 1)));

/** Webhook retry delay after the n-th failed attempt (1-based): base·2^(n−1) ms, capped at 60 s. */
export const webhookDelayMs = (attempts: number, baseMs: number): number => Math.min(60_000, baseMs * 2 ** Math.max(0, attempts - 1));
