/**
 * @module provenance/xmp-png
 * XMP in PNG: an uncompressed `iTXt` chunk with keyword `XML:com.adobe.xmp` (XMP spec part 3,
 * §1.1.5), placed right before the first IDAT. Other chunks are copied unchanged; an earlier XMP
 * iTXt is replaced.
 */
import { crc32 } from './crc32.js';
import { concatBytes } from '../lib/bytes.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const KEYWORD = 'XML:com.adobe.xmp';
const latin1 = new TextEncoder(); // keyword and chunk types are ASCII, where UTF-8 = Latin-1

type Chunk = { type: string; start: number; end: number; data: number; length: number };

const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function chunks(b: Uint8Array): Chunk[] {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) throw new TypeError('Not a PNG (bad signature)');
  const list: Chunk[] = [];
  let at = 8;
  while (at + 12 <= b.length) {
    const length = u32(b, at);
    const type = ascii(b, at + 4, 4);
    const end = at + 12 + length;
    if (end > b.length) throw new TypeError(`PNG: chunk ${type} runs past the end`);
    list.push({ type, start: at, end, data: at + 8, length });
    at = end;
    if (type === 'IEND') break;
  }
  return list;
}

/** Keyword of an iTXt chunk is `XML:com.adobe.xmp`. */
const isXmp = (b: Uint8Array, c: Chunk) => c.type === 'iTXt' && c.length > KEYWORD.length && ascii(b, c.data, KEYWORD.length + 1) === `${KEYWORD}\0`;

function itxtChunk(packet: string): Uint8Array {
  const text = new TextEncoder().encode(packet);
  // keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0, text
  const head = latin1.encode(`${KEYWORD}\0\0\0\0\0`);
  const length = head.length + text.length;
  const chunk = new Uint8Array(12 + length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, length);
  chunk.set(latin1.encode('iTXt'), 4);
  chunk.set(head, 8);
  chunk.set(text, 8 + head.length);
  view.setUint32(8 + length, crc32(chunk.subarray(4, 8 + length)));
  return chunk;
}

/** `bytes` with the XMP packet in an iTXt chunk before the first IDAT. Throws TypeError when it is not a PNG. */
export function insertPngXmp(bytes: Uint8Array, packet: string): Uint8Array {
  const list = chunks(bytes);
  const idat = list.findIndex((c) => c.type === 'IDAT');
  if (idat < 0) throw new TypeError('PNG: no IDAT chunk');
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  list.forEach((c, i) => {
    if (i === idat) parts.push(itxtChunk(packet));
    if (!isXmp(bytes, c)) parts.push(bytes.subarray(c.start, c.end));
  });
  const last = list[list.length - 1];
  parts.push(bytes.subarray(last.end)); // anything after IEND, unchanged
  return concatBytes(...parts);
}

/**
 * Text of the first uncompressed XMP iTXt chunk, or null (also for a compressed one, which would need
 * async inflation, and for anything that is not a readable PNG).
 */
export function readPngXmp(bytes: Uint8Array): string | null {
  let list: Chunk[];
  try { list = chunks(bytes); } catch { return null; }
  for (const c of list) {
    if (!isXmp(bytes, c)) continue;
    let at = c.data + KEYWORD.length + 1;
    const end = c.data + c.length;
    if (bytes[at] !== 0) return null; // compressed
    at += 2;
    for (let nul = 0; nul < 2 && at < end; at++) if (bytes[at] === 0) nul++; // language tag, translated keyword
    return new TextDecoder().decode(bytes.subarray(at, end));
  }
  return null;
}
