/**
 * Compile-time check (run by `npx tsc -p packages/sdk`, not by vitest): the SDK's hand-written types
 * equal what the worker's zod schemas infer.
 */
import type { z } from '@hono/zod-openapi';
import type { FacesResponseSchema } from '../../../src/schemas/faces.js';
import type { JobCreatedSchema, JobProgressSchema, JobStatusSchema } from '../../../src/schemas/jobs.js';
import type { ProblemSchema } from '../../../src/schemas/problem.js';
import type { SwapModel as ServerSwapModel } from '../../../src/schemas/swap.js';
import type { XrayResponseSchema } from '../../../src/schemas/xray.js';
import type { FacesResponse, JobCreated, JobProgress, JobStatus, Problem, SwapModel, XrayResponse } from '../src/index.js';

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type ProblemFields = Pick<Problem, 'type' | 'title' | 'status' | 'detail' | 'instance'>;
type ServerJob = z.infer<typeof JobStatusSchema>;

export type Checks = [
  Expect<Equal<FacesResponse, z.infer<typeof FacesResponseSchema>>>,
  Expect<Equal<XrayResponse, z.infer<typeof XrayResponseSchema>>>,
  Expect<Equal<ProblemFields, z.infer<typeof ProblemSchema>>>,
  Expect<Equal<JobCreated, z.infer<typeof JobCreatedSchema>>>,
  Expect<Equal<JobProgress, z.infer<typeof JobProgressSchema>>>,
  // `error` is the SDK's Problem (which also keeps extension members); the rest is exact.
  Expect<Equal<Omit<JobStatus, 'error'>, Omit<ServerJob, 'error'>>>,
  Expect<Equal<ProblemFields, NonNullable<ServerJob['error']>>>,
  Expect<Equal<SwapModel, ServerSwapModel>>,
];
