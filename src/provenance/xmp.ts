/**
 * @module provenance/xmp
 * Declares synthetic media in XMP metadata (IPTC Digital Source Type) and reads it back from JPEG,
 * PNG and (read-only) WebP bytes. Metadata is easily stripped; the pixel watermark is the fallback.
 */
import { insertJpegXmp, readJpegXmp } from './xmp-jpeg.js';
import { buildXmpPacket, parseXmpPacket, type XmpFields, type XmpProvenance } from './xmp-packet.js';
import { insertPngXmp, readPngXmp } from './xmp-png.js';

/**
 * `bytes` (an encoded JPEG or PNG) with an XMP packet declaring IPTC DigitalSourceType
 * `trainedAlgorithmicMedia`, `xmp:CreatorTool` seamline and a synthetic-face-swap `dc:description`.
 * Pixels are untouched (the codec ignores the packet). Throws TypeError for bytes of another format.
 *
 * @example
 * const jpeg = withXmp(await encodeJpeg(marked, 90), 'jpeg');
 * const png = withXmp(await encodePng(marked), 'png', { description: 'Face swap of the uploaded target' });
 */
export function withXmp(bytes: Uint8Array, format: 'jpeg' | 'png', fields?: XmpFields): Uint8Array {
  const packet = buildXmpPacket(fields);
  return format === 'jpeg' ? insertJpegXmp(bytes, packet) : insertPngXmp(bytes, packet);
}

/** The XMP packet text of a JPEG, PNG or WebP file, or null when there is none (never throws). */
export function readXmpPacket(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return readJpegXmp(bytes);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return readPngXmp(bytes);
  if (String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return readWebpXmp(bytes);
  return null;
}

/** Digital source type and creator tool from the file's XMP, or null when it has no XMP packet. */
export function readXmp(bytes: Uint8Array): XmpProvenance | null {
  const xml = readXmpPacket(bytes);
  return xml === null ? null : parseXmpPacket(xml);
}

/**
 * The IPTC `Iptc4xmpExt:DigitalSourceType` URI of a JPEG/PNG/WebP file, or null.
 *
 * @example
 * readXmpSourceType(withXmp(jpeg, 'jpeg')) // 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia'
 */
export function readXmpSourceType(bytes: Uint8Array): string | null {
  return readXmp(bytes)?.digitalSourceType ?? null;
}

/** WebP (RIFF) `XMP ` chunk. */
function readWebpXmp(b: Uint8Array): string | null {
  let at = 12;
  while (at + 8 <= b.length) {
    const size = (b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16)) + ((b[at + 7] << 24) >>> 0);
    const type = String.fromCharCode(...b.subarray(at, at + 4));
    if (at + 8 + size > b.length) return null;
    if (type === 'XMP ') return new TextDecoder().decode(b.subarray(at + 8, at + 8 + size));
    at += 8 + size + (size & 1);
  }
  return null;
}
