/**
 * @module routes/internal
 * Endpoints for origins only (src/jobs/contract.ts), behind `Authorization: Bearer ${ORIGIN_TOKEN}`
 * (constant-time compare) and left out of the public OpenAPI document (plain Hono, not OpenAPIHono):
 *
 *   GET /internal/jobs/:id/input             the video as uploaded
 *   GET /internal/jobs/:id/source            swap jobs: the source face image
 *   PUT /internal/jobs/:id/artifacts/:name   store a chunk output or the final result
 *   GET /internal/jobs/:id/artifacts/:name   read one back (assembling needs the chunks)
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { jobConfig } from '../jobs/config.js';
import { ARTIFACT_NAME, JOB_ID, artifactKey, coordinatorFor, inputKey, requireJobBindings, sourceKey } from '../jobs/storage.js';
import { keysEqual } from '../middleware/api-key/index.js';
import { ProblemError } from '../problem.js';

const originAuth: MiddlewareHandler<AppEnv> = async function originAuth(c, next) {
  const expected = c.env?.ORIGIN_TOKEN;
  if (!expected) throw new ProblemError(503, 'origin-token-missing', 'ORIGIN_TOKEN is not configured on this server.');
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
  if (!match || !(await keysEqual(match[1], expected))) {
    return new ProblemError(401, 'unauthorized', 'Origin endpoints need `Authorization: Bearer <ORIGIN_TOKEN>`.')
      .toResponse(new URL(c.req.url).pathname, { 'www-authenticate': 'Bearer realm="seamline-internal"' });
  }
  await next();
};

const jobIdOf = (id: string) => {
  if (!JOB_ID.test(id)) throw new ProblemError(404, 'job-not-found', `No job ${id}.`);
  return id;
};
const artifactNameOf = (name: string) => {
  if (!ARTIFACT_NAME.test(name) || name.includes('..')) throw new ProblemError(400, 'invalid-artifact-name', 'Artifact names are 1–128 characters of A–Z a–z 0–9 . _ - and start with a letter or digit.');
  return name;
};

async function serveObject(bucket: R2Bucket, key: string, what: string): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) throw new ProblemError(404, 'not-found', `${what} does not exist.`);
  const headers = new Headers({ 'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream', 'content-length': String(object.size), etag: object.httpEtag });
  return new Response(object.body, { status: 200, headers });
}

export const internal = new Hono<AppEnv>();
internal.use('/internal/*', originAuth);

internal.get('/internal/jobs/:id/input', async (c) => {
  const env = requireJobBindings(c.env);
  const id = jobIdOf(c.req.param('id'));
  return serveObject(env.JOBS, inputKey(id), `The input of job ${id}`);
});

internal.get('/internal/jobs/:id/source', async (c) => {
  const env = requireJobBindings(c.env);
  const id = jobIdOf(c.req.param('id'));
  return serveObject(env.JOBS, sourceKey(id), `A source image for job ${id}`);
});

internal.get('/internal/jobs/:id/artifacts/:name', async (c) => {
  const env = requireJobBindings(c.env);
  const id = jobIdOf(c.req.param('id'));
  const name = artifactNameOf(c.req.param('name'));
  return serveObject(env.JOBS, artifactKey(id, name), `Artifact ${name} of job ${id}`);
});

/**
 * Writing the same name again replaces it (a retried chunk rewrites its own artifact). Bodies with a
 * Content-Length stream straight into R2; others are buffered. Limit: 2 × MAX_VIDEO_BYTES.
 */
internal.put('/internal/jobs/:id/artifacts/:name', async (c) => {
  const env = requireJobBindings(c.env);
  const id = jobIdOf(c.req.param('id'));
  const name = artifactNameOf(c.req.param('name'));
  const { exists } = await coordinatorFor(env, id).exists();
  if (!exists) throw new ProblemError(404, 'job-not-found', `No job ${id}.`);
  const limit = 2 * jobConfig(c.env).maxVideoBytes;
  const contentType = c.req.header('content-type') ?? 'application/octet-stream';
  const declared = c.req.header('content-length');
  const tooLarge = () => new ProblemError(413, 'artifact-too-large', `Artifacts are limited to ${limit} bytes.`, { maxBytes: limit });
  let body: ReadableStream | ArrayBuffer;
  if (declared !== undefined && /^\d+$/.test(declared)) {
    if (Number(declared) > limit) throw tooLarge();
    body = c.req.raw.body ?? new ArrayBuffer(0);
  } else {
    const buffer = await c.req.raw.arrayBuffer();
    if (buffer.byteLength > limit) throw tooLarge();
    body = buffer;
  }
  const object = await env.JOBS.put(artifactKey(id, name), body, { httpMetadata: { contentType } });
  return c.json({ name, size: object?.size ?? 0, etag: object?.etag ?? null }, 201);
});
