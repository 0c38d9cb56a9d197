/**
 * @module jobs/consumer
 * Queue consumer for `seamline-jobs`. Per message (a WorkRequest):
 *
 * 1. ask the job's Durable Object whether to run it (`begin`): a finished job or an already recorded
 *    step is acked without calling the origin (after re-sending follow-ups it never confirmed);
 * 2. `POST {ORIGIN_URL}/work` with `Authorization: Bearer ORIGIN_TOKEN`, `Seamline-Edge-Url` and a timeout;
 * 3. 200 → validate the WorkResult against the contract, record it in the DO, enqueue the messages the
 *    DO returns, confirm, ack; 422 → WorkFailure, the job fails, ack;
 * 4. anything else (network error, timeout, 5xx, 4xx ≠ 422, invalid result, DO or queue error) →
 *    `retry({ delaySeconds })` with exponential backoff, until the DO says the step has failed too often.
 *
 * A message is acked only once its outcome is stored in the DO, so none is lost.
 */
import type { Bindings } from '../env.js';
import { jobConfig, retryDelaySeconds, type JobConfig } from './config.js';
import { WorkFailure, WorkRequest, WorkResult } from './contract.js';
import type { BeginOutcome, RecordOutcome } from './machine.js';
import { stepKey } from './state.js';

/** What the consumer needs from a job's coordinator (the DO stub, or a fake in unit tests). */
export type CoordinatorApi = {
  begin(req: WorkRequest, attempts: number): Promise<BeginOutcome>;
  record(req: WorkRequest, result: WorkResult): Promise<RecordOutcome>;
  confirm(key: string): Promise<void>;
  fail(req: WorkRequest, failure: { error: string; detail: string }): Promise<void>;
  attemptFailed(req: WorkRequest, attempts: number, reason: string): Promise<{ giveUp: boolean }>;
};

export type ConsumerDeps = {
  config: JobConfig;
  originToken: string;
  /** Overrides the job's base URL in `Seamline-Edge-Url` (env EDGE_URL). */
  edgeUrl?: string;
  coordinator(jobId: string): CoordinatorApi;
  send(messages: WorkRequest[]): Promise<void>;
  fetchImpl?: typeof fetch;
};

export type MessageLike = Pick<Message<unknown>, 'body' | 'attempts' | 'ack' | 'retry' | 'id'>;

export type Outcome = 'done' | 'skipped' | 'failed' | 'retry' | 'dropped';

/**
 * @example
 * export default { fetch: app.fetch, queue: consumeJobs };
 */
export async function consumeJobs(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const deps = consumerDeps(env);
  for (const message of batch.messages) await handleMessage(message, deps);
}

export function consumerDeps(env: Bindings): ConsumerDeps {
  const { JOBS_DO, JOB_QUEUE } = env;
  if (!JOBS_DO || !JOB_QUEUE) throw new Error('JOBS_DO and JOB_QUEUE bindings are required by the job consumer');
  return {
    config: jobConfig(env),
    originToken: env.ORIGIN_TOKEN ?? '',
    edgeUrl: env.EDGE_URL?.replace(/\/+$/, '') || undefined,
    coordinator: (jobId) => JOBS_DO.get(JOBS_DO.idFromName(jobId)) as unknown as CoordinatorApi,
    send: async (messages) => {
      if (messages.length > 0) await JOB_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: 'json' as const })));
    },
  };
}

/** Handles one delivery; always ends in exactly one `ack()` or `retry()`. */
export async function handleMessage(message: MessageLike, deps: ConsumerDeps): Promise<Outcome> {
  const parsed = WorkRequest.safeParse(message.body);
  if (!parsed.success) {
    // Can never succeed: a message we did not produce. Log it and drop it rather than retry forever.
    console.error(`jobs: dropping malformed message ${message.id}: ${parsed.error.message}`);
    message.ack();
    return 'dropped';
  }
  const req = parsed.data;
  const key = stepKey(req);
  const { config } = deps;
  const retry = (reason: string): Outcome => {
    const delaySeconds = retryDelaySeconds(message.attempts, config);
    console.warn(`jobs: ${req.jobId} ${key} attempt ${message.attempts} failed (${reason}); retry in ${delaySeconds}s`);
    message.retry({ delaySeconds });
    return 'retry';
  };
  const coordinator = deps.coordinator(req.jobId);

  try {
    const begin = await coordinator.begin(req, message.attempts);
    if (begin.action === 'skip') {
      if (begin.resend.length > 0) {
        await deps.send(begin.resend);
        await coordinator.confirm(key);
      }
      message.ack();
      return 'skipped';
    }

    let res: Response;
    try {
      res = await (deps.fetchImpl ?? fetch)(`${config.originUrl}/work`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${deps.originToken}`,
          'seamline-edge-url': deps.edgeUrl ?? begin.baseUrl,
        },
        body: JSON.stringify(req),
        signal: AbortSignal.timeout(config.originTimeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `origin timed out after ${config.originTimeoutMs} ms`
        : `origin unreachable: ${error instanceof Error ? error.message : String(error)}`;
      return await failedAttempt(coordinator, req, message, reason, retry);
    }

    if (res.status === 422) {
      const body = await res.json().catch(() => null);
      const failure = WorkFailure.safeParse(body);
      await coordinator.fail(req, failure.success ? failure.data : { error: 'work-failed', detail: `origin answered 422 to ${key}` });
      message.ack();
      return 'failed';
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      return await failedAttempt(coordinator, req, message, `origin answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, retry);
    }
    const result = WorkResult.safeParse(await res.json().catch(() => undefined));
    if (!result.success) {
      return await failedAttempt(coordinator, req, message, `invalid WorkResult: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, retry);
    }

    let outcome: RecordOutcome;
    try {
      outcome = await coordinator.record(req, result.data);
    } catch (error) {
      // ContractError (result does not fit the request) comes back over RPC as a plain Error.
      if (error instanceof Error && /ContractError|origin answered|not one of the probed|not a frame range/.test(`${error.name} ${error.message}`)) {
        return await failedAttempt(coordinator, req, message, `contract violation: ${error.message}`, retry);
      }
      throw error;
    }
    if (outcome.next.length > 0) {
      await deps.send(outcome.next);
      await coordinator.confirm(key);
    }
    message.ack();
    return 'done';
  } catch (error) {
    // DO or queue unavailable: nothing was lost, try the whole message again later.
    return retry(`edge error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function failedAttempt(
  coordinator: CoordinatorApi,
  req: WorkRequest,
  message: MessageLike,
  reason: string,
  retry: (reason: string) => Outcome,
): Promise<Outcome> {
  const { giveUp } = await coordinator.attemptFailed(req, message.attempts, reason);
  if (giveUp) {
    console.error(`jobs: ${req.jobId} ${stepKey(req)} failed for good after ${message.attempts} attempt(s): ${reason}`);
    message.ack();
    return 'failed';
  }
  return retry(reason);
}
