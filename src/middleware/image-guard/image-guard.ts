/**
 * `imageGuard`: reads, limits and decodes the uploaded image before the handler runs, and puts it
 * on the context (`c.var.image`, and `c.var.images[field]` when a route guards several fields).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.js';
import { readImageInput, type ImageInput } from '../../image/request.js';

export type ImageGuardOptions = {
  /** Multipart field to read (raw image bodies are accepted whatever the field). Default `image`. */
  field?: string;
  /** Largest upload in bytes. Default: env `MAX_IMAGE_BYTES`, else 10 MiB. */
  maxBytes?: number;
  /** Largest width × height. Default: env `MAX_IMAGE_PIXELS`, else 25 MP. */
  maxPixels?: number;
  /** Largest whole multipart body. Default 2 × maxBytes + 64 KiB. */
  maxBodyBytes?: number;
  /** Keep the pixels at full size instead of the analysis size (see `ImageInputOptions.fullSize`). */
  fullSize?: boolean;
};

/**
 * @example
 * const route = createRoute({ method: 'post', path: '/v1/scan', middleware: [imageGuard()] as const, … });
 * app.openapi(route, (c) => c.json(scan(c.var.image.image)));
 *
 * // two images from one multipart body
 * app.post('/v1/swap', imageGuard({ field: 'source' }), imageGuard({ field: 'target' }), (c) => {
 *   const { source, target } = c.var.images;
 * });
 */
export function imageGuard(options: ImageGuardOptions = {}): MiddlewareHandler<AppEnv> {
  const { field = 'image', maxBytes, maxPixels, maxBodyBytes, fullSize } = options;
  return async function imageGuardMiddleware(c, next) {
    const input = await readImageInput(c, { field, maxBytes, maxPixels, maxBodyBytes, fullSize });
    c.set('image', input);
    c.set('images', { ...c.get('images'), [field]: input });
    await next();
  };
}

export type { ImageInput };
