import type { Face } from './pipeline/types.js';

/** Worker bindings and vars (wrangler.toml [vars], .dev.vars, --var). */
export type Bindings = {
  MAX_IMAGE_BYTES?: string;
  MAX_IMAGE_PIXELS?: string;
  MAX_FACES?: string;
  /** Largest width × height the pipeline analyses (default 2 MP); larger uploads are decoded scaled down (src/image/decode.ts). */
  MAX_ANALYSIS_PIXELS?: string;
  /** Largest width × height decoded at full size: the swap target (default 3 MP; 413 over it). */
  MAX_FULL_SIZE_PIXELS?: string;
  /** Largest PNG/WebP over the analysis size (default 6 MP): they are decoded whole before scaling down. */
  MAX_WHOLE_DECODE_PIXELS?: string;
  SEAMLINE_API_KEY?: string;
  /** Origins whose pages may call the API (src/middleware/cors): unset or `*` any, a comma-separated list, or `none`. */
  CORS_ORIGINS?: string;
  MODELS?: R2Bucket;
  /** Per-client limits (src/middleware/rate-limit): image analysis and job status, and the costly swaps and job creation. */
  SCAN_RATE_LIMIT?: RateLimit;
  SWAP_RATE_LIMIT?: RateLimit;

  // Video jobs (src/jobs/README.md); JOBS, JOBS_DO and JOB_QUEUE come from wrangler.toml, optional here only so
  // that unit tests may build partial envs (`requireJobBindings` answers 503 when they are absent). Secrets: ORIGIN_TOKEN, WEBHOOK_SECRET (wrangler.toml has dev-only defaults).
  /** Job inputs, chunk artifacts and results. */
  JOBS?: R2Bucket;
  /** One `JobCoordinator` per job (idFromName(jobId)). */
  JOBS_DO?: DurableObjectNamespace<import('./jobs/coordinator.js').JobCoordinator>;
  /** `seamline-jobs`: WorkRequest messages (src/jobs/contract.ts). */
  JOB_QUEUE?: Queue<import('./jobs/contract.js').WorkRequest>;
  /** Base URL of the origin that serves `POST /work`. Default http://127.0.0.1:8788. */
  ORIGIN_URL?: string;
  /** Bearer token between edge and origin, both directions. */
  ORIGIN_TOKEN?: string;
  /** HMAC key for `Seamline-Signature` on webhooks. */
  WEBHOOK_SECRET?: string;
  /** Per-job limits: upload bytes (default 100 MB), probed duration (60 s), frame width × height (1920×1080). */
  MAX_VIDEO_BYTES?: string;
  MAX_VIDEO_SECONDS?: string;
  MAX_VIDEO_PIXELS?: string;
  /** Base URL the origin should use for /internal/jobs/* (sent as `Seamline-Edge-Url`). Default: the URL the job was created at. */
  EDGE_URL?: string;
  /** Tuning (optional): origin request timeout, retry backoff, attempts per step before the job fails. */
  ORIGIN_TIMEOUT_MS?: string;
  JOB_RETRY_BASE_SECONDS?: string;
  JOB_RETRY_MAX_SECONDS?: string;
  JOB_MAX_ATTEMPTS?: string;
  JOB_STALL_SECONDS?: string;
  /** Webhook retry: first delay in ms (default 1000, doubling, capped at 60 s), attempts (default 5). */
  WEBHOOK_BASE_DELAY_MS?: string;
  WEBHOOK_MAX_ATTEMPTS?: string;
  /** Test-only: lets URL inputs and callbacks use http:// and loopback hosts. Never set in production. */
  ALLOW_INSECURE_FETCH_FOR_TESTS?: string;
};

export type Variables = {
  requestId: string;
  faces?: Face[];
};

export type AppEnv = { Bindings: Bindings; Variables: Variables };

/** Faces analysed per image, largest first: MAX_FACES, default 8 (absent or invalid values fall back). */
export function maxFacesOf(env: Partial<Bindings> | undefined): number {
  const n = Number(env?.MAX_FACES);
  return Number.isInteger(n) && n > 0 ? n : 8;
}
