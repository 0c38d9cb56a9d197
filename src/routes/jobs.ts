/**
 * @module routes/jobs
 * Video jobs (src/jobs/README.md): `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/result`.
 * The internal origin endpoints (routes/internal.ts) are mounted here too, outside the OpenAPI document.
 *
 * Auth: with `SEAMLINE_API_KEY` set, every job route needs `Authorization: Bearer <key>` (like /v1/swap).
 * Without it, `scan-video` jobs are open (their ids are unguessable UUIDs) and `swap-video` jobs are
 * refused with 403 `swap-disabled`, as /v1/swap is.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { assertDecodable, orientedSize, sniffImage } from '../image/sniff.js';
import { jobConfig, type JobConfig } from '../jobs/config.js';
import { sniffContainer } from '../jobs/container.js';
import { readJobForm, storeVideo, type JobForm } from '../jobs/upload.js';
import type { JobTask } from '../jobs/contract.js';
import { checkUrl, fetchProblem, insecureFetchAllowed, safeFetch, safeFetchStream } from '../lib/safe-fetch.js';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, jobIdForKey } from '../jobs/idempotency.js';
import { statusUrl, type JobStatus } from '../jobs/state.js';
import { artifactKey, coordinatorFor, inputKey, JOB_ID, requireJobBindings, sourceKey } from '../jobs/storage.js';
import { apiKey } from '../middleware/api-key/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { mediaTypeOf } from '../lib/media-type.js';
import { streamChunks } from '../lib/read-limited.js';
import { ProblemError } from '../problem.js';
import { CreateJobFieldsSchema, CreateJobJsonSchema, JobCreatedSchema, JobIdParamSchema, JobStatusSchema } from '../schemas/jobs.js';
import { internal } from './internal.js';
import { problem, rateLimitProblem } from './openapi.js';

const MULTIPART_OVERHEAD = 64 * 1024;
const requireKey = apiKey({ secret: 'SEAMLINE_API_KEY' });
/** Bearer key when SEAMLINE_API_KEY is set; open otherwise (swap creation is refused in the handler). */
const jobsAuth: MiddlewareHandler<AppEnv> = async function jobsAuth(c, next) {
  if (c.env?.SEAMLINE_API_KEY) return requireKey(c, next);
  await next();
};

const binary = { type: 'string' as const, format: 'binary' as const };
const jobProblems = {
  401: problem('SEAMLINE_API_KEY is set and the bearer key is missing or wrong'),
  503: problem('Job bindings are not configured on this server'),
  ...rateLimitProblem,
};
const limitCreate = rateLimit({ binding: 'SWAP_RATE_LIMIT' });
const limitRead = rateLimit({ binding: 'SCAN_RATE_LIMIT' });

const createJob = createRoute({
  method: 'post',
  path: '/v1/jobs',
  tags: ['jobs'],
  summary: 'Start a video job (scan or swap); answers 202 with a status URL',
  description:
    'Send the video as multipart (`video` file, `task`, and for swaps a `source` face image) or as JSON with URLs the edge fetches ' +
    '(https only, no private or internal hosts, at most 3 redirects). The edge only checks the container (MP4/MOV `ftyp`, MKV/WebM EBML, AVI RIFF) ' +
    'and the size (MAX_VIDEO_BYTES, default 100 MB); duration (MAX_VIDEO_SECONDS, 60) and frame size (MAX_VIDEO_PIXELS, 1920×1080) are checked ' +
    'when the origin probes the video, and a job over them fails with a 413 problem in `error`. With `callbackUrl` the final state is POSTed there ' +
    'with `Seamline-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` (verify with `verifySignature`), retried with backoff.',
  middleware: [limitCreate, jobsAuth] as const,
  request: {
    headers: z.object({
      [IDEMPOTENCY_HEADER.toLowerCase()]: z.string().optional().openapi({
        description: 'A fresh random key (8–255 visible ASCII characters; a UUID) per job. Sending the request again with the same key ' +
          'answers with the job the first one created (`Idempotent-Replayed: true`, its current `state`) instead of starting another, ' +
          'so a client may retry after a timeout or a dropped connection. The key names one job whatever the body sent with it.',
      }),
    }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['video', 'task'],
            properties: {
              video: binary,
              task: { type: 'string', enum: ['scan-video', 'swap-video'] },
              source: { ...binary, description: 'swap-video only: JPEG, PNG or WebP with the face to put in.' },
              sourceFace: { type: 'integer', minimum: 0, description: 'Which face of `source` (largest first). Default 0.' },
              callbackUrl: { type: 'string', format: 'uri', description: 'https URL that receives the signed webhook.' },
            },
          },
        },
        'application/json': {
          schema: {
            type: 'object',
            required: ['task', 'videoUrl'],
            properties: {
              task: { type: 'string', enum: ['scan-video', 'swap-video'] },
              videoUrl: { type: 'string', format: 'uri' },
              sourceUrl: { type: 'string', format: 'uri', description: 'swap-video only.' },
              sourceFace: { type: 'integer', minimum: 0 },
              callbackUrl: { type: 'string', format: 'uri' },
            },
          },
        },
      },
    },
  },
  responses: {
    202: { description: 'Accepted and queued (or, for a repeated Idempotency-Key, the job it created)', content: { 'application/json': { schema: JobCreatedSchema } } },
    400: problem('Missing or invalid fields, malformed body, a URL that is not allowed, or an unusable Idempotency-Key'),
    403: problem('swap-video without SEAMLINE_API_KEY configured on the server'),
    413: problem('Video over MAX_VIDEO_BYTES, or source image over MAX_IMAGE_BYTES / MAX_IMAGE_PIXELS'),
    415: problem('Not a supported video container (or source image format), or an unsupported Content-Type'),
    422: problem('A URL could not be fetched'),
    ...jobProblems,
  },
});

const getJob = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  tags: ['jobs'],
  summary: 'Job state, progress and ETA',
  middleware: [limitRead, jobsAuth] as const,
  request: { params: JobIdParamSchema },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: JobStatusSchema } } },
    404: problem('No such job'),
    ...jobProblems,
  },
});

const getResult = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/result',
  tags: ['jobs'],
  summary: 'The finished result (video or JSON report), streamed',
  middleware: [limitRead, jobsAuth] as const,
  request: { params: JobIdParamSchema },
  responses: {
    200: { description: 'The result file; its type is `result.contentType` of the job', content: { 'application/octet-stream': { schema: binary } } },
    404: problem('No such job, or the job has not succeeded (yet)'),
    ...jobProblems,
  },
});

/** `body` null: already stored at the job's input key (multipart uploads stream there). */
type Upload = { body: Blob | Uint8Array | null; head: Uint8Array; size: number };
type Parsed = { task: JobTask; video: Upload; source?: Upload; sourceFace: number; callbackUrl?: string };

export const jobs = new OpenAPIHono<AppEnv>()
  .openapi(createJob, async (c) => {
    const env = requireJobBindings(c.env);
    const key = idempotencyKeyOf(c.req.raw);
    const id = key === undefined ? crypto.randomUUID() : await jobIdForKey(key, c.req.header('authorization') ?? '');
    if (key !== undefined) {
      const existing = (await coordinatorFor(env, id).status()) as JobStatus | null;
      if (existing) {
        await c.req.raw.body?.cancel().catch(() => undefined); // the video was stored the first time
        return accepted(c, id, existing.state, { 'idempotent-replayed': 'true' });
      }
    }
    try {
      return await createJobWithId(c, env, id);
    } catch (error) {
      // A multipart video is stored while the body streams in: nothing of a refused job may stay behind,
      // unless a request racing with the same key created the job meanwhile (its input is at the same key).
      const createdMeanwhile = key !== undefined && (await coordinatorFor(env, id).status().catch(() => null));
      if (!createdMeanwhile) await env.JOBS.delete([inputKey(id), sourceKey(id)]).catch(() => {});
      throw error;
    }
  })
  .openapi(getJob, async (c) => {
    const env = requireJobBindings(c.env);
    const { id } = c.req.valid('param');
    const status = JOB_ID.test(id) ? ((await coordinatorFor(env, id).status()) as JobStatus | null) : null;
    if (!status) throw new ProblemError(404, 'job-not-found', `No job ${id}.`);
    return c.json(status, 200);
  })
  .openapi(getResult, async (c) => {
    const env = requireJobBindings(c.env);
    const { id } = c.req.valid('param');
    if (!JOB_ID.test(id)) throw new ProblemError(404, 'job-not-found', `No job ${id}.`);
    const coordinator = coordinatorFor(env, id);
    const result = await coordinator.resultArtifact();
    if (!result) {
      const status = (await coordinator.status()) as JobStatus | null;
      if (!status) throw new ProblemError(404, 'job-not-found', `No job ${id}.`);
      throw new ProblemError(404, 'result-not-ready', `Job ${id} is ${status.state}; the result exists once it has succeeded.`, { state: status.state });
    }
    const object = await env.JOBS.get(artifactKey(id, result.artifact));
    if (!object) throw new ProblemError(404, 'result-missing', `The result of job ${id} is no longer stored.`);
    return new Response(object.body, {
      status: 200,
      headers: {
        'content-type': result.contentType,
        'content-length': String(object.size),
        'content-disposition': `inline; filename="${result.artifact}"`,
        etag: object.httpEtag,
      },
    }) as never;
  });

jobs.route('/', internal);

/** The body of `POST /v1/jobs` once the job has an id (the multipart video is stored under it while parsing). */
async function createJobWithId(c: Context<AppEnv>, env: ReturnType<typeof requireJobBindings>, id: string) {
  const config = jobConfig(c.env);
  const allowInsecure = insecureFetchAllowed(c.env);
  const mediaType = mediaTypeOf(c.req.raw);
  const parsed =
    mediaType === 'multipart/form-data' ? await fromMultipart(c.req.raw, config, env.JOBS, inputKey(id))
    : mediaType === 'application/json' ? await fromJson(c.req.raw, config, allowInsecure, env.JOBS, inputKey(id))
    : unsupported(mediaType);

  if (parsed.task === 'swap-video' && !c.env?.SEAMLINE_API_KEY) {
    throw new ProblemError(403, 'swap-disabled', 'Face swapping is disabled on this server (no SEAMLINE_API_KEY is configured).');
  }
  if (parsed.callbackUrl) {
    try {
      checkUrl(parsed.callbackUrl, { allowInsecure });
    } catch (error) {
      throw new ProblemError(400, 'callback-url-not-allowed', `callbackUrl: ${(error as Error).message}`);
    }
  }
  if (parsed.video.size === 0) throw new ProblemError(400, 'missing-video', 'The video is empty (0 bytes).');
  if (parsed.video.size > config.maxVideoBytes) throw videoTooLarge(config.maxVideoBytes);
  const container = sniffContainer(parsed.video.head);
  if (!container) {
    throw new ProblemError(415, 'unsupported-video', 'Not a supported video container; send MP4/MOV, MKV/WebM or AVI.', { supported: ['mp4', 'mov', 'mkv', 'webm', 'avi'] });
  }
  if (parsed.task === 'swap-video') {
    if (!parsed.source) throw new ProblemError(400, 'missing-source', 'swap-video needs a `source` face image.');
    checkSourceImage(parsed.source, c.env?.MAX_IMAGE_PIXELS);
  }

  if (parsed.video.body) await env.JOBS.put(inputKey(id), parsed.video.body, { httpMetadata: { contentType: container.contentType } });
  if (parsed.task === 'swap-video' && parsed.source) {
    await env.JOBS.put(sourceKey(id), parsed.source.body, { httpMetadata: { contentType: sniffImage(parsed.source.head).mimeType } });
  }
  const baseUrl = new URL(c.req.url).origin;
  await coordinatorFor(env, id).create({
    id,
    task: parsed.task,
    baseUrl,
    ...(parsed.callbackUrl ? { callbackUrl: parsed.callbackUrl } : {}),
    sourceFace: parsed.sourceFace,
    input: { bytes: parsed.video.size, format: container.format, contentType: container.contentType, hasSource: parsed.task === 'swap-video' },
    limits: { maxVideoSeconds: config.maxVideoSeconds, maxVideoPixels: config.maxVideoPixels },
  });
  await env.JOB_QUEUE.send({ step: 'probe', jobId: id, task: parsed.task }, { contentType: 'json' });
  return accepted(c, id, 'queued');
}

/** The 202 that names job `id`: its state and status URL, also as `Location`. */
function accepted(c: Context<AppEnv>, id: string, state: JobStatus['state'], headers: Record<string, string> = {}) {
  const url = statusUrl(new URL(c.req.url).origin, id);
  return c.json({ id, state, statusUrl: url }, 202, { location: url, ...headers });
}

const normalizeTask = (task: string): JobTask => (task === 'swap' || task === 'swap-video' ? 'swap-video' : 'scan-video');
const videoTooLarge = (maxBytes: number) =>
  new ProblemError(413, 'video-too-large', `The video is larger than the limit of ${maxBytes} bytes (MAX_VIDEO_BYTES).`, { maxBytes });
const invalid = (issues: { path: PropertyKey[]; message: string }[]) =>
  new ProblemError(400, 'invalid-request', issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));

function unsupported(mediaType: string): never {
  throw new ProblemError(415, 'unsupported-media-type', `Content-Type ${mediaType || '(none)'} is not accepted; send multipart/form-data or application/json.`, {
    accepted: ['multipart/form-data', 'application/json'],
  });
}

/**
 * The multipart form, read as it streams in: the video goes to R2 at `videoKey` on the way (jobs/upload.ts),
 * never whole into the isolate. Validation happens after, in the same order as for JSON bodies.
 */
async function fromMultipart(request: Request, config: JobConfig, bucket: R2Bucket, videoKey: string): Promise<Parsed> {
  const contentType = request.headers.get('content-type') ?? '';
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new ProblemError(400, 'malformed-multipart', 'The Content-Type has no boundary parameter.');
  const limit = config.maxVideoBytes + config.maxImageBytes + MULTIPART_OVERHEAD;
  const declared = Number(request.headers.get('content-length'));
  if (request.headers.has('content-length') && Number.isFinite(declared) && declared > limit) throw videoTooLarge(config.maxVideoBytes);
  if (!request.body) throw new ProblemError(400, 'missing-video', 'The request body is empty.');
  // Count while the body streams, so a missing or lying Content-Length cannot exceed the limit.
  let total = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) controller.error(videoTooLarge(config.maxVideoBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  let form: JobForm;
  try {
    form = await readJobForm(counted, boundary[1] ?? boundary[2], bucket, videoKey, {
      maxVideoBytes: config.maxVideoBytes,
      maxImageBytes: config.maxImageBytes,
      videoTooLarge: () => videoTooLarge(config.maxVideoBytes),
      imageTooLarge: () => imageTooLarge(config.maxImageBytes),
    });
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError(400, 'malformed-multipart', `The multipart body is malformed: ${error instanceof Error ? error.message : 'unparseable'}.`);
  }
  const text = (name: string) => {
    const value = form.fields[name];
    return value !== undefined && value !== '' ? value : undefined;
  };
  const fields = CreateJobFieldsSchema.safeParse({ task: text('task'), sourceFace: text('sourceFace'), callbackUrl: text('callbackUrl') });
  if (!fields.success) throw invalid(fields.error.issues);
  const task = normalizeTask(fields.data.task);
  const notFile = (name: string) => new ProblemError(400, `missing-${name}`, `The multipart field "${name}" must be a file, not text.`, { field: name });
  if (form.video === undefined) throw new ProblemError(400, 'missing-video', 'The multipart body has no "video" file.', { field: 'video' });
  if (form.video === 'text') throw notFile('video');
  let source: Upload | undefined;
  if (task === 'swap-video' && form.source !== undefined) {
    if (form.source === 'text') throw notFile('source');
    // Source images are sniffed whole (EXIF may precede SOF).
    if (form.source.length > 0) source = { body: form.source, head: form.source, size: form.source.length };
  }
  return { task, video: { body: null, head: form.video.head, size: form.video.size }, source, sourceFace: fields.data.sourceFace ?? 0, callbackUrl: fields.data.callbackUrl };
}

async function fromJson(request: Request, config: JobConfig, allowInsecure: boolean, bucket: R2Bucket, videoKey: string): Promise<Parsed> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ProblemError(400, 'invalid-json', 'The request body is not valid JSON.');
  }
  const fields = CreateJobJsonSchema.safeParse(body);
  if (!fields.success) throw invalid(fields.error.issues);
  const task = normalizeTask(fields.data.task);
  const fetchInput = async (field: string, url: string, maxBytes: number, tooLarge: () => ProblemError): Promise<Upload> => {
    try {
      if (field === 'videoUrl') {
        // Streamed into storage as it downloads, like a multipart upload.
        const stored = await safeFetchStream(url, { maxBytes, allowInsecure }, (res) =>
          storeVideo(streamChunks(res.body), bucket, videoKey, { maxVideoBytes: maxBytes, videoTooLarge: tooLarge }));
        return { body: null, head: stored.head, size: stored.size };
      }
      const { bytes } = await safeFetch(url, { maxBytes, allowInsecure });
      return { body: bytes, head: bytes, size: bytes.byteLength };
    } catch (error) {
      throw fetchProblem(error, field, tooLarge);
    }
  };
  // Check every URL before fetching anything.
  for (const [field, url] of [['videoUrl', fields.data.videoUrl], ['sourceUrl', fields.data.sourceUrl], ['callbackUrl', fields.data.callbackUrl]] as const) {
    if (url === undefined) continue;
    try {
      checkUrl(url, { allowInsecure });
    } catch (error) {
      throw new ProblemError(400, field === 'callbackUrl' ? 'callback-url-not-allowed' : 'url-not-allowed', `${field}: ${(error as Error).message}`, { field });
    }
  }
  if (task === 'swap-video' && !fields.data.sourceUrl) throw new ProblemError(400, 'missing-source', 'swap-video needs `sourceUrl`.');
  const video = await fetchInput('videoUrl', fields.data.videoUrl, config.maxVideoBytes, () => videoTooLarge(config.maxVideoBytes));
  const source = task === 'swap-video' && fields.data.sourceUrl
    ? await fetchInput('sourceUrl', fields.data.sourceUrl, config.maxImageBytes, () => imageTooLarge(config.maxImageBytes))
    : undefined;
  return { task, video, source, sourceFace: fields.data.sourceFace ?? 0, callbackUrl: fields.data.callbackUrl };
}

const imageTooLarge = (maxBytes: number) =>
  new ProblemError(413, 'image-too-large', `The source image is larger than the limit of ${maxBytes} bytes (MAX_IMAGE_BYTES).`, { maxBytes });

function checkSourceImage(source: Upload, maxPixelsVar: string | undefined) {
  const info = sniffImage(source.head);
  assertDecodable(info);
  const { width, height } = orientedSize(info);
  const maxPixels = Number(maxPixelsVar) > 0 ? Number(maxPixelsVar) : 25_000_000;
  if (width * height > maxPixels) {
    throw new ProblemError(413, 'image-too-large', `The source image has ${width}×${height} pixels; the limit is ${maxPixels} (MAX_IMAGE_PIXELS).`, { maxPixels });
  }
}
