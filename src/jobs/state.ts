/**
 * @module jobs/state
 * What a job's Durable Object stores, and the public view of it (status, progress, ETA).
 * Pure data and functions: no Workers APIs, so Node unit tests import it directly.
 */
import type { ProblemBody } from '../problem.js';
import type { JobState, JobTask, WorkRequest } from './contract.js';

export type WebhookEvent = 'job.succeeded' | 'job.failed';

export type WebhookAttempt = { at: string; status?: number; error?: string };

export type WebhookState = {
  url: string;
  event: WebhookEvent;
  /** The exact JSON sent on every attempt (only `t` in the signature changes). */
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
  nextAttemptAt?: string;
};

export type ChunkRecord = { framesDone: number; artifact: string; seconds: number; at: number };

export type JobRecord = {
  id: string;
  task: JobTask;
  state: JobState;
  createdAt: string;
  updatedAt: string;
  /** Public base URL the job was created at (statusUrl, result URL, origin's edge URL by default). */
  baseUrl: string;
  callbackUrl?: string;
  sourceFace: number;
  input: { bytes: number; format: string; contentType: string; hasSource: boolean };
  limits: { maxVideoSeconds: number; maxVideoPixels: number };
  probe?: {
    frames: number;
    fps: number;
    width: number;
    height: number;
    durationSeconds: number;
    hasAudio: boolean;
    chunks: Array<[number, number]>;
    at: number;
  };
  /** Recorded chunk results by index (as a string key). A chunk is recorded at most once. */
  chunks: Record<string, ChunkRecord>;
  assembleQueued: boolean;
  result?: { artifact: string; contentType: string; summary?: Record<string, unknown> };
  /** Highest delivery count seen per step key. */
  attempts: Record<string, number>;
  lastError?: { step: string; attempts: number; reason: string; at: string };
  /** Next messages produced by a step and not yet confirmed as enqueued, by step key (replayed on redelivery). */
  outbox: Record<string, WorkRequest[]>;
  /** Times the watchdog re-sent the missing steps of this job (it had not moved for JOB_STALL_SECONDS). */
  stallResends?: number;
  error?: ProblemBody;
  startedAt?: number;
  finishedAt?: number;
  webhook?: WebhookState;
};

export type JobProgress = {
  framesDone: number;
  framesTotal: number;
  chunksDone: number;
  chunksTotal: number;
  percent: number;
  etaSeconds: number | null;
};

export type JobStatus = {
  id: string;
  task: JobTask;
  state: JobState;
  progress: JobProgress;
  error?: ProblemBody;
  result?: { url: string; contentType: string; summary?: Record<string, unknown> };
  webhook?: { status: WebhookState['status']; attempts: WebhookAttempt[] };
  createdAt: string;
  updatedAt: string;
};

/** `probe`, `chunk:<index>` or `assemble`: one key per unit of origin work. */
export const stepKey = (req: WorkRequest): string => (req.step === 'chunk' ? `chunk:${req.chunk.index}` : req.step);

export const isTerminal = (state: JobState): boolean => state === 'succeeded' || state === 'failed';

export const statusUrl = (baseUrl: string, id: string) => `${baseUrl}/v1/jobs/${encodeURIComponent(id)}`;
export const resultUrl = (baseUrl: string, id: string) => `${statusUrl(baseUrl, id)}/result`;

/**
 * Progress weights: probe 5 %, chunks 90 % (by frames), assemble the last 5 %. Never decreases.
 * ETA = frames left × origin seconds per frame (Σ chunk `seconds` / Σ frames done) ÷ observed parallelism
 * (Σ chunk seconds / wall time since the probe, at least 1). Null until a chunk is done, while
 * assembling, and after failure; 0 once succeeded.
 */
export function progressOf(job: JobRecord): JobProgress {
  const chunks = Object.values(job.chunks);
  const framesTotal = job.probe?.frames ?? 0;
  const framesDone = Math.min(framesTotal, chunks.reduce((n, c) => n + c.framesDone, 0));
  const chunksTotal = job.probe?.chunks.length ?? 0;
  const chunksDone = chunks.length;
  let percent: number;
  if (job.state === 'succeeded') percent = 100;
  else if (!job.probe) percent = 0;
  else {
    const fraction = framesTotal > 0 ? framesDone / framesTotal : chunksTotal > 0 ? chunksDone / chunksTotal : 0;
    percent = Math.min(95, Math.floor(5 + 90 * fraction));
  }
  let etaSeconds: number | null = null;
  if (job.state === 'succeeded') etaSeconds = 0;
  else if (job.state !== 'failed' && job.probe && chunks.length > 0) {
    const seconds = chunks.reduce((n, c) => n + c.seconds, 0);
    const frames = chunks.reduce((n, c) => n + c.framesDone, 0);
    const remaining = Math.max(0, framesTotal - frames);
    const wall = (Math.max(...chunks.map((c) => c.at)) - job.probe.at) / 1000;
    const parallelism = wall > 0 ? Math.max(1, seconds / wall) : 1;
    if (remaining > 0 && frames > 0) etaSeconds = Math.ceil((remaining * (seconds / frames)) / parallelism);
  }
  return { framesDone, framesTotal, chunksDone, chunksTotal, percent, etaSeconds };
}

/** The public `GET /v1/jobs/:id` body. */
export function statusOf(job: JobRecord): JobStatus {
  return {
    id: job.id,
    task: job.task,
    state: job.state,
    progress: progressOf(job),
    ...(job.error ? { error: job.error } : {}),
    ...(job.result
      ? { result: { url: resultUrl(job.baseUrl, job.id), contentType: job.result.contentType, ...(job.result.summary ? { summary: job.result.summary } : {}) } }
      : {}),
    ...(job.webhook ? { webhook: { status: job.webhook.status, attempts: job.webhook.attempts } } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
