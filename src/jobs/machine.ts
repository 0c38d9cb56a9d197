/**
 * @module jobs/machine
 * The job state machine (queued → running → succeeded | failed) over a tiny storage interface. The
 * `JobCoordinator` Durable Object runs it on `ctx.storage`; unit tests run it on a Map. Every
 * transition is idempotent: a result already recorded changes nothing, and the messages a step
 * produced are kept in an outbox until the consumer confirms it enqueued them, so a redelivered
 * message replays them instead of losing them.
 */
import { ProblemError, type ProblemStatus } from '../problem.js';
import type { JobTask, WorkRequest, WorkResult } from './contract.js';
import { isTerminal, statusOf, stepKey, type JobRecord, type JobStatus } from './state.js';

export type JobStorage = {
  get(): Promise<JobRecord | undefined>;
  put(job: JobRecord): Promise<void>;
};

export type NewJob = Pick<JobRecord, 'id' | 'task' | 'baseUrl' | 'callbackUrl' | 'sourceFace' | 'input' | 'limits'>;

export type BeginOutcome =
  | { action: 'run'; baseUrl: string }
  /** Nothing to do (job unknown or finished, or this step already recorded); `resend` = unconfirmed follow-ups. */
  | { action: 'skip'; reason: string; resend: WorkRequest[] };

export type RecordOutcome = { next: WorkRequest[]; duplicate: boolean; /** The job just reached a final state. */ finished: boolean };

/** A WorkResult that does not fit its request (wrong step, unknown chunk, bad probe): an origin bug, retried. */
export class ContractError extends Error {
  override name = 'ContractError';
}

export class JobMachine {
  constructor(
    private readonly storage: JobStorage,
    private readonly now: () => number = Date.now,
  ) {}

  async create(init: NewJob): Promise<JobStatus> {
    const existing = await this.storage.get();
    if (existing) return statusOf(existing);
    const at = new Date(this.now()).toISOString();
    const job: JobRecord = {
      ...init,
      state: 'queued',
      createdAt: at,
      updatedAt: at,
      chunks: {},
      assembleQueued: false,
      attempts: {},
      outbox: {},
    };
    await this.storage.put(job);
    return statusOf(job);
  }

  async status(): Promise<JobStatus | null> {
    const job = await this.storage.get();
    return job ? statusOf(job) : null;
  }

  async record(): Promise<JobRecord | undefined> {
    return this.storage.get();
  }

  /** Before the consumer calls the origin: should this delivery run? Moves queued → running. */
  async begin(req: WorkRequest, attempts: number): Promise<BeginOutcome> {
    const job = await this.storage.get();
    if (!job) return { action: 'skip', reason: 'unknown job', resend: [] };
    if (isTerminal(job.state)) return { action: 'skip', reason: `job ${job.state}`, resend: [] };
    const key = stepKey(req);
    if (isRecorded(job, req)) return { action: 'skip', reason: `${key} already recorded`, resend: job.outbox[key] ?? [] };
    job.attempts[key] = Math.max(job.attempts[key] ?? 0, attempts);
    if (job.state === 'queued') {
      job.state = 'running';
      job.startedAt = this.now();
    }
    this.touch(job);
    await this.storage.put(job);
    return { action: 'run', baseUrl: job.baseUrl };
  }

  /** Records an origin result once; returns the messages to enqueue next (empty for a duplicate). */
  async recordResult(req: WorkRequest, result: WorkResult): Promise<RecordOutcome> {
    const job = await this.storage.get();
    if (!job || isTerminal(job.state)) return { next: [], duplicate: true, finished: false };
    if (result.step !== req.step) throw new ContractError(`origin answered a ${result.step} result to a ${req.step} request`);
    const key = stepKey(req);
    if (isRecorded(job, req)) return { next: job.outbox[key] ?? [], duplicate: true, finished: false };
    const now = this.now();
    let next: WorkRequest[] = [];

    if (result.step === 'probe') {
      for (const [start, end] of result.chunks) {
        if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start)) {
          throw new ContractError(`probe chunk [${start}, ${end}) is not a frame range`);
        }
      }
      job.probe = { ...withoutStep(result), at: now };
      if (job.state === 'queued') { job.state = 'running'; job.startedAt = now; }
      const { maxVideoSeconds, maxVideoPixels } = job.limits;
      if (result.durationSeconds > maxVideoSeconds + 0.1) {
        this.failInPlace(job, 413, 'video-too-long', `The video lasts ${result.durationSeconds.toFixed(2)} s; the limit is ${maxVideoSeconds} s (MAX_VIDEO_SECONDS).`, { maxSeconds: maxVideoSeconds });
      } else if (result.width * result.height > maxVideoPixels) {
        this.failInPlace(job, 413, 'video-too-many-pixels', `Frames are ${result.width}×${result.height}; the limit is ${maxVideoPixels} pixels per frame (MAX_VIDEO_PIXELS).`, { maxPixels: maxVideoPixels });
      } else {
        next = result.chunks.map(([startFrame, endFrame], index) => chunkMessage(job, index, startFrame, endFrame));
      }
    } else if (result.step === 'chunk') {
      const r = req as Extract<WorkRequest, { step: 'chunk' }>;
      if (result.index !== r.chunk.index) throw new ContractError(`origin answered chunk ${result.index} to a request for chunk ${r.chunk.index}`);
      if (!job.probe || r.chunk.index >= job.probe.chunks.length) throw new ContractError(`chunk ${r.chunk.index} is not one of the probed chunks`);
      job.chunks[String(r.chunk.index)] = { framesDone: result.framesDone, artifact: result.artifact, seconds: result.seconds, at: now };
      if (!job.assembleQueued && Object.keys(job.chunks).length === job.probe.chunks.length) {
        job.assembleQueued = true;
        next = [{ step: 'assemble', jobId: job.id, task: job.task, chunks: job.probe.chunks.length }];
      }
    } else {
      job.result = { artifact: result.artifact, contentType: result.contentType, ...(result.summary ? { summary: result.summary } : {}) };
      job.state = 'succeeded';
      job.finishedAt = now;
      this.touch(job);
      this.queueWebhook(job);
    }

    if (next.length > 0) job.outbox[key] = next;
    this.touch(job);
    await this.storage.put(job);
    return { next, duplicate: false, finished: isTerminal(job.state) };
  }

  /**
   * The watchdog (the coordinator's alarm): a job that has not moved for `stallMs` gets the messages of
   * every step still missing re-sent, so a lost or stuck queue message cannot leave it `running` for
   * ever. Re-sending a step that is merely slow is harmless: a recorded step is skipped, a chunk redone
   * overwrites the same artifact. Returns when to look again (null once the job is final).
   */
  async resendIfStalled(stallMs: number): Promise<{ resend: WorkRequest[]; nextCheckAt: number | null }> {
    const job = await this.storage.get();
    if (!job || isTerminal(job.state)) return { resend: [], nextCheckAt: null };
    const now = this.now();
    const idleSince = Date.parse(job.updatedAt);
    if (now - idleSince < stallMs) return { resend: [], nextCheckAt: idleSince + stallMs };
    const resend = missingSteps(job);
    job.stallResends = (job.stallResends ?? 0) + 1;
    this.touch(job);
    await this.storage.put(job);
    return { resend, nextCheckAt: now + stallMs };
  }

  /** The consumer enqueued what `recordResult` returned for `key`. */
  async confirm(key: string): Promise<void> {
    const job = await this.storage.get();
    if (!job || !(key in job.outbox)) return;
    delete job.outbox[key];
    await this.storage.put(job);
  }

  /** The origin answered 422 WorkFailure: the job fails for good. Returns whether this call finished it. */
  async failWork(req: WorkRequest, failure: { error: string; detail: string }): Promise<boolean> {
    const job = await this.storage.get();
    if (!job || isTerminal(job.state)) return false;
    const code = /^[a-z0-9][a-z0-9-]{0,63}$/.test(failure.error) ? failure.error : 'work-failed';
    this.failInPlace(job, 422, code, failure.detail || failure.error, { step: stepKey(req) });
    await this.storage.put(job);
    return true;
  }

  /**
   * A delivery failed in a way worth retrying (origin down, 5xx, timeout, contract violation).
   * After `maxAttempts` deliveries of the same step the job fails as `origin-unavailable`.
   */
  async attemptFailed(req: WorkRequest, attempts: number, reason: string, maxAttempts: number): Promise<{ giveUp: boolean; finished: boolean }> {
    const job = await this.storage.get();
    if (!job || isTerminal(job.state)) return { giveUp: true, finished: false };
    const key = stepKey(req);
    const at = new Date(this.now()).toISOString();
    job.attempts[key] = Math.max(job.attempts[key] ?? 0, attempts);
    job.lastError = { step: key, attempts, reason, at };
    const giveUp = attempts >= maxAttempts;
    if (giveUp) {
      this.failInPlace(job, 503, 'origin-unavailable', `Step ${key} failed ${attempts} times; last error: ${reason}`, { step: key });
    } else {
      this.touch(job);
    }
    await this.storage.put(job);
    return { giveUp, finished: giveUp };
  }

  private failInPlace(job: JobRecord, status: ProblemStatus, code: string, detail: string, extensions: Record<string, unknown> = {}) {
    job.error = new ProblemError(status, code, detail, extensions).body();
    job.state = 'failed';
    job.finishedAt = this.now();
    this.touch(job);
    this.queueWebhook(job);
  }

  private queueWebhook(job: JobRecord) {
    if (!job.callbackUrl || job.webhook) return;
    const event = job.state === 'succeeded' ? 'job.succeeded' : 'job.failed';
    const { webhook: _omit, ...status } = statusOf(job);
    job.webhook = {
      url: job.callbackUrl,
      event,
      body: JSON.stringify({ type: event, job: status }),
      status: 'pending',
      attempts: [],
      nextAttemptAt: new Date(this.now()).toISOString(),
    };
  }

  private touch(job: JobRecord) {
    job.updatedAt = new Date(this.now()).toISOString();
  }
}

function isRecorded(job: JobRecord, req: WorkRequest): boolean {
  if (req.step === 'probe') return job.probe !== undefined;
  if (req.step === 'chunk') return String(req.chunk.index) in job.chunks;
  return job.result !== undefined;
}

/** One message per step the job still lacks: the probe, else the unrecorded chunks, else the assembly. */
function missingSteps(job: JobRecord): WorkRequest[] {
  if (!job.probe) return [{ step: 'probe', jobId: job.id, task: job.task }];
  const missing = job.probe.chunks.flatMap(([start, end], index) => (String(index) in job.chunks ? [] : [chunkMessage(job, index, start, end)]));
  if (missing.length > 0) return missing;
  return [{ step: 'assemble', jobId: job.id, task: job.task, chunks: job.probe.chunks.length }];
}

function chunkMessage(job: JobRecord, index: number, startFrame: number, endFrame: number): WorkRequest {
  return { step: 'chunk', jobId: job.id, task: job.task satisfies JobTask, chunk: { index, startFrame, endFrame }, sourceFace: job.sourceFace };
}

function withoutStep<T extends { step: string }>(value: T): Omit<T, 'step'> {
  const { step: _step, ...rest } = value;
  return rest;
}
