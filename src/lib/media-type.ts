/**
 * @module lib/media-type
 * The media type a request declares, which picks how its body is read.
 */

/** `Content-Type` without parameters, lower-case; '' when absent (`image/JPEG; q=1` → `image/jpeg`). */
export const mediaTypeOf = (request: Request): string => (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
