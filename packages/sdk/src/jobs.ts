/**
 * @module jobs
 * Video jobs: create, read, and poll until done with progress callbacks.
 */
import { SeamlineError } from './errors.js';
import type { Transport } from './http.js';
import { fileName, toBlob, type BinaryInput } from './input.js';
import { ROUTES, routePath } from './routes.js';
import type { Job, JobTask, SwapModel } from './types.js';

export type CreateJobOptions = {
  /** The video to process. */
  video: BinaryInput;
  /** `swap` puts `source`'s face into the video; `scan` runs Face X-Ray over its frames. */
  task: JobTask;
  /** Face image for `task: 'swap'`. */
  source?: BinaryInput;
  model?: SwapModel;
  signal?: AbortSignal;
};

export type WaitOptions = {
  /** Called after every poll whose state or progress changed. */
  onProgress?: (job: Job) => void;
  /** Poll interval in ms. Default 1000. */
  intervalMs?: number;
  signal?: AbortSignal;
};

/** States after which a job never changes. */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['succeeded', 'completed', 'done', 'failed', 'canceled', 'cancelled']);
const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'canceled', 'cancelled']);

export class Jobs {
  constructor(private readonly transport: Transport) {}

  /**
   * @example
   * const job = await client.jobs.create({ video: 'clip.mp4', task: 'scan' });
   */
  async create({ video, task, source, model, signal }: CreateJobOptions): Promise<Job> {
    const form = new FormData();
    form.set('task', task);
    form.set('video', await toBlob(video), fileName(video, 'video'));
    if (source !== undefined) form.set('source', await toBlob(source), fileName(source, 'source'));
    if (model) form.set('model', model);
    const res = await this.transport.send({ route: ROUTES.jobsCreate, path: routePath(ROUTES.jobsCreate), body: form, signal });
    return (await res.json()) as Job;
  }

  /**
   * @example
   * const { state, progress } = await client.jobs.get(id);
   */
  async get(id: string, options: { signal?: AbortSignal } = {}): Promise<Job> {
    const res = await this.transport.send({ route: ROUTES.jobsGet, path: routePath(ROUTES.jobsGet, { id }), signal: options.signal });
    return (await res.json()) as Job;
  }

  /**
   * Polls until the job reaches a terminal state. Resolves with the finished job; rejects with a
   * `SeamlineError` carrying the job's problem when it failed or was canceled.
   *
   * @example
   * const done = await client.jobs.wait(job.id, {
   *   onProgress: ({ progress }) => console.log(`${progress.done}/${progress.total}, ~${progress.etaSeconds}s left`),
   * });
   */
  async wait(id: string, { onProgress, intervalMs = 1000, signal }: WaitOptions = {}): Promise<Job> {
    let last = '';
    for (;;) {
      const job = await this.get(id, { signal });
      const key = JSON.stringify([job.state, job.progress]);
      if (key !== last) {
        last = key;
        onProgress?.(job);
      }
      if (TERMINAL_STATES.has(job.state)) {
        if (FAILED_STATES.has(job.state)) {
          throw new SeamlineError(job.error ?? { type: `job-${job.state}`, title: `Job ${job.state}`, status: 0, detail: `job ${id} ${job.state}` });
        }
        return job;
      }
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(resolve, intervalMs);
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
      });
    }
  }
}
