/**
 * Compile-time check (run by `npx tsc -p packages/sdk`, not by vitest): the SDK's hand-written types
 * equal what the worker's zod schemas infer.
 */
import type { z } from '@hono/zod-openapi';
import type { FacesResponseSchema } from '../../../src/schemas/faces.js';
import type { ProblemSchema } from '../../../src/schemas/problem.js';
import type { XrayResponseSchema } from '../../../src/schemas/xray.js';
import type { FacesResponse, Problem, XrayResponse } from '../src/index.js';

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type Checks = [
  Expect<Equal<FacesResponse, z.infer<typeof FacesResponseSchema>>>,
  Expect<Equal<XrayResponse, z.infer<typeof XrayResponseSchema>>>,
  Expect<Equal<Pick<Problem, 'type' | 'title' | 'status' | 'detail' | 'instance'>, z.infer<typeof ProblemSchema>>>,
];
