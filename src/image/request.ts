/**
 * @module
 * Reading an uploaded image from a Hono request, with limits enforced while the body streams in.
 *
 * Accepted bodies:
 * - raw: `Content-Type: image/jpeg | image/png | image/webp` (the bytes' magic, not the declared type,
 *   picks the codec);
 * - `multipart/form-data` with the image in a file field (default `image`; routes that take two
 *   images read `source` and `target` from the same body, which is parsed once per request);
 * - `application/octet-stream`, for clients that cannot name the type: raw, like `image/*`;
 * - `application/json` naming the image by URL in `<field>Url` (`{"imageUrl": "https://…"}`; the swap
 *   route's `sourceUrl` and `targetUrl`), fetched under lib/safe-fetch's SSRF rules with the same byte limit.
 *
 * Status codes: no body / zero bytes / missing or non-file field → 400 `missing-image`; malformed
 * multipart → 400 `malformed-multipart`; other content types → 415 `unsupported-media-type`;
 * too many bytes → 413 `image-too-large` (a declared Content-Length over the limit is refused before
 * reading; the limit is also counted while streaming, since Content-Length may lie or be absent);
 * then everything `decodeImage` throws (413 pixels, 415 format, 422 corrupt/animated). By URL: invalid
 * JSON → 400 `invalid-json`, no `<field>Url` → 400 `missing-image`, a refused URL → 400 `url-not-allowed`,
 * a failed or timed-out fetch → 422 `fetch-failed`.
 */
import type { Context } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import type { RgbaImage } from '../pipeline/types.js';
import { mediaTypeOf } from '../lib/media-type.js';
import { readBodyWithin } from '../lib/read-limited.js';
import { fetchProblem, insecureFetchAllowed, safeFetch } from '../lib/safe-fetch.js';
import { ProblemError } from '../problem.js';
import { DEFAULT_MAX_PIXELS, decodeImageWithInfo } from './decode.js';
import { orientedSize, type ImageInfo } from './sniff.js';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Raw-body media types; `image/jpg` is a common misspelling and is accepted too. */
export const RAW_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
const OCTET_STREAM = 'application/octet-stream';
const RAW_TYPES = new Set<string>([...RAW_IMAGE_TYPES, 'image/jpg', OCTET_STREAM]);
const MULTIPART = 'multipart/form-data';
const JSON_TYPE = 'application/json';
/** Every request media type an image route takes. */
export const IMAGE_REQUEST_TYPES = [...RAW_IMAGE_TYPES, OCTET_STREAM, MULTIPART, JSON_TYPE] as const;
/** A JSON body only names URLs and options: anything near this size is not one. */
const MAX_JSON_BODY_BYTES = 16 * 1024;
/** An image by URL must arrive well inside the isolate's turn (src/middleware/isolate-gate leases 30 s). */
const IMAGE_FETCH_TIMEOUT_MS = 10_000;

/** Whether a media type is a raw image body (the bytes' magic picks the codec, not this type). */
export const isRawImageType = (mediaType: string): boolean => RAW_TYPES.has(mediaType);
/** Room for boundaries, part headers and small text fields in a multipart body. */
const MULTIPART_OVERHEAD = 64 * 1024;

export type ImageInputOptions = {
  /** Multipart field holding the image. Default `image`. */
  field?: string;
  /** Largest image file in bytes. Default: env `MAX_IMAGE_BYTES`, else 10 MiB. */
  maxBytes?: number;
  /** Largest width × height. Default: env `MAX_IMAGE_PIXELS`, else 25 MP. */
  maxPixels?: number;
  /** Largest whole multipart body. Default 2 × maxBytes + 64 KiB (room for `source` + `target`). */
  maxBodyBytes?: number;
  /**
   * Decode at full size even when the image is over the analysis size: only for pixels that are handed
   * back (the swap target), which then must not exceed env `MAX_FULL_SIZE_PIXELS` (default 3 MP; 413 over it).
   * Default false: `image` is at most env `MAX_ANALYSIS_PIXELS`, else 2 MP.
   */
  fullSize?: boolean;
};

/** An uploaded image: its bytes, header info and upright RGBA pixels. */
export type ImageInput = {
  field: string;
  bytes: Uint8Array;
  info: ImageInfo;
  /** The pixels, upright; scaled down by `scale` when the upload is larger than the analysis size. */
  image: RgbaImage;
  /** `image` pixels per uploaded pixel (1 at full size): uploaded coordinates = image coordinates / scale. */
  scale: number;
  /** The uploaded image's display size (after EXIF orientation), whatever `scale` is. */
  size: { width: number; height: number };
};

type ImageContext = Pick<Context<AppEnv>, 'req' | 'env'>;

/**
 * Default analysis size (2 MP): what detection, landmarks and X-ray see of a larger upload. It keeps a
 * request's pixels (decoded copy, kernel arena) around 8 MB each beside onnxruntime's ~40 MB, inside the
 * 128 MB isolate; a 25 MP photo at full size would need ~100 MB per copy.
 */
export const DEFAULT_MAX_ANALYSIS_PIXELS = 2_000_000;

/**
 * Default limit for images kept at full size (the swap target, 3 MP): in, out, kernel arena and codec
 * heaps each hold ~4 bytes per pixel of it, beside onnxruntime's 23–40 MB.
 */
export const DEFAULT_MAX_FULL_SIZE_PIXELS = 3_000_000;

/**
 * Default limit for PNG and WebP over the analysis size (6 MP): they are decoded whole before being
 * scaled down, ~8 bytes per pixel at the peak (codec heap and the JS copy).
 */
export const DEFAULT_MAX_WHOLE_DECODE_PIXELS = 6_000_000;

export type ImageLimits = { maxBytes: number; maxPixels: number; maxAnalysisPixels: number; maxFullSizePixels: number; maxWholeDecodePixels: number };

/** The image limits from the worker vars, falling back to the defaults for absent or invalid values. */
export function imageLimits(env: Partial<Bindings> | undefined): ImageLimits {
  return {
    maxBytes: positiveInt(env?.MAX_IMAGE_BYTES) ?? DEFAULT_MAX_BYTES,
    maxPixels: positiveInt(env?.MAX_IMAGE_PIXELS) ?? DEFAULT_MAX_PIXELS,
    maxAnalysisPixels: positiveInt(env?.MAX_ANALYSIS_PIXELS) ?? DEFAULT_MAX_ANALYSIS_PIXELS,
    maxFullSizePixels: positiveInt(env?.MAX_FULL_SIZE_PIXELS) ?? DEFAULT_MAX_FULL_SIZE_PIXELS,
    maxWholeDecodePixels: positiveInt(env?.MAX_WHOLE_DECODE_PIXELS) ?? DEFAULT_MAX_WHOLE_DECODE_PIXELS,
  };
}

/**
 * Reads, checks and decodes the uploaded image.
 *
 * @example
 * app.post('/v1/swap', async (c) => {
 *   const source = await readImageInput(c, { field: 'source' });
 *   const target = await readImageInput(c, { field: 'target' });
 * });
 */
export async function readImageInput(c: ImageContext, options: ImageInputOptions = {}): Promise<ImageInput> {
  const limits = imageLimits(c.env);
  const { bytes, field } = await readImageBytes(c, options);
  const { image, info, scale } = await decodeImageWithInfo(bytes, {
    maxPixels: options.maxPixels ?? (options.fullSize ? Math.min(limits.maxPixels, limits.maxFullSizePixels) : limits.maxPixels),
    maxDecodedPixels: options.fullSize ? undefined : limits.maxAnalysisPixels,
    maxWholePixels: limits.maxWholeDecodePixels,
  });
  return { field, bytes, info, image, scale, size: orientedSize(info) };
}

/** The upload's bytes only (size-limited, not decoded). */
export async function readImageBytes(c: ImageContext, options: ImageInputOptions = {}): Promise<{ bytes: Uint8Array; field: string }> {
  const field = options.field ?? 'image';
  const maxBytes = options.maxBytes ?? imageLimits(c.env).maxBytes;
  const request = c.req.raw;
  const contentType = c.req.header('content-type') ?? '';
  const mediaType = mediaTypeOf(request);

  if (mediaType === MULTIPART) {
    const form = await multipartOf(request, contentType, options.maxBodyBytes ?? 2 * maxBytes + MULTIPART_OVERHEAD);
    const value = form.get(field);
    if (value === null) throw missing(`The multipart body has no "${field}" field.`, field);
    if (typeof value === 'string') throw missing(`The multipart field "${field}" must be a file, not text.`, field);
    if (value.size > maxBytes) throw tooLarge(maxBytes);
    const bytes = new Uint8Array(await value.arrayBuffer());
    if (bytes.length === 0) throw missing(`The multipart field "${field}" is an empty file.`, field);
    return { bytes, field };
  }
  if (RAW_TYPES.has(mediaType)) {
    const bytes = await readLimited(request, maxBytes);
    if (bytes.length === 0) throw missing('The request body is empty.', field);
    return { bytes, field };
  }
  if (mediaType === JSON_TYPE) {
    const key = `${field}Url`;
    const url = (await jsonOf(request))[key];
    if (url === undefined || url === null || url === '') throw missing(`The JSON body has no "${key}".`, field);
    if (typeof url !== 'string') throw new ProblemError(400, 'invalid-request', `${key}: expected a URL string.`, { field: key });
    try {
      const { bytes } = await safeFetch(url, { maxBytes, allowInsecure: insecureFetchAllowed(c.env ?? {}), timeoutMs: IMAGE_FETCH_TIMEOUT_MS });
      if (bytes.length === 0) throw missing(`${key} answered with an empty body.`, field);
      return { bytes, field };
    } catch (error) {
      throw fetchProblem(error, key, () => tooLarge(maxBytes));
    }
  }
  if (!mediaType && !(await hasBody(request))) throw missing('No image was sent.', field);
  throw new ProblemError(
    415,
    'unsupported-media-type',
    `${mediaType ? `Content-Type ${mediaType} is not accepted` : 'Content-Type is missing'}; send the image as ${RAW_IMAGE_TYPES.join(', ')} ` +
      `or ${OCTET_STREAM}, as ${MULTIPART}, or by URL as ${JSON_TYPE}.`,
    { accepted: [...IMAGE_REQUEST_TYPES] },
  );
}

const jsons = new WeakMap<Request, Promise<Record<string, unknown>>>();

/** The JSON body `readImageInput` already parsed for this request (URLs and options), or undefined. */
export function parsedJson(request: Request): Promise<Record<string, unknown>> | undefined {
  return jsons.get(request);
}

/** Parses a JSON object body once per request (a route may read several URL fields and options from it), size-limited. */
function jsonOf(request: Request): Promise<Record<string, unknown>> {
  let parsed = jsons.get(request);
  if (!parsed) {
    parsed = (async () => {
      const body = await readBodyWithin(request, MAX_JSON_BODY_BYTES, () =>
        new ProblemError(413, 'body-too-large', `A JSON body names images by URL and must stay under ${MAX_JSON_BODY_BYTES} bytes.`, { maxBytes: MAX_JSON_BODY_BYTES }));
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder().decode(body));
      } catch {
        throw new ProblemError(400, 'invalid-json', 'The request body is not valid JSON.');
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProblemError(400, 'invalid-json', 'The JSON body must be an object.');
      return value as Record<string, unknown>;
    })();
    jsons.set(request, parsed);
  }
  return parsed;
}

const forms = new WeakMap<Request, Promise<FormData>>();

/**
 * The multipart body `readImageInput` already parsed (and size-limited) for this request, so routes
 * can read its text fields without reading the body again; undefined when none was parsed.
 */
export function parsedMultipart(request: Request): Promise<FormData> | undefined {
  return forms.get(request);
}

/** Parses the multipart body once per request (so several fields can be read), size-limited. */
function multipartOf(request: Request, contentType: string, maxBodyBytes: number): Promise<FormData> {
  let form = forms.get(request);
  if (!form) {
    form = (async () => {
      if (!/;\s*boundary=/i.test(contentType)) throw malformed('the Content-Type has no boundary parameter');
      const body = await readLimited(request, maxBodyBytes);
      if (body.length === 0) throw missing('The request body is empty.', 'image');
      try {
        return await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
      } catch (error) {
        throw malformed(error instanceof Error ? error.message : 'unparseable body');
      }
    })();
    forms.set(request, form);
  }
  return form;
}

/**
 * The whole body, refusing with 413 as soon as more than `limit` bytes are declared or received.
 */
export function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  return readBodyWithin(request, limit, () => tooLarge(limit));
}

async function hasBody(request: Request): Promise<boolean> {
  if (!request.body) return false;
  const declared = request.headers.get('content-length');
  if (declared !== null) return Number(declared) > 0;
  const reader = request.body.getReader();
  const { done, value } = await reader.read();
  await reader.cancel().catch(() => undefined);
  return !done && (value?.byteLength ?? 0) > 0;
}

const positiveInt = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

const tooLarge = (maxBytes: number) =>
  new ProblemError(413, 'image-too-large', `The upload is larger than the limit of ${maxBytes} bytes.`, { maxBytes });
const missing = (detail: string, field: string) => new ProblemError(400, 'missing-image', detail, { field });
const malformed = (detail: string) => new ProblemError(400, 'malformed-multipart', `The multipart body is malformed: ${detail}.`);
