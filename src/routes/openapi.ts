/**
 * @module routes/openapi
 * OpenAPI fragments every route shares: problem responses and image request bodies.
 */
import { RAW_IMAGE_TYPES } from '../image/request.js';
import { ProblemSchema } from '../schemas/problem.js';

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Answer of every rate-limited route (src/middleware/rate-limit). */
export const rateLimitProblem = {
  429: problem('`rate-limited`: too many requests from this client address in the current window; `Retry-After` says when to try again'),
} as const;

/** Answer of the image routes when this isolate's line of waiting requests is full (src/middleware/isolate-gate). */
export const busyProblem = {
  503: problem('`busy`: the server is processing other images and its queue is full; `Retry-After` says when to try again'),
} as const;

/** The error answers of any route that takes an uploaded image. */
export const imageProblems = {
  400: problem('No image, an empty image, malformed multipart or JSON, invalid query, or an image URL that may not be fetched (`url-not-allowed`)'),
  413: problem('Too many bytes (MAX_IMAGE_BYTES, default 10 MiB) or pixels (MAX_IMAGE_PIXELS, default 25 MP; PNG and WebP over the analysis size are decoded whole and limited to MAX_WHOLE_DECODE_PIXELS, default 6 MP; a progressive JPEG\'s DCT coefficients get the same byte budget)'),
  415: problem('Content-Type or image format not supported (GIF, BMP, TIFF, HEIC, AVIF…)'),
  422: problem('Corrupt, truncated or animated image, or an image URL that could not be fetched (`fetch-failed`)'),
} as const;

// Plain OpenAPI schema objects, not zod: zod-openapi would otherwise parse the multipart body
// itself, before imageGuard can apply the byte limit while streaming.
const binary = (): { type: 'string'; format: 'binary' } => ({ type: 'string', format: 'binary' });

/** Request body: the image raw (`Content-Type: image/*` or `application/octet-stream`), as multipart file fields, or by URL in JSON. */
export function imageBody(fields: readonly string[] = ['image'], extra: Record<string, object> = {}) {
  const multipart = {
    type: 'object' as const,
    required: [...fields],
    properties: { ...Object.fromEntries(fields.map((f) => [f, binary()])), ...extra },
  };
  const raw: Record<string, { schema: ReturnType<typeof binary> }> =
    fields.length === 1 ? Object.fromEntries([...RAW_IMAGE_TYPES, 'application/octet-stream'].map((type) => [type, { schema: binary() }])) : {};
  const byUrl = {
    type: 'object' as const,
    required: fields.map((f) => `${f}Url`),
    properties: {
      ...Object.fromEntries(fields.map((f) => [`${f}Url`, {
        type: 'string' as const, format: 'uri',
        description: `The ${f} image by https URL, fetched by the server (SSRF rules as for job inputs; the same byte and pixel limits; 10 s)`,
      }])),
      ...extra,
    },
  };
  return { required: true, content: { ...raw, 'multipart/form-data': { schema: multipart }, 'application/json': { schema: byUrl } } };
}
