/**
 * @module jobs/storage
 * R2 layout of the `JOBS` bucket and the binding checks the job routes share.
 *
 *   jobs/<id>/input              the uploaded or fetched video
 *   jobs/<id>/source             swap only: the source face image
 *   jobs/<id>/artifacts/<name>   chunk outputs and the final result, written by the origin
 */
import type { Bindings } from '../env.js';
import { ProblemError } from '../problem.js';
import type { JobCoordinator } from './coordinator.js';
import type { WorkRequest } from './contract.js';

export const inputKey = (id: string) => `jobs/${id}/input`;
export const sourceKey = (id: string) => `jobs/${id}/source`;
export const artifactKey = (id: string, name: string) => `jobs/${id}/artifacts/${name}`;

/** Job ids are UUIDs made by the edge. */
export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Artifact names: `chunk-0003.json`, `result.mp4`… (no slashes, no leading dot). */
export const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export type JobBindings = {
  JOBS: R2Bucket;
  JOBS_DO: DurableObjectNamespace<JobCoordinator>;
  JOB_QUEUE: Queue<WorkRequest>;
};

/** The job bindings, or a 503 problem when this deployment has none (wrangler.toml without them). */
export function requireJobBindings(env: Bindings | undefined): JobBindings {
  if (!env?.JOBS || !env.JOBS_DO || !env.JOB_QUEUE) {
    throw new ProblemError(503, 'jobs-unavailable', 'Video jobs are not configured on this server (JOBS, JOBS_DO and JOB_QUEUE bindings).');
  }
  return { JOBS: env.JOBS, JOBS_DO: env.JOBS_DO, JOB_QUEUE: env.JOB_QUEUE };
}

export const coordinatorFor = (env: JobBindings, id: string) => env.JOBS_DO.get(env.JOBS_DO.idFromName(id));
