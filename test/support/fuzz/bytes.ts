import { crc32 as productCrc32 } from '../../../src/provenance/crc32.js';
import { concatBytes } from '../../../src/lib/bytes.js';
/**
 * Byte-level helpers for the fuzz mutators: a seeded PRNG, CRC-32 (so PNG edits can keep valid CRCs
 * and get past the header into the codec) and container walkers for PNG chunks, JPEG segments and
 * RIFF (WebP) chunks. Test-only.
 */

/** mulberry32: small, fast, deterministic for a given 32-bit seed. */
export class Rng {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  chance(p: number): boolean { return this.next() < p; }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}


export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return productCrc32(bytes.subarray(start, end));
}

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
export const u32beBytes = (v: number): Uint8Array => new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
export const u32leBytes = (v: number): Uint8Array => new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
export const readU32be = (b: Uint8Array, at: number): number => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
export const readU32le = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + ((b[at + 3] << 24) >>> 0);
export const text = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

export function writeU32be(b: Uint8Array, at: number, v: number): void { b.set(u32beBytes(v >>> 0), at); }
export function writeU32le(b: Uint8Array, at: number, v: number): void { b.set(u32leBytes(v >>> 0), at); }

// ---------------------------------------------------------------------------------------- PNG

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk with a correct CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  writeU32be(out, 0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  writeU32be(out, 8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

export type PngChunk = { at: number; length: number; type: string };

/** Chunk positions of a well-formed PNG (stops at the first chunk that runs past the end). */
export function pngChunks(b: Uint8Array): PngChunk[] {
  const out: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= b.length) {
    const length = readU32be(b, at);
    if (at + 12 + length > b.length) break;
    out.push({ at, length, type: text(b, at + 4, 4) });
    at += 12 + length;
  }
  return out;
}

/** Recomputes the CRC of the chunk starting at `at` (after its data was edited). */
export function fixPngCrc(b: Uint8Array, at: number): void {
  const length = readU32be(b, at);
  if (at + 12 + length <= b.length) writeU32be(b, at + 8 + length, crc32(b, at + 4, at + 8 + length));
}

export function ihdr(width: number, height: number, bitDepth = 8, colorType = 6, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  writeU32be(d, 0, width);
  writeU32be(d, 4, height);
  d.set([bitDepth, colorType, 0, 0, interlace], 8);
  return pngChunk('IHDR', d);
}

// ---------------------------------------------------------------------------------------- JPEG

export type JpegSegment = { at: number; marker: number; length: number };

/** Marker segments from SOI up to and including SOS (entropy-coded data is not walked). */
export function jpegSegments(b: Uint8Array): JpegSegment[] {
  const out: JpegSegment[] = [];
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1];
    const length = (b[at + 2] << 8) | b[at + 3];
    out.push({ at, marker, length });
    if (marker === 0xda || length < 2) break;
    at += 2 + length;
  }
  return out;
}

export const isSof = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** A JPEG APPn/COM style segment: marker, 2-byte length (which counts itself), data. */
export function jpegSegment(marker: number, data: Uint8Array, lengthOverride?: number): Uint8Array {
  const length = lengthOverride ?? data.length + 2;
  return concatBytes(new Uint8Array([0xff, marker, (length >> 8) & 0xff, length & 0xff]), data);
}

// ---------------------------------------------------------------------------------------- RIFF / WebP

export type RiffChunk = { at: number; size: number; fourcc: string };

export function riffChunks(b: Uint8Array): RiffChunk[] {
  const out: RiffChunk[] = [];
  let at = 12;
  while (at + 8 <= b.length) {
    const size = readU32le(b, at + 4);
    out.push({ at, size, fourcc: text(b, at, 4) });
    at += 8 + size + (size & 1);
  }
  return out;
}

export function riffChunk(fourcc: string, data: Uint8Array): Uint8Array {
  const pad = data.length & 1 ? new Uint8Array(1) : new Uint8Array(0);
  return concatBytes(ascii(fourcc), u32leBytes(data.length), data, pad);
}

/** RIFF/WEBP wrapper with a correct RIFF size. */
export function webpFile(...chunks: Uint8Array[]): Uint8Array {
  const body = concatBytes(ascii('WEBP'), ...chunks);
  return concatBytes(ascii('RIFF'), u32leBytes(body.length), body);
}

export function vp8x(flags: number, width: number, height: number): Uint8Array {
  const d = new Uint8Array(10);
  d[0] = flags;
  const w = width - 1, h = height - 1;
  d.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff], 4);
  return riffChunk('VP8X', d);
}

// ---------------------------------------------------------------------------------------- EXIF / TIFF

/** A little-endian TIFF block whose IFD0 is at `ifdOffset` and declares `count` entries, the first being Orientation. */
export function tiff(opts: { ifdOffset?: number; count?: number; orientation?: number; type?: number; bigEndian?: boolean; extra?: number } = {}): Uint8Array {
  const be = opts.bigEndian ?? false;
  const b = new Uint8Array(26 + (opts.extra ?? 0));
  const v = new DataView(b.buffer);
  v.setUint16(0, be ? 0x4d4d : 0x4949);
  v.setUint16(2, 42, !be);
  v.setUint32(4, opts.ifdOffset ?? 8, !be);
  v.setUint16(8, opts.count ?? 1, !be);
  v.setUint16(10, 0x0112, !be);
  v.setUint16(12, opts.type ?? 3, !be);
  v.setUint32(14, 1, !be);
  v.setUint16(18, opts.orientation ?? 1, !be);
  v.setUint32(22, 0, !be);
  return b;
}
