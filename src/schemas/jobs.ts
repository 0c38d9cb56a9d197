import { z } from '@hono/zod-openapi';
import { ProblemSchema } from './problem.js';

export const JobIdParamSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: 'Job id (a UUID) from `POST /v1/jobs`.' }),
});

export const JobTaskSchema = z.enum(['swap-video', 'scan-video']).openapi('JobTask', {
  description: '`scan-video`: Face X-Ray over the frames; `swap-video`: put the `source` face into every frame.',
});

export const JobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed']).openapi('JobState');

export const JobCreatedSchema = z
  .object({
    id: z.string(),
    state: JobStateSchema.openapi({ description: '`queued` for a new job; a replay (same `Idempotency-Key`) gives the job\'s current state.' }),
    statusUrl: z.string().openapi({ description: 'Poll this (GET) for progress.' }),
  })
  .openapi('JobCreated');

export const JobProgressSchema = z
  .object({
    framesDone: z.number().int(),
    framesTotal: z.number().int().openapi({ description: '0 until the origin has probed the video.' }),
    chunksDone: z.number().int(),
    chunksTotal: z.number().int(),
    percent: z.number().int().min(0).max(100).openapi({ description: 'Probe 5 %, chunks 90 % (by frames), assembly 5 %. Never decreases.' }),
    etaSeconds: z.number().int().nullable().openapi({ description: 'From the chunk timings; null until the first chunk is done, while assembling and after failure.' }),
  })
  .openapi('JobProgress');

export const JobStatusSchema = z
  .object({
    id: z.string(),
    task: JobTaskSchema,
    state: JobStateSchema,
    progress: JobProgressSchema,
    error: ProblemSchema.optional().openapi({ description: 'Why the job failed (problem details; `status` 413 for limits, 422 for unusable input, 503 when the origin stayed unavailable).' }),
    result: z
      .object({
        url: z.string().openapi({ description: '`GET` it for the result file.' }),
        contentType: z.string(),
        summary: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Task summary from the origin (e.g. scan verdict per video).' }),
      })
      .optional(),
    webhook: z
      .object({
        status: z.enum(['pending', 'delivered', 'failed']),
        attempts: z.array(z.object({ at: z.string(), status: z.number().int().optional(), error: z.string().optional() })),
      })
      .optional()
      .openapi({ description: 'Only when the job has a `callbackUrl`: delivery attempts so far.' }),
    createdAt: z.string().openapi({ description: 'ISO 8601.' }),
    updatedAt: z.string(),
  })
  .openapi('JobStatus');

/** JSON form of `POST /v1/jobs` (the multipart form carries the files themselves). */
export const CreateJobJsonSchema = z.object({
  task: z.enum(['swap-video', 'scan-video', 'swap', 'scan']),
  videoUrl: z.string().url(),
  sourceUrl: z.string().url().optional(),
  sourceFace: z.coerce.number().int().min(0).max(15).optional(),
  callbackUrl: z.string().url().optional(),
});

export const CreateJobFieldsSchema = z.object({
  task: z.enum(['swap-video', 'scan-video', 'swap', 'scan']),
  sourceFace: z.coerce.number().int().min(0).max(15).optional(),
  callbackUrl: z.string().url().optional(),
});
