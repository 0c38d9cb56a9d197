/**
 * @module jobs/container
 * Quick video container check on the first bytes: ISO-BMFF (`ftyp`: MP4, MOV, M4V, 3GP), EBML
 * (Matroska, WebM) and RIFF AVI. Anything else — including still-image ISO-BMFF brands such as AVIF
 * and HEIC — is not a video we accept (415). Decoding is the origin's job (probe).
 */

export type VideoContainer = { format: 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi'; contentType: string };

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'jxl ']);

/**
 * @example
 * sniffContainer(bytes)?.contentType; // 'video/mp4' | … | undefined when not a supported container
 */
export function sniffContainer(bytes: Uint8Array): VideoContainer | null {
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (IMAGE_BRANDS.has(brand)) return null;
    return brand === 'qt  ' ? { format: 'mov', contentType: 'video/quicktime' } : { format: 'mp4', contentType: 'video/mp4' };
  }
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    // The DocType element (0x42 0x82) sits in the EBML header, within the first few dozen bytes.
    const head = ascii(bytes, 0, Math.min(bytes.length, 64));
    return head.includes('webm') ? { format: 'webm', contentType: 'video/webm' } : { format: 'mkv', contentType: 'video/x-matroska' };
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'AVI ') {
    return { format: 'avi', contentType: 'video/x-msvideo' };
  }
  return null;
}
