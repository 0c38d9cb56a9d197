/**
 * @module jobs/contract
 * The wire contract between the edge (job API, Durable Object, queue consumer) and GPU/CPU origins.
 * Both sides import these schemas; nothing else is shared between them.
 *
 * Flow: POST /v1/jobs stores the input in R2 and enqueues `{jobId, step: 'probe'}`. The worker's queue
 * consumer hands each message to an origin as `POST {ORIGIN_URL}/work` (WorkRequest, bearer ORIGIN_TOKEN).
 * The origin reads inputs from the edge (`GET /internal/jobs/:id/input`, `/internal/jobs/:id/source`), writes
 * outputs to the edge (`PUT /internal/jobs/:id/artifacts/:name`), and answers with a WorkResult. The consumer
 * records the result in the job's Durable Object, which decides the next messages: probe → one `chunk`
 * message per frame range → `assemble` once every chunk is recorded. A failed or unreachable origin makes the
 * consumer `retry()` the message with backoff, so a killed origin resumes at the first unfinished chunk;
 * duplicate deliveries are idempotent (the DO ignores results it already has; artifacts are keyed by chunk).
 */
import { z } from 'zod';

export const JobTask = z.enum(['swap-video', 'scan-video']);
export type JobTask = z.infer<typeof JobTask>;

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type JobState = z.infer<typeof JobState>;

export const WorkRequest = z.discriminatedUnion('step', [
  z.object({ step: z.literal('probe'), jobId: z.string(), task: JobTask }),
  z.object({
    step: z.literal('chunk'),
    jobId: z.string(),
    task: JobTask,
    chunk: z.object({ index: z.number().int().min(0), startFrame: z.number().int().min(0), endFrame: z.number().int().min(1) }),
    /** Swap only: which face of the source image to use (largest first). */
    sourceFace: z.number().int().min(0).default(0),
  }),
  z.object({ step: z.literal('assemble'), jobId: z.string(), task: JobTask, chunks: z.number().int().min(1) }),
]);
export type WorkRequest = z.infer<typeof WorkRequest>;

export const ProbeResult = z.object({
  step: z.literal('probe'),
  frames: z.number().int().min(1),
  fps: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  durationSeconds: z.number().positive(),
  hasAudio: z.boolean(),
  /** Frame ranges the edge should enqueue, [startFrame, endFrame). */
  chunks: z.array(z.tuple([z.number().int(), z.number().int()])).min(1),
});

export const ChunkResult = z.object({
  step: z.literal('chunk'),
  index: z.number().int(),
  framesDone: z.number().int(),
  /** Artifact written to the edge for this chunk, e.g. `chunk-0003.json` (scan) or `chunk-0003.mkv` (swap). */
  artifact: z.string(),
  seconds: z.number(),
});

export const AssembleResult = z.object({
  step: z.literal('assemble'),
  /** Final artifact name, e.g. `result.mp4` or `result.json`. */
  artifact: z.string(),
  contentType: z.string(),
  summary: z.record(z.string(), z.unknown()).optional(),
});

export const WorkResult = z.discriminatedUnion('step', [ProbeResult, ChunkResult, AssembleResult]);
export type WorkResult = z.infer<typeof WorkResult>;

/** A job failed for good (corrupt input, limits): the origin answers 422 with this body; the edge does not retry. */
export const WorkFailure = z.object({ error: z.string(), detail: z.string() });
