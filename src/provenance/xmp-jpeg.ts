/**
 * @module provenance/xmp-jpeg
 * XMP in JPEG: one APP1 segment `http://ns.adobe.com/xap/1.0/\0` + packet (XMP spec part 3, §1.1.3),
 * placed after SOI, the APP0 (JFIF/JFXX) segments and an EXIF APP1 that directly follows them.
 * Every other segment and the entropy-coded data are copied unchanged; an earlier standard XMP
 * segment is replaced (two packets would be ambiguous).
 */
import { concatBytes } from '../lib/bytes.js';

const XMP_SIGNATURE = 'http://ns.adobe.com/xap/1.0/\0';
const SIGNATURE_BYTES = new TextEncoder().encode(XMP_SIGNATURE);
const APP0 = 0xe0, APP1 = 0xe1, SOS = 0xda, EOI = 0xd9;

type Segment = { marker: number; start: number; end: number };

const startsWith = (b: Uint8Array, at: number, prefix: Uint8Array) => {
  if (at + prefix.length > b.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
};
const isXmp = (b: Uint8Array, s: Segment) => s.marker === APP1 && startsWith(b, s.start + 4, SIGNATURE_BYTES);
const isExif = (b: Uint8Array, s: Segment) => s.marker === APP1 && startsWith(b, s.start + 4, new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0]));

/** Marker segments between SOI and SOS (or EOI); `scan` is where the rest of the file starts. */
function segments(b: Uint8Array): { list: Segment[]; scan: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw new TypeError('Not a JPEG (no SOI marker)');
  const list: Segment[] = [];
  let at = 2;
  for (;;) {
    while (at + 1 < b.length && b[at] === 0xff && b[at + 1] === 0xff) at++;
    if (at + 4 > b.length || b[at] !== 0xff) throw new TypeError(`JPEG: expected a marker at byte ${at}`);
    const marker = b[at + 1];
    if (marker === SOS || marker === EOI) return { list, scan: at };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
    const end = at + 2 + ((b[at + 2] << 8) | b[at + 3]);
    if (end > b.length || end < at + 4) throw new TypeError(`JPEG: segment at byte ${at} runs past the end`);
    list.push({ marker, start: at, end });
    at = end;
  }
}

/** `bytes` with the XMP packet in its own APP1 segment. Throws TypeError when it is not a JPEG or the packet is over 64 KB. */
export function insertJpegXmp(bytes: Uint8Array, packet: string): Uint8Array {
  const body = new TextEncoder().encode(packet);
  const length = 2 + SIGNATURE_BYTES.length + body.length;
  if (length > 0xffff) throw new TypeError(`XMP packet too large for one APP1 segment (${body.length} bytes)`);
  const { list, scan } = segments(bytes);
  let lead = 0;
  while (lead < list.length && list[lead].marker === APP0) lead++;
  if (lead < list.length && isExif(bytes, list[lead])) lead++;
  const app1 = new Uint8Array(4 + SIGNATURE_BYTES.length + body.length);
  app1.set([0xff, APP1, length >> 8, length & 0xff]);
  app1.set(SIGNATURE_BYTES, 4);
  app1.set(body, 4 + SIGNATURE_BYTES.length);
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  for (let i = 0; i <= list.length; i++) {
    if (i === lead) parts.push(app1);
    if (i < list.length && !isXmp(bytes, list[i])) parts.push(bytes.subarray(list[i].start, list[i].end));
  }
  parts.push(bytes.subarray(scan));
  return concatBytes(...parts);
}

/** Text of the first standard XMP APP1 segment, or null (also for anything that is not a readable JPEG). */
export function readJpegXmp(bytes: Uint8Array): string | null {
  let list: Segment[];
  try { ({ list } = segments(bytes)); } catch { return null; }
  const s = list.find((seg) => isXmp(bytes, seg));
  return s ? new TextDecoder().decode(bytes.subarray(s.start + 4 + SIGNATURE_BYTES.length, s.end)) : null;
}
