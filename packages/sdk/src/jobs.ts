/**
 * @module jobs
 * Video jobs (`POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/result`): create from an upload
 * or from URLs, read, poll until done with progress callbacks, download the result.
 */
import { SeamlineError } from './errors.js';
import type { Transport } from './http.js';
import { fileName, toBlob, type BinaryInput } from './input.js';
import { ROUTES, routePath } from './routes.js';
import type { JobCreated, JobResultFile, JobStatus, JobTask, JobTaskInput } from './types.js';

type CreateJobCommon = {
  /** `scan-video` runs Face X-Ray over the frames; `swap-video` puts the `source` face into every frame. `scan` / `swap` are aliases. */
  task: JobTaskInput;
  /** Which face of the source image to use (largest first). Default 0. */
  sourceFace?: number;
  /** https URL that receives the signed webhook when the job ends (see `verifyWebhookSignature`). */
  callbackUrl?: string;
  /**
   * Sent as `Idempotency-Key`: the server answers a repeat with the job the first request created. Default: a
   * fresh random key per call, which lets this SDK retry a lost answer without starting a second job. Pass your
   * own (and keep it) to make your own retries, across restarts, just as safe.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

/** Upload form (multipart): the video and, for swaps, the source face image as bytes/files. */
export type CreateJobUpload = CreateJobCommon & {
  /** The video (MP4/MOV, MKV/WebM or AVI). */
  video: BinaryInput;
  /** Face image for `swap-video` (JPEG, PNG or WebP). */
  source?: BinaryInput;
  videoUrl?: never;
  sourceUrl?: never;
};

/** URL form (JSON): the server fetches the inputs (https only, public hosts). */
export type CreateJobFromUrl = CreateJobCommon & {
  videoUrl: string;
  /** Face image URL for `swap-video`. */
  sourceUrl?: string;
  video?: never;
  source?: never;
};

export type CreateJobOptions = CreateJobUpload | CreateJobFromUrl;

export type WaitOptions = {
  /** Called after every poll whose state or progress changed (including the first). */
  onProgress?: (job: JobStatus) => void;
  /** Poll interval in ms. Default 1000. */
  intervalMs?: number;
  signal?: AbortSignal;
};

/** States after which a job never changes. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['succeeded', 'failed']);

const TASKS: Record<JobTaskInput, JobTask> = { 'scan-video': 'scan-video', scan: 'scan-video', 'swap-video': 'swap-video', swap: 'swap-video' };

/** `scan` → `scan-video`, `swap` → `swap-video`; the full names pass through. Throws on anything else. */
export function normalizeTask(task: string): JobTask {
  const out = Object.hasOwn(TASKS, task) ? TASKS[task as JobTaskInput] : undefined;
  if (!out) throw new TypeError(`task must be scan-video or swap-video (or scan / swap), got "${task}"`);
  return out;
}

export class Jobs {
  constructor(private readonly transport: Transport) {}

  /**
   * Starts a job; resolves with `{ id, state: 'queued', statusUrl }` (202; for a repeated `idempotencyKey`, the
   * first job with its current state). Network errors and 5xx are retried: the key makes that safe.
   *
   * @example
   * const job = await client.jobs.create({ video: 'clip.mp4', task: 'scan-video' });
   * const swap = await client.jobs.create({ task: 'swap-video', video: 'clip.mp4', source: 'me.jpg', callbackUrl: 'https://example.com/hook' });
   * const fromUrl = await client.jobs.create({ task: 'swap-video', videoUrl: 'https://cdn.example.com/clip.mp4', sourceUrl: 'https://cdn.example.com/me.jpg' });
   */
  async create(options: CreateJobOptions): Promise<JobCreated> {
    const { sourceFace, callbackUrl, signal } = options;
    const task = normalizeTask(options.task);
    let body: BodyInit;
    const headers: Record<string, string> = { accept: 'application/json', 'idempotency-key': options.idempotencyKey ?? crypto.randomUUID() };
    if (options.videoUrl !== undefined) {
      if (options.video !== undefined) throw new TypeError('pass either video or videoUrl, not both');
      body = JSON.stringify({
        task,
        videoUrl: options.videoUrl,
        ...(options.sourceUrl !== undefined ? { sourceUrl: options.sourceUrl } : {}),
        ...(sourceFace !== undefined ? { sourceFace } : {}),
        ...(callbackUrl !== undefined ? { callbackUrl } : {}),
      });
      headers['content-type'] = 'application/json';
    } else {
      if (options.video === undefined) throw new TypeError('jobs.create needs video (a file) or videoUrl');
      const form = new FormData();
      form.set('task', task);
      form.set('video', await toBlob(options.video), fileName(options.video, 'video'));
      if (options.source !== undefined) form.set('source', await toBlob(options.source), fileName(options.source, 'source'));
      if (sourceFace !== undefined) form.set('sourceFace', String(sourceFace));
      if (callbackUrl !== undefined) form.set('callbackUrl', callbackUrl);
      body = form;
    }
    const res = await this.transport.send({ route: ROUTES.jobsCreate, path: routePath(ROUTES.jobsCreate), headers, body, signal, idempotent: true });
    return (await res.json()) as JobCreated;
  }

  /**
   * @example
   * const { state, progress } = await client.jobs.get(id); // progress: { framesDone, framesTotal, percent, etaSeconds, … }
   */
  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<JobStatus> {
    const res = await this.transport.send({
      route: ROUTES.jobsGet,
      path: routePath(ROUTES.jobsGet, { id }),
      headers: { accept: 'application/json' },
      signal: options.signal,
    });
    return (await res.json()) as JobStatus;
  }

  /**
   * Downloads the result of a succeeded job (the video for `swap-video`, the JSON report for
   * `scan-video`). Rejects with a 404 `result-not-ready` `SeamlineError` before the job has succeeded.
   *
   * @example
   * const { bytes, contentType } = await client.jobs.result(job.id);
   */
  async result(id: string, options: { signal?: AbortSignal } = {}): Promise<JobResultFile> {
    const res = await this.transport.send({ route: ROUTES.jobsResult, path: routePath(ROUTES.jobsResult, { id }), signal: options.signal });
    return { bytes: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }

  /**
   * Polls until the job reaches `succeeded` or `failed`. Resolves with the finished job; rejects with a
   * `SeamlineError` carrying the job's `error` problem when it failed.
   *
   * @example
   * const done = await client.jobs.wait(job.id, {
   *   onProgress: ({ progress: p }) => console.log(`${p.framesDone}/${p.framesTotal} frames, ${p.percent}%, ~${p.etaSeconds ?? '?'}s left`),
   * });
   */
  async wait(id: string, { onProgress, intervalMs = 1000, signal }: WaitOptions = {}): Promise<JobStatus> {
    let last = '';
    for (;;) {
      const job = await this.get(id, { signal });
      const key = JSON.stringify([job.state, job.progress]);
      if (key !== last) {
        last = key;
        onProgress?.(job);
      }
      if (TERMINAL_STATES.has(job.state)) {
        if (job.state === 'failed') {
          throw new SeamlineError(job.error ?? { type: 'job-failed', title: 'Job failed', status: 0, detail: `job ${id} failed` });
        }
        return job;
      }
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => (clearTimeout(t), reject(signal!.reason));
        const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), intervalMs);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
