/**
 * @module routes/swap
 * `POST /v1/swap`: the face of `source` swapped into `target` (FaceShifter task): `model=classical` (default, no
 * model) or `model=aei` (AEI-Net lite, models read from the MODELS R2 bucket; processors/swapper/aei.ts).
 *
 * Middleware order: API key (401/403 before any body is read) → multipart only (415 for raw bodies) →
 * `imageGuard` for `source` and `target` (400/413/415/422; parses the multipart body once).
 * Then: options from the query and the same parsed body's text fields (400) → model (503 `model-unavailable` for `aei` when R2 lacks its files, or HEAR-Net's with `hear=true`) → faces (422 `no-face` / `face-index`)
 * → swap → provenance (watermark + XMP) → JPEG q92 or PNG.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { maxFacesOf, type AppEnv } from '../env.js';
import { encodeJpeg, encodePng } from '../image/index.js';
import { isRawImageType, parsedJson, parsedMultipart } from '../image/request.js';
import { mediaTypeOf } from '../lib/media-type.js';
import { apiKey } from '../middleware/api-key/index.js';
import { imageGuard } from '../middleware/image-guard/index.js';
import { isolateGate } from '../middleware/isolate-gate/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { findFaces } from '../pipeline/faces.js';
import type { Face, RgbaImage } from '../pipeline/types.js';
import { ProblemError } from '../problem.js';
import { r2Model, r2ModelKey } from '../adapter/workers/r2-models.js';
import { AEI_MODEL_KEY, HEAR_MODEL_KEY, ID_MODEL_KEY, createAeiSwapper, getSwapper } from '../processors/swapper/index.js';
import type { Swapper } from '../processors/swapper/index.js';
import { markProvenance, watermarkKey, withXmp } from '../provenance/index.js';
import { SWAP_FORM_PROPERTIES, SWAP_OPTION_FIELDS, SwapQuerySchema, type SwapOptions } from '../schemas/swap.js';
import { imageBody, imageProblems, problem, rateLimitProblem } from './openapi.js';

const JPEG_QUALITY = 92;

const route = createRoute({
  method: 'post',
  path: '/v1/swap',
  tags: ['swap'],
  summary: 'Swap the face of `source` into `target`',
  description:
    'Multipart body with `source` and `target` image files, or a JSON body naming them by URL (`sourceUrl`, `targetUrl`, ' +
    'fetched under the same SSRF rules as job inputs; the options may sit in the JSON too). Returns the full-size target with the chosen target face replaced by ' +
    'the identity of the chosen source face; pose, expression, lighting and background stay the target\'s. JPEG (quality 92) by default, ' +
    'PNG with `Accept: image/png`. Every output carries an invisible watermark and XMP DigitalSourceType `trainedAlgorithmicMedia`. ' +
    'Faces are indexed largest first (as /v1/faces lists them, at most MAX_FACES). `model=classical` uses the source face\'s mirror image ' +
    'when its head turns the other way from the target\'s; heads turned far apart (profile onto frontal, or large pitch differences) ' +
    'still give visible artefacts. The target is kept at full size, up to MAX_FULL_SIZE_PIXELS (default 3 MP); a larger source is analysed ' +
    'scaled down (MAX_ANALYSIS_PIXELS, 2 MP). Requires `Authorization: Bearer <SEAMLINE_API_KEY>`.',
  security: [{ bearerAuth: [] }],
  middleware: [
    rateLimit({ binding: 'SWAP_RATE_LIMIT' }),
    apiKey({ secret: 'SEAMLINE_API_KEY', disabledCode: 'swap-disabled', disabledDetail: 'Face swapping is disabled on this server (no SEAMLINE_API_KEY is configured).' }),
    multipartOnly(),
    isolateGate(),
    imageGuard({ field: 'source' }),
    // The target comes back at full size; the source only lends its face, so it is analysed scaled down.
    imageGuard({ field: 'target', fullSize: true }),
  ] as const,
  request: { query: SwapQuerySchema, body: imageBody(['source', 'target'], SWAP_FORM_PROPERTIES) },
  responses: {
    200: {
      description: 'The swapped image (target size)',
      headers: { 'x-seamline-model': { description: 'The swapper that made the image', schema: { type: 'string' } } },
      content: {
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
      },
    },
    ...imageProblems,
    413: problem('Too many bytes (MAX_IMAGE_BYTES, default 10 MiB), or pixels: a source over MAX_IMAGE_PIXELS (25 MP), a target over MAX_FULL_SIZE_PIXELS (3 MP; it is decoded and returned at full size)'),
    ...rateLimitProblem,
    400: problem('Missing `source`/`target` file field, malformed multipart, or an invalid option'),
    401: problem('No `Authorization: Bearer` key, or a wrong one (with a `WWW-Authenticate: Bearer` challenge)'),
    403: problem('`swap-disabled`: the server has no SEAMLINE_API_KEY configured'),
    415: problem('Not multipart/form-data, or an image format that is not supported'),
    422: problem('`no-face` (none found in `source` or `target`), `face-index` (index beyond the faces found), or a corrupt/animated image'),
    503: problem('`model-unavailable`: model=aei while its model files (with `hear=true` also HEAR-Net\'s) are not in the MODELS R2 bucket; `busy`: the server\'s queue of images is full (`Retry-After`)'),
  },
});

/** Refuses raw image bodies: a swap needs two images. */
function multipartOnly(): MiddlewareHandler<AppEnv> {
  return async function multipartOnlyMiddleware(c, next) {
    if (isRawImageType(mediaTypeOf(c.req.raw))) {
      throw new ProblemError(415, 'unsupported-media-type', 'POST /v1/swap takes multipart/form-data with `source` and `target` image files, or JSON with `sourceUrl` and `targetUrl`, not a raw image body.', {
        accepted: ['multipart/form-data', 'application/json'],
      });
    }
    return next();
  };
}

/**
 * Option fields (only those named in SWAP_OPTION_FIELDS) of the multipart or JSON body, which the image
 * guards already parsed and size-limited; a file, object or array under those names is an error.
 */
async function formOptions(request: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const form = await parsedMultipart(request);
  const json = await parsedJson(request);
  for (const name of SWAP_OPTION_FIELDS) {
    const value = form ? form.get(name) : json?.[name];
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') out[name] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
    else throw new ProblemError(400, 'invalid-request', `The field "${name}" must be text${form ? ', not a file' : ', a number or a boolean'}.`);
  }
  return out;
}

function swapOptions(query: Record<string, string | undefined>, form: Record<string, string>): SwapOptions {
  const merged = { ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), ...form };
  const parsed = SwapQuerySchema.safeParse(merged);
  if (!parsed.success) {
    throw new ProblemError(400, 'invalid-request', parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  }
  const o = parsed.data;
  return {
    sourceFace: Number(o.sourceFace ?? 0),
    targetFace: Number(o.targetFace ?? 0),
    model: o.model ?? 'classical',
    hear: o.hear === 'true' || o.hear === '1',
  };
}

async function pickFace(image: RgbaImage, which: 'source' | 'target', index: number, maxFaces: number): Promise<Face> {
  const { faces, truncated } = await findFaces(image, { maxFaces });
  if (faces.length === 0) throw new ProblemError(422, 'no-face', `No face was found in the ${which} image.`, { image: which });
  if (index >= faces.length) {
    const found = `${faces.length}${truncated ? ` (the largest ${maxFaces}, MAX_FACES)` : ''}`;
    throw new ProblemError(422, 'face-index', `${which}Face=${index}, but the ${which} image has ${found} face${faces.length === 1 ? '' : 's'}; valid indices are 0–${faces.length - 1}.`, {
      image: which, index, faces: faces.length,
    });
  }
  return faces[index];
}

/** PNG when the client asks for it and does not prefer JPEG (q-values honoured); JPEG otherwise. */
export function wantsPng(accept: string | undefined): boolean {
  let png = 0, jpeg = -1;
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (type === 'image/png') png = Number.isFinite(q) ? q : 0;
    if (type === 'image/jpeg' || type === 'image/jpg') jpeg = Number.isFinite(q) ? q : 0;
  }
  return png > 0 && png > jpeg;
}

/**
 * The single place where provenance is applied to swap output: invisible watermark on the pixels, then
 * the XMP DigitalSourceType packet on the encoded bytes (src/provenance).
 */
async function encodeWithProvenance(image: RgbaImage, format: 'jpeg' | 'png', env: AppEnv['Bindings']): Promise<Uint8Array> {
  const marked = markProvenance(image, { key: watermarkKey(env) });
  const bytes = format === 'png' ? await encodePng(marked) : await encodeJpeg(marked, JPEG_QUALITY);
  return withXmp(bytes, format);
}

/** The identity net the AEI card names; checked when the worker starts, not on a request. */
const ID_R2_KEY = r2ModelKey(ID_MODEL_KEY);

export const swap = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const options = swapOptions(c.req.valid('query'), await formOptions(c.req.raw));
  let swapper: Swapper | undefined;
  if (options.model === 'aei') {
    // Loaded (once per isolate) before any face work, so a missing model answers at once.
    const [aei, identity, hear] = await Promise.all([
      r2Model(c.env, AEI_MODEL_KEY, 'aei'), r2Model(c.env, ID_R2_KEY, 'aei'),
      options.hear ? r2Model(c.env, HEAR_MODEL_KEY, 'aei+hear') : undefined,
    ]);
    swapper = createAeiSwapper({ aei, identity, ...(hear ? { hear } : {}) });
  } else {
    swapper = getSwapper(options.model);
  }
  if (!swapper) {
    throw new ProblemError(
      503, 'model-unavailable',
      options.model === 'aei'
        ? 'model=aei (FaceShifter AEI-Net, with optional HEAR-Net) is not deployed on this server yet; use model=classical.'
        : `model=${options.model} is not available on this server; use model=classical.`,
      { model: options.model, available: ['classical'] },
    );
  }
  const { source, target } = c.var.images;
  const maxFaces = maxFacesOf(c.env);
  const sourceFace = await pickFace(source.image, 'source', options.sourceFace, maxFaces);
  const targetFace = await pickFace(target.image, 'target', options.targetFace, maxFaces);
  const swapped = await swapper.swap(source.image, sourceFace, target.image, targetFace);
  const format = wantsPng(c.req.header('accept')) ? 'png' : 'jpeg';
  const body = await encodeWithProvenance(swapped, format, c.env);
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    'content-type': format === 'png' ? 'image/png' : 'image/jpeg',
    'x-seamline-model': swapper.name,
    'cache-control': 'no-store',
  }) as never;
});
