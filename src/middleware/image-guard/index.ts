/**
 * @module
 * Image upload guard middleware. Importing this module adds `image` and `images` to Hono's
 * context variables.
 */
import type { ImageInput } from '../../image/request.js';

export { imageGuard, type ImageGuardOptions } from './image-guard.js';
export type { ImageInput } from '../../image/request.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The image read by the most recent `imageGuard`. */
    image: ImageInput;
    /** Every image read by `imageGuard`s on this request, by field name. */
    images: Record<string, ImageInput>;
  }
}
