/**
 * @module routes
 * Every HTTP route the SDK calls, as frozen data. `Seamline` methods only reach the network through
 * these entries, and the OpenAPI coverage test compares them with the worker's `/openapi.json`.
 */
import type { Face, FacesResponse, JobCreated, JobProgress, JobStatus, ModelSummary, XrayFace, XrayResponse } from './types.js';

export type RouteSpec = {
  method: 'GET' | 'POST';
  /** OpenAPI path template (`{id}` for parameters). */
  path: string;
  /** The `Seamline` member that calls it (dotted for namespaces). */
  sdk: string;
  /** Safe to resend after a network error or 5xx (stateless). Non-idempotent routes only retry 429/503. */
  idempotent: boolean;
  /** Route still being built server-side; servers may answer 404. (None at present.) */
  provisional?: true;
};

/**
 * @example
 * import { ROUTES } from 'seamline';
 * ROUTES.faces; // { method: 'POST', path: '/v1/faces', sdk: 'faces', idempotent: true }
 */
export const ROUTES = Object.freeze({
  health: { method: 'GET', path: '/health', sdk: 'health', idempotent: true },
  imageInfo: { method: 'POST', path: '/v1/image-info', sdk: 'imageInfo', idempotent: true },
  faces: { method: 'POST', path: '/v1/faces', sdk: 'faces', idempotent: true },
  xray: { method: 'POST', path: '/v1/xray', sdk: 'xray', idempotent: true },
  swap: { method: 'POST', path: '/v1/swap', sdk: 'swap', idempotent: true },
  jobsCreate: { method: 'POST', path: '/v1/jobs', sdk: 'jobs.create', idempotent: false },
  jobsGet: { method: 'GET', path: '/v1/jobs/{id}', sdk: 'jobs.get', idempotent: true },
  jobsResult: { method: 'GET', path: '/v1/jobs/{id}/result', sdk: 'jobs.result', idempotent: true },
  models: { method: 'GET', path: '/v1/models', sdk: 'models', idempotent: true },
  modelCard: { method: 'GET', path: '/v1/models/{name}', sdk: 'modelCard', idempotent: true },
} as const satisfies Record<string, RouteSpec>);

export type RouteName = keyof typeof ROUTES;

/** Exactly the keys of T: fails to compile when a field is missing or extra. */
const fields = <T>() => <const K extends readonly (keyof T)[]>(keys: K & ([keyof T] extends [K[number]] ? unknown : never)) => keys;

/**
 * Response field names the SDK types read, per OpenAPI component schema. Type-checked to equal the
 * keys of the TS types, and checked at test time against the document's schemas.
 */
export const RESPONSE_FIELDS = Object.freeze({
  FacesResponse: fields<FacesResponse>()(['width', 'height', 'faces', 'truncated']),
  Face: fields<Face>()(['box', 'score', 'keypoints', 'landmarks', 'pose']),
  XrayResponse: fields<XrayResponse>()(['verdict', 'reason', 'score', 'threshold', 'model', 'faces', 'truncated', 'provenance']),
  XrayFace: fields<XrayFace>()(['box', 'score', 'label', 'peak', 'boundaryArea', 'boundaryMap', 'mapRegion']),
  JobCreated: fields<JobCreated>()(['id', 'state', 'statusUrl']),
  JobStatus: fields<JobStatus>()(['id', 'task', 'state', 'progress', 'error', 'result', 'webhook', 'createdAt', 'updatedAt']),
  JobProgress: fields<JobProgress>()(['framesDone', 'framesTotal', 'chunksDone', 'chunksTotal', 'percent', 'etaSeconds']),
  ModelSummary: fields<ModelSummary>()(['name', 'version', 'task', 'license', 'delivery', 'files']),
});

/** Fills `{param}` placeholders. */
export function routePath(route: RouteSpec, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (params[k] === undefined) throw new TypeError(`missing path parameter ${k} for ${route.path}`);
    return encodeURIComponent(params[k]);
  });
}
