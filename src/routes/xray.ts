import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { maxFacesOf, type AppEnv } from '../env.js';
import { encodePng } from '../image/index.js';
import { imageGuard } from '../middleware/image-guard/index.js';
import { isolateGate } from '../middleware/isolate-gate/index.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import { XRAY } from '../models.js';
import { boxInOriginal } from '../pipeline/faces.js';
import { overlayScan, scanImage } from '../pipeline/scan.js';
import { provenanceOf, watermarkKey } from '../provenance/index.js';
import { XRAY_MAP } from '../processors/xray/index.js';
import { XrayResponseSchema } from '../schemas/xray.js';
import { kernels } from '../wasm/kernels.js';
import { imageBody, imageProblems, rateLimitProblem, busyProblem } from './openapi.js';

const QuerySchema = z.object({
  overlay: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .openapi({ description: 'Return the image with boundary maps overlaid (PNG) instead of JSON. Same as `Accept: image/png`.' }),
});

const route = createRoute({
  method: 'post',
  path: '/v1/xray',
  tags: ['detect'],
  summary: 'Detect blended (face-swapped) faces with Face X-Ray',
  description:
    'Finds faces, predicts for each the blending boundary B = 4·M·(1−M) and a calibrated fake probability. ' +
    'Image score = highest face score; verdict `fake` when it reaches `threshold`. No face → verdict null with a reason. ' +
    'At most MAX_FACES (default 8) faces, the largest, are scanned; `truncated` says when there were more. ' +
    'With `?overlay=1` or `Accept: image/png` the answer is the picture with heat-mapped boundaries and boxes (red = fake, green = real). ' +
    'Uploads over MAX_ANALYSIS_PIXELS (default 2 MP) are analysed scaled down: JSON coordinates are scaled back to the upload, the overlay ' +
    'picture stays at the analysed size (`X-Seamline-Scale` gives the factor).',
  middleware: [rateLimit({ binding: 'SCAN_RATE_LIMIT' }), isolateGate(), imageGuard()] as const,
  request: { query: QuerySchema, body: imageBody() },
  responses: {
    200: {
      description: 'Scan result, or the overlay picture',
      content: {
        'application/json': { schema: XrayResponseSchema },
        'image/png': { schema: { type: 'string', format: 'binary' } },
      },
    },
    ...imageProblems,
    ...rateLimitProblem,
    ...busyProblem,
  },
});

const dataUrl = async (png: Uint8Array) => {
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
};

export const xray = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const { image, bytes, scale } = c.var.image;
  const maxFaces = maxFacesOf(c.env);
  const result = await scanImage(image, { maxFaces });
  const provenance = provenanceOf(bytes, image, { key: watermarkKey(c.env) });
  const { overlay } = c.req.valid('query');
  const wantsPicture = overlay === '1' || overlay === 'true' || /\bimage\/png\b/.test(c.req.header('accept') ?? '');
  if (wantsPicture) {
    const png = await encodePng(overlayScan(image, result));
    return c.body(png as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'image/png',
      'x-seamline-verdict': result.verdict ?? 'none',
      'x-seamline-score': result.score === null ? 'none' : String(result.score),
      'x-seamline-provenance': provenance ?? 'none',
      'x-seamline-scale': String(scale),
    }) as never;
  }
  const faces = await Promise.all(
    result.faces.map(async (f) => ({
      box: boxInOriginal(f.box, scale),
      score: f.score,
      label: f.label,
      peak: f.peak,
      boundaryArea: f.boundaryArea,
      boundaryMap: await dataUrl(await encodePng(kernels.xrayHeatmap(f.boundary, XRAY_MAP, XRAY_MAP, XRAY_MAP * 2, XRAY_MAP * 2))),
      // mapToImage is an axis-aligned scale + offset (the crop is never rotated).
      mapRegion: { x: round1(f.mapToImage[2] / scale), y: round1(f.mapToImage[5] / scale), size: round1((f.mapToImage[0] * XRAY_MAP) / scale) },
    })),
  );
  return c.json(
    {
      verdict: result.verdict,
      ...(result.reason ? { reason: result.reason } : {}),
      score: result.score,
      threshold: result.threshold,
      model: { name: XRAY.name, version: XRAY.version },
      faces,
      provenance,
      ...(result.truncated ? { truncated: true } : {}),
    },
    200,
  );
});

const round1 = (v: number) => Math.round(v * 10) / 10;
