/**
 * @module provenance/key
 * The watermark key. Every seamline deployment marks and detects with `SEAMLINE_WATERMARK_KEY`
 * unless the worker var `SEAMLINE_WATERMARK_KEY` overrides it (then marking and detection must use
 * the same override, or marks from the other key are not recognised).
 */

/** Default key: any string works; changing it invalidates detection of earlier marks. */
export const SEAMLINE_WATERMARK_KEY = 'seamline/provenance/v1';

/**
 * The key to use for a worker environment: `env.SEAMLINE_WATERMARK_KEY` when set to a non-empty
 * string, else the default.
 *
 * @example
 * const mark = markProvenance(image, { key: watermarkKey(c.env) });
 */
export function watermarkKey(env?: object | null): string {
  const value = env && (env as { SEAMLINE_WATERMARK_KEY?: unknown }).SEAMLINE_WATERMARK_KEY;
  return typeof value === 'string' && value.length > 0 ? value : SEAMLINE_WATERMARK_KEY;
}
