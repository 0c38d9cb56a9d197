/**
 * @module provenance
 * Provenance for seamline's synthetic images: every swap output carries an invisible keyed
 * watermark in its pixels (survives re-compression and resizing) and an XMP packet declaring IPTC
 * DigitalSourceType `trainedAlgorithmicMedia` (exact, but lost when metadata is stripped).
 * `/v1/xray` reports either as `provenance: 'seamline'`.
 *
 * @example
 * // swap route: mark the pixels, encode, then add the metadata
 * const marked = markProvenance(swapped, { key: watermarkKey(c.env) });
 * const body = withXmp(await encodeJpeg(marked, 90), 'jpeg');
 *
 * // detector
 * const provenance = provenanceOf(c.var.image.bytes, c.var.image.image); // 'seamline' | null
 */
import type { RgbaImage } from '../pipeline/types.js';
import { detectWatermark } from './detect.js';
import { embedWatermark } from './embed.js';
import type { WatermarkOptions } from './types.js';
import { CREATOR_TOOL, TRAINED_ALGORITHMIC_MEDIA } from './xmp-packet.js';
import { readXmp } from './xmp.js';

export { withXmp, readXmp, readXmpSourceType, readXmpPacket } from './xmp.js';
export { TRAINED_ALGORITHMIC_MEDIA, CREATOR_TOOL, type XmpFields, type XmpProvenance } from './xmp-packet.js';
export { embedWatermark, DEFAULT_STRENGTH } from './embed.js';
export { detectWatermark, Z_THRESHOLD } from './detect.js';
export { SEAMLINE_WATERMARK_KEY, watermarkKey } from './key.js';
export type { WatermarkOptions, WatermarkDetection } from './types.js';

export type Provenance = 'seamline' | null;

/**
 * Watermarks a seamline output (call on the final pixels, before encoding).
 *
 * @example
 * const marked = markProvenance(result.image);
 */
export function markProvenance(image: RgbaImage, options: WatermarkOptions = {}): RgbaImage {
  return embedWatermark(image, options);
}

/**
 * 'seamline' when the file's XMP says seamline made it (DigitalSourceType trainedAlgorithmicMedia
 * and CreatorTool seamline…), else when its pixels carry the seamline watermark; otherwise null.
 *
 * @example
 * const provenance = provenanceOf(bytes, await decodeImage(bytes));
 */
export function provenanceOf(bytes: Uint8Array, image: RgbaImage, options: Pick<WatermarkOptions, 'key'> = {}): Provenance {
  const xmp = readXmp(bytes);
  if (xmp?.digitalSourceType === TRAINED_ALGORITHMIC_MEDIA && xmp.creatorTool?.toLowerCase().startsWith(CREATOR_TOOL)) return 'seamline';
  return detectWatermark(image, options).present ? 'seamline' : null;
}
