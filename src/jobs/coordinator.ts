/**
 * @module jobs/coordinator
 * `JobCoordinator`: one Durable Object per job (`JOBS_DO.idFromName(jobId)`). It runs the state
 * machine (src/jobs/machine.ts) on its storage, so all updates of a job are serialised, and delivers
 * the completion webhook from its alarm with exponential backoff (1 s, 2 s, 4 s, … capped at 60 s;
 * WEBHOOK_MAX_ATTEMPTS, default 5). Before that, the same alarm is a stall watchdog: a job that has not
 * moved for JOB_STALL_SECONDS gets its missing steps re-sent. Called over RPC by the routes and the queue consumer.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../env.js';
import { jobConfig, webhookDelayMs } from './config.js';
import type { WorkFailure, WorkRequest, WorkResult } from './contract.js';
import { JobMachine, type BeginOutcome, type NewJob, type RecordOutcome } from './machine.js';
import { insecureFetchAllowed } from '../lib/safe-fetch.js';
import { isTerminal, stepKey, type JobRecord, type JobStatus } from './state.js';
import { deliverWebhook } from './webhook.js';
import type { z } from 'zod';

const KEY = 'job';

export class JobCoordinator extends DurableObject<Bindings> {
  private readonly machine = new JobMachine({
    get: () => this.ctx.storage.get<JobRecord>(KEY),
    put: (job) => this.ctx.storage.put(KEY, job),
  });

  async create(init: NewJob): Promise<JobStatus> {
    const status = await this.machine.create(init);
    if (status.state === 'queued') await this.ctx.storage.setAlarm(Date.now() + jobConfig(this.env).stallMs);
    return status;
  }

  async status(): Promise<JobStatus | null> {
    return this.machine.status();
  }

  /** Result artifact name and type once succeeded, else null. */
  async resultArtifact(): Promise<{ artifact: string; contentType: string } | null> {
    const job = await this.machine.record();
    return job?.state === 'succeeded' && job.result ? { artifact: job.result.artifact, contentType: job.result.contentType } : null;
  }

  /** Whether a job exists and whether it has a source image (for the internal endpoints). */
  async exists(): Promise<{ exists: boolean; hasSource: boolean }> {
    const job = await this.machine.record();
    return { exists: job !== undefined, hasSource: job?.input.hasSource ?? false };
  }

  async begin(req: WorkRequest, attempts: number): Promise<BeginOutcome> {
    return this.machine.begin(req, attempts);
  }

  async record(req: WorkRequest, result: WorkResult): Promise<RecordOutcome> {
    const outcome = await this.machine.recordResult(req, result);
    if (outcome.finished) await this.scheduleWebhook(0);
    return outcome;
  }

  async confirm(key: string): Promise<void> {
    return this.machine.confirm(key);
  }

  async fail(req: WorkRequest, failure: z.infer<typeof WorkFailure>): Promise<void> {
    if (await this.machine.failWork(req, failure)) await this.scheduleWebhook(0);
  }

  async attemptFailed(req: WorkRequest, attempts: number, reason: string): Promise<{ giveUp: boolean }> {
    const { giveUp, finished } = await this.machine.attemptFailed(req, attempts, reason, jobConfig(this.env).maxAttempts);
    if (finished) await this.scheduleWebhook(0);
    return { giveUp };
  }

  private async watchdog() {
    const { resend, nextCheckAt } = await this.machine.resendIfStalled(jobConfig(this.env).stallMs);
    if (resend.length > 0) {
      console.warn(`jobs: ${resend[0].jobId} has not moved for JOB_STALL_SECONDS; re-sending ${resend.map(stepKey).join(', ')}`);
      if (!this.env.JOB_QUEUE) throw new Error('JOB_QUEUE binding missing: cannot re-send stalled steps');
      await this.env.JOB_QUEUE.sendBatch(resend.map((body) => ({ body, contentType: 'json' as const })));
    }
    if (nextCheckAt !== null) await this.ctx.storage.setAlarm(nextCheckAt);
  }

  private async scheduleWebhook(delayMs: number) {
    const job = await this.machine.record();
    if (job?.webhook?.status === 'pending') await this.ctx.storage.setAlarm(Date.now() + delayMs);
  }

  /** While the job runs: the stall watchdog. Once it is final: webhook delivery, one attempt per alarm. */
  override async alarm(): Promise<void> {
    const job = await this.ctx.storage.get<JobRecord>(KEY);
    if (job && !isTerminal(job.state)) return this.watchdog();
    const hook = job?.webhook;
    if (!job || !hook || hook.status !== 'pending') return;
    const config = jobConfig(this.env);
    const { ok, permanent, ...attempt } = await deliverWebhook(hook, {
      secret: this.env.WEBHOOK_SECRET,
      jobId: job.id,
      allowInsecure: insecureFetchAllowed(this.env),
    });
    // Re-read: RPC calls may have run while the request was in flight.
    const fresh = (await this.ctx.storage.get<JobRecord>(KEY)) ?? job;
    const current = fresh.webhook ?? hook;
    current.attempts.push(attempt);
    if (ok) {
      current.status = 'delivered';
      delete current.nextAttemptAt;
    } else if (permanent || current.attempts.length >= config.webhookMaxAttempts) {
      current.status = 'failed';
      delete current.nextAttemptAt;
      console.error(`webhook for job ${job.id} gave up after ${current.attempts.length} attempt(s): ${attempt.error ?? attempt.status}`);
    } else {
      const at = Date.now() + webhookDelayMs(current.attempts.length, config.webhookBaseDelayMs);
      current.nextAttemptAt = new Date(at).toISOString();
      await this.ctx.storage.setAlarm(at);
    }
    fresh.webhook = current;
    await this.ctx.storage.put(KEY, fresh);
  }
}
