/**
 * Fuzz case generators: each mutation kind turns the seeded RNG and the base images (fixtures plus a
 * few small synthetic ones) into one request body + Content-Type, optionally with the statuses that
 * kind must produce (`expect`), on top of the generic contract checked by test/fuzz.test.ts.
 * Test-only.
 */
import { deflateSync } from 'node:zlib';
import { concatBytes as concat } from '../../../src/lib/bytes.js';
import {
  PNG_SIGNATURE, Rng, ascii, fixPngCrc, ihdr, isSof, jpegSegment, jpegSegments, pngChunk, pngChunks, readU32be,
  riffChunk, riffChunks, text, tiff, u32beBytes, vp8x, webpFile, writeU32be, writeU32le,
} from './bytes.js';

export type BaseFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'tiff';
export type Base = { name: string; format: BaseFormat; bytes: Uint8Array };

export type FuzzCase = {
  kind: string;
  /** Variant within the kind (for the report and for reproducing failures). */
  variant: string;
  body: Uint8Array | (() => ReadableStream<Uint8Array>);
  /** null: no Content-Type header at all. */
  contentType: string | null;
  /** Statuses this case must get (subset of the generic allowed set). */
  expect?: number[];
  /** Expensive to decode (tens of MB of pixels): send to the cheapest route only. */
  heavy?: boolean;
};

/** The worker's default limits (wrangler.toml): the fuzz test runs the shipping configuration. */
export const LIMITS = { maxBytes: 10 * 1024 * 1024, maxPixels: 25_000_000 };

const MIME: Record<BaseFormat, string> = {
  jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp', tiff: 'image/tiff',
};
const DECODABLE: BaseFormat[] = ['jpeg', 'png', 'webp'];

export class FuzzGenerator {
  private readonly decodable: Base[];
  private readonly jpegs: Base[];
  private readonly pngs: Base[];
  private readonly webps: Base[];
  /** Small (≤ 64×64) still PNG used for APNG/zip-bomb/eXIf constructions. */
  private readonly smallPng: Base;

  constructor(private readonly rng: Rng, private readonly bases: Base[]) {
    this.decodable = bases.filter((b) => DECODABLE.includes(b.format));
    this.jpegs = bases.filter((b) => b.format === 'jpeg');
    this.pngs = bases.filter((b) => b.format === 'png' && !b.name.startsWith('animated'));
    this.webps = bases.filter((b) => b.format === 'webp' && !b.name.startsWith('animated'));
    const small = bases.find((b) => b.name === 'synthetic-32x24.png');
    if (!small) throw new Error('the synthetic 32×24 PNG base is required');
    this.smallPng = small;
  }

  /** Weighted kinds; `zip-bomb` and `oversize` are added as fixed counts by `plan`. */
  static readonly WEIGHTS: Record<string, number> = {
    truncate: 12, bitflip: 14, shuffle: 5, duplicate: 5, splice: 3, 'wrong-magic': 6, 'content-type': 7,
    'header-dims': 10, 'chunk-length': 8, 'segment-edit': 5, apng: 3, exif: 5, random: 6, empty: 2, multipart: 7,
  };

  /** The kinds of `count` cases, in order: weighted draws plus fixed numbers of the expensive kinds. */
  plan(count: number, fixed: Record<string, number>): string[] {
    const kinds: string[] = [];
    for (const [kind, n] of Object.entries(fixed)) for (let i = 0; i < n && kinds.length < count; i++) kinds.push(kind);
    const entries = Object.entries(FuzzGenerator.WEIGHTS);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    while (kinds.length < count) {
      let r = this.rng.next() * total;
      const hit = entries.find(([, w]) => (r -= w) < 0) ?? entries[0];
      kinds.push(hit[0]);
    }
    // Spread the fixed expensive ones through the run instead of front-loading them.
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
    }
    return kinds;
  }

  make(kind: string): FuzzCase {
    switch (kind) {
      case 'truncate': return this.truncate();
      case 'bitflip': return this.bitflip();
      case 'shuffle': return this.shuffle();
      case 'duplicate': return this.duplicate();
      case 'splice': return this.splice();
      case 'wrong-magic': return this.wrongMagic();
      case 'content-type': return this.contentType();
      case 'header-dims': return this.headerDims();
      case 'chunk-length': return this.chunkLength();
      case 'segment-edit': return this.segmentEdit();
      case 'zip-bomb': return this.zipBomb();
      case 'apng': return this.apng();
      case 'exif': return this.exif();
      case 'random': return this.random();
      case 'empty': return this.empty();
      case 'multipart': return this.multipart();
      case 'oversize': return this.oversize();
      default: throw new Error(`unknown fuzz kind ${kind}`);
    }
  }

  // ------------------------------------------------------------------------------ generic mutations

  private base(): Base { return this.rng.pick(this.rng.chance(0.85) ? this.decodable : this.bases); }
  private raw(kind: string, variant: string, base: Base, body: Uint8Array, expect?: number[]): FuzzCase {
    return { kind, variant: `${variant}:${base.name}`, body, contentType: MIME[base.format], expect };
  }

  private truncate(): FuzzCase {
    const base = this.base();
    // Bias towards the header region, where the parsers live.
    const cut = this.rng.chance(0.4) ? this.rng.int(0, Math.min(base.bytes.length - 1, 80)) : this.rng.int(0, base.bytes.length - 1);
    // An empty body is 400, unless its declared type is refused first (GIF/BMP/TIFF → 415).
    const emptyAnswer = ['jpeg', 'png', 'webp'].includes(base.format) ? [400] : [415];
    return this.raw('truncate', `at-${cut}`, base, base.bytes.slice(0, cut), cut === 0 ? emptyAnswer : undefined);
  }

  private bitflip(): FuzzCase {
    const base = this.base();
    const out = base.bytes.slice();
    const flips = this.rng.int(1, 50);
    const headerOnly = this.rng.chance(0.5);
    const span = headerOnly ? Math.min(out.length, 96) : out.length;
    for (let i = 0; i < flips; i++) out[this.rng.int(0, span - 1)] ^= 1 << this.rng.int(0, 7);
    return this.raw('bitflip', `${flips}${headerOnly ? '-header' : ''}`, base, out);
  }

  private shuffle(): FuzzCase {
    const base = this.base();
    const out = base.bytes.slice();
    const n = out.length;
    const len = this.rng.int(1, Math.max(1, Math.floor(n / 4)));
    const a = this.rng.int(0, n - len);
    if (this.rng.chance(0.3)) {
      out.subarray(a, a + len).reverse();
      return this.raw('shuffle', `reverse-${a}+${len}`, base, out);
    }
    const b = this.rng.int(0, n - len);
    const tmp = out.slice(a, a + len);
    out.copyWithin(a, b, b + len);
    out.set(tmp, b);
    return this.raw('shuffle', `swap-${a}-${b}+${len}`, base, out);
  }

  private duplicate(): FuzzCase {
    const base = this.base();
    const n = base.bytes.length;
    const len = this.rng.int(1, Math.max(1, Math.floor(n / 3)));
    const from = this.rng.int(0, n - len);
    const to = this.rng.int(0, n);
    const out = concat(base.bytes.subarray(0, to), base.bytes.subarray(from, from + len), base.bytes.subarray(to));
    return this.raw('duplicate', `${from}+${len}@${to}`, base, out);
  }

  private splice(): FuzzCase {
    const a = this.base(), b = this.base();
    const cutA = this.rng.int(1, a.bytes.length - 1), cutB = this.rng.int(0, b.bytes.length - 1);
    return this.raw('splice', `${a.name}[:${cutA}]+${b.name}[${cutB}:]`, a, concat(a.bytes.subarray(0, cutA), b.bytes.subarray(cutB)));
  }

  private wrongMagic(): FuzzCase {
    const base = this.rng.pick(this.decodable);
    const foreign: [string, Uint8Array][] = [
      ['gif', ascii('GIF89a')], ['bmp', ascii('BM')], ['tiff-le', new Uint8Array([0x49, 0x49, 0x2a, 0])], ['tiff-be', new Uint8Array([0x4d, 0x4d, 0, 0x2a])],
      ['heic', concat(u32beBytes(24), ascii('ftypheic'))], ['avif', concat(u32beBytes(24), ascii('ftypavif'))], ['mp4', concat(u32beBytes(24), ascii('ftypisom'))],
      ['pdf', ascii('%PDF-1.7')], ['zip', new Uint8Array([0x50, 0x4b, 3, 4])], ['wav', ascii('RIFF\0\0\0\0WAVE')], ['html', ascii('<!doctype html>')],
      ['jpeg-ish', new Uint8Array([0xff, 0xd8, 0xfe])], ['png-ish', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b])], ['zeros', new Uint8Array(12)],
    ];
    const decodableMagic: [string, Uint8Array][] = [
      ['jpeg', new Uint8Array([0xff, 0xd8, 0xff])], ['png', PNG_SIGNATURE], ['webp', ascii('RIFF\x80\0\0\0WEBP')],
    ];
    if (this.rng.chance(0.6)) {
      const [name, magic] = this.rng.pick(foreign);
      const out = base.bytes.slice();
      out.set(magic, 0);
      // None of these is a decodable format: a recognised-but-unsupported one or an unknown one, both 415.
      return { kind: 'wrong-magic', variant: `${name}:${base.name}`, body: out, contentType: MIME[base.format], expect: [415] };
    }
    const [name, magic] = this.rng.pick(decodableMagic.filter(([n]) => n !== base.format));
    const out = base.bytes.slice();
    out.set(magic, 0);
    return { kind: 'wrong-magic', variant: `${name}:${base.name}`, body: out, contentType: this.rng.pick(['image/jpeg', 'image/png', 'image/webp']) };
  }

  private contentType(): FuzzCase {
    const base = this.base();
    const body = this.rng.chance(0.7) ? base.bytes.slice() : this.bitflipped(base.bytes, this.rng.int(1, 8));
    const refused: (string | null)[] = [null, 'text/plain', 'image/gif', 'image/avif', 'image', 'image/jpeg2000', 'jpeg', '; ;'];
    const sniffed = ['image/jpeg', 'image/png', 'image/webp', 'image/jpg', 'IMAGE/PNG', 'image/webp; charset=utf-8', ' image/jpeg ; q=1', 'application/octet-stream'];
    const multipartNoBoundary = ['multipart/form-data', 'multipart/form-data; charset=utf-8'];
    const r = this.rng.next();
    if (r < 0.4) {
      const ct = this.rng.pick(refused);
      return { kind: 'content-type', variant: `${ct ?? 'none'}:${base.name}`, body, contentType: ct, expect: [415] };
    }
    if (r < 0.5) {
      // Image bytes sent as the JSON that names an image by URL: not JSON (400), or over its 16 KiB (413).
      return { kind: 'content-type', variant: `application/json:${base.name}`, body, contentType: 'application/json', expect: [400, 413] };
    }
    if (r < 0.6) {
      const ct = this.rng.pick(multipartNoBoundary);
      return { kind: 'content-type', variant: `${ct}:${base.name}`, body, contentType: ct, expect: [400] };
    }
    if (r < 0.7) {
      // A boundary that the raw image body does not contain.
      return { kind: 'content-type', variant: `multipart-raw:${base.name}`, body, contentType: 'multipart/form-data; boundary=fuzz', expect: [400] };
    }
    const ct = this.rng.pick(sniffed.filter((t) => !t.toLowerCase().includes(base.format)));
    return { kind: 'content-type', variant: `${ct}:${base.name}`, body, contentType: ct };
  }

  private bitflipped(bytes: Uint8Array, flips: number): Uint8Array {
    const out = bytes.slice();
    for (let i = 0; i < flips; i++) out[this.rng.int(0, out.length - 1)] ^= 1 << this.rng.int(0, 7);
    return out;
  }

  // ------------------------------------------------------------------------------ format-aware mutations

  private dimsPair(max: number): [number, number] {
    const values = [0, 1, 2, 223, 224, 225, 4096, 5000, 5001, 8192, 16383, 65535, max];
    const w = this.rng.chance(0.2) ? this.rng.int(0, max) : this.rng.pick(values.filter((v) => v <= max));
    const h = this.rng.chance(0.2) ? this.rng.int(0, max) : this.rng.pick(values.filter((v) => v <= max));
    return [w, h];
  }

  /** Statuses a header with these (stored) dimensions must produce, as far as the header alone decides. */
  private dimsExpect(w: number, h: number, zeroIsCorrupt = true): number[] | undefined {
    if (zeroIsCorrupt && (w === 0 || h === 0)) return [422];
    if (w * h > LIMITS.maxPixels) return [413];
    return undefined;
  }

  private headerDims(): FuzzCase {
    const format = this.rng.pick(['png', 'jpeg', 'webp-vp8', 'webp-vp8l', 'webp-vp8x'] as const);
    if (format === 'png') {
      const base = this.rng.pick(this.pngs);
      const out = base.bytes.slice();
      const huge = [0x7fffffff, 0x80000000, 0xffffffff, 100_000, 1_000_000];
      let [w, h] = this.dimsPair(65535);
      if (this.rng.chance(0.25)) w = this.rng.pick(huge);
      if (this.rng.chance(0.25)) h = this.rng.pick(huge);
      writeU32be(out, 16, w);
      writeU32be(out, 20, h);
      const crc = this.rng.chance(0.7);
      if (crc) fixPngCrc(out, 8);
      const expect = w > 0x7fffffff || h > 0x7fffffff ? [422] : this.dimsExpect(w, h);
      return { kind: 'header-dims', variant: `png-${w}x${h}${crc ? '-crc' : ''}:${base.name}`, body: out, contentType: 'image/png', expect, heavy: w * h > 4_000_000 };
    }
    if (format === 'jpeg') {
      const base = this.rng.pick(this.jpegs);
      const out = base.bytes.slice();
      const sof = jpegSegments(out).find((s) => isSof(s.marker));
      if (!sof) throw new Error(`${base.name} has no SOF`);
      const edit = this.rng.next();
      if (edit < 0.7) {
        const [w, h] = this.dimsPair(65535);
        out.set([(h >> 8) & 0xff, h & 0xff, (w >> 8) & 0xff, w & 0xff], sof.at + 5);
        return { kind: 'header-dims', variant: `sof-${w}x${h}:${base.name}`, body: out, contentType: 'image/jpeg', expect: this.dimsExpect(w, h), heavy: w * h > 4_000_000 };
      }
      if (edit < 0.85) {
        const components = this.rng.pick([0, 2, 5, 255, 4, 1, 3]);
        out[sof.at + 9] = components;
        return { kind: 'header-dims', variant: `sof-components-${components}:${base.name}`, body: out, contentType: 'image/jpeg', expect: [0, 2, 5, 255].includes(components) ? [422] : undefined };
      }
      const precision = this.rng.pick([0, 12, 16, 255]);
      out[sof.at + 4] = precision;
      return { kind: 'header-dims', variant: `sof-precision-${precision}:${base.name}`, body: out, contentType: 'image/jpeg', expect: [415] };
    }
    const webp = this.rng.pick(this.webps);
    const chunks = riffChunks(webp.bytes);
    const frame = chunks.find((c) => c.fourcc === 'VP8 ');
    if (!frame) throw new Error(`${webp.name} has no VP8 chunk`);
    const frameBytes = webp.bytes.slice(frame.at, frame.at + 8 + frame.size + (frame.size & 1));
    if (format === 'webp-vp8') {
      const out = webp.bytes.slice();
      const [w, h] = this.dimsPair(16383);
      const at = frame.at + 8 + 6;
      out.set([w & 0xff, ((w >> 8) & 0x3f) | (out[at + 1] & 0xc0), h & 0xff, ((h >> 8) & 0x3f) | (out[at + 3] & 0xc0)], at);
      return { kind: 'header-dims', variant: `vp8-${w}x${h}:${webp.name}`, body: out, contentType: 'image/webp', expect: this.dimsExpect(w, h), heavy: w * h > 4_000_000 };
    }
    if (format === 'webp-vp8l') {
      // A VP8L header (signature + 14-bit sizes) followed by junk or the VP8 payload: the sizes are what is tested.
      const [w, h] = this.dimsPair(16384).map((v) => Math.max(1, v));
      const bits = ((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14) | (this.rng.int(0, 1) << 28);
      const payload = new Uint8Array(5 + this.rng.int(0, 200));
      payload[0] = 0x2f;
      writeU32le(payload, 1, bits >>> 0);
      payload.set(this.rng.bytes(payload.length - 5), 5);
      return { kind: 'header-dims', variant: `vp8l-${w}x${h}`, body: webpFile(riffChunk('VP8L', payload)), contentType: 'image/webp', expect: this.dimsExpect(w, h), heavy: w * h > 4_000_000 };
    }
    const max = 1 << 24;
    let [w, h] = this.dimsPair(65535).map((v) => Math.max(1, v));
    if (this.rng.chance(0.3)) w = max;
    if (this.rng.chance(0.3)) h = max;
    const flags = this.rng.pick([0, 0x08, 0x10, 0x20, 0xff & ~0x02]);
    const body = webpFile(vp8x(flags, w, h), frameBytes);
    return { kind: 'header-dims', variant: `vp8x-${w}x${h}-f${flags}`, body, contentType: 'image/webp', expect: this.dimsExpect(w, h), heavy: w * h > 4_000_000 };
  }

  private chunkLength(): FuzzCase {
    const format = this.rng.pick(['png', 'jpeg', 'webp'] as const);
    if (format === 'png') {
      const base = this.rng.pick(this.pngs);
      const out = base.bytes.slice();
      const chunks = pngChunks(out);
      const c = this.rng.pick(chunks);
      const lie = this.rng.pick([0, 1, c.length - 1, c.length + 1, c.length * 2 + 7, 0x7fffffff, 0x80000000, 0xffffffff, this.rng.int(0, 1 << 20)]) >>> 0;
      writeU32be(out, c.at, lie);
      return { kind: 'chunk-length', variant: `png-${c.type}-${c.length}->${lie}:${base.name}`, body: out, contentType: 'image/png' };
    }
    if (format === 'jpeg') {
      const base = this.rng.pick(this.jpegs);
      const out = base.bytes.slice();
      const s = this.rng.pick(jpegSegments(out));
      const lie = this.rng.pick([0, 1, 2, 3, s.length - 1, s.length + 1, 0xffff, this.rng.int(0, 0xffff)]) & 0xffff;
      out.set([lie >> 8, lie & 0xff], s.at + 2);
      return { kind: 'chunk-length', variant: `jpeg-${s.marker.toString(16)}-${s.length}->${lie}:${base.name}`, body: out, contentType: 'image/jpeg' };
    }
    const base = this.rng.pick(this.rng.chance(0.7) ? this.webps : this.bases.filter((b) => b.format === 'webp'));
    const out = base.bytes.slice();
    const lie = this.rng.pick([0, 1, 7, 8, 0x7fffffff, 0xffffffff, this.rng.int(0, 1 << 16)]) >>> 0;
    if (this.rng.chance(0.3)) {
      writeU32le(out, 4, lie);
      return { kind: 'chunk-length', variant: `riff-size->${lie}:${base.name}`, body: out, contentType: 'image/webp' };
    }
    const c = this.rng.pick(riffChunks(out));
    writeU32le(out, c.at + 4, lie);
    return { kind: 'chunk-length', variant: `webp-${c.fourcc.trim()}-${c.size}->${lie}:${base.name}`, body: out, contentType: 'image/webp' };
  }

  private segmentEdit(): FuzzCase {
    const format = this.rng.pick(['png', 'jpeg', 'webp'] as const);
    if (format === 'png') {
      const base = this.rng.pick(this.pngs);
      const chunks = pngChunks(base.bytes).map((c) => base.bytes.subarray(c.at, c.at + 12 + c.length));
      const types = pngChunks(base.bytes).map((c) => c.type);
      const op = this.rng.pick(['drop', 'dup', 'move', 'insert-unknown'] as const);
      const i = this.rng.int(0, chunks.length - 1);
      const list = [...chunks];
      if (op === 'drop') list.splice(i, 1);
      else if (op === 'dup') list.splice(this.rng.int(0, list.length), 0, chunks[i]);
      else if (op === 'move') { const [c] = list.splice(i, 1); list.splice(this.rng.int(0, list.length), 0, c); }
      else list.splice(this.rng.int(0, list.length), 0, pngChunk(this.rng.pick(['zzZz', 'ZZZZ', 'cICP', 'iCCP', 'sBIT', 'gAMA', 'PLTE', 'tRNS']), this.rng.bytes(this.rng.int(0, 64))));
      return { kind: 'segment-edit', variant: `png-${op}-${types[i]}:${base.name}`, body: concat(PNG_SIGNATURE, ...list), contentType: 'image/png' };
    }
    if (format === 'jpeg') {
      const base = this.rng.pick(this.jpegs);
      const segs = jpegSegments(base.bytes);
      const sos = segs[segs.length - 1];
      const parts = segs.slice(0, -1).map((s) => base.bytes.subarray(s.at, s.at + 2 + s.length));
      const tail = base.bytes.subarray(sos.at);
      const op = this.rng.pick(['drop', 'dup', 'move', 'insert', 'drop-eoi', 'rst-soup'] as const);
      const i = this.rng.int(0, parts.length - 1);
      const list = [...parts];
      let end = tail;
      if (op === 'drop') list.splice(i, 1);
      else if (op === 'dup') list.splice(this.rng.int(0, list.length), 0, parts[i]);
      else if (op === 'move') { const [p] = list.splice(i, 1); list.splice(this.rng.int(0, list.length), 0, p); }
      else if (op === 'insert') {
        const marker = this.rng.pick([0xc4, 0xdb, 0xdd, 0xc0, 0xc2, 0xe0, 0xe1, 0xee, 0xfe, 0xc3, 0xc9, 0xcf]);
        list.splice(this.rng.int(0, list.length), 0, jpegSegment(marker, this.rng.bytes(this.rng.int(0, 80))));
      } else if (op === 'drop-eoi') end = tail.subarray(0, Math.max(0, tail.length - 2));
      else {
        end = tail.slice();
        for (let k = 0; k < 20; k++) { const at = this.rng.int(10, end.length - 2); end[at] = 0xff; end[at + 1] = this.rng.pick([0xd0, 0xd3, 0xd7, 0xd9, 0xda, 0xc4, 0x00]); }
      }
      const name = op === 'drop' || op === 'dup' || op === 'move' ? `-${(0xff00 | segs[i].marker).toString(16)}` : '';
      return { kind: 'segment-edit', variant: `jpeg-${op}${name}:${base.name}`, body: concat(new Uint8Array([0xff, 0xd8]), ...list, end), contentType: 'image/jpeg' };
    }
    const base = this.rng.pick(this.bases.filter((b) => b.format === 'webp'));
    const chunks = riffChunks(base.bytes).filter((c) => c.at + 8 + c.size <= base.bytes.length);
    const list = chunks.map((c) => base.bytes.subarray(c.at, c.at + 8 + c.size + (c.size & 1)));
    const op = this.rng.pick(['drop', 'dup', 'insert'] as const);
    const i = this.rng.int(0, Math.max(0, list.length - 1));
    if (op === 'drop') list.splice(i, 1);
    else if (op === 'dup') list.splice(this.rng.int(0, list.length), 0, list[i] ?? new Uint8Array(0));
    else list.splice(this.rng.int(0, list.length), 0, riffChunk(this.rng.pick(['ALPH', 'ANIM', 'ANMF', 'ICCP', 'EXIF', 'XMP ', 'VP8X', 'VP8L']), this.rng.bytes(this.rng.int(0, 40))));
    return { kind: 'segment-edit', variant: `webp-${op}:${base.name}`, body: webpFile(...list), contentType: 'image/webp' };
  }

  // ------------------------------------------------------------------------------ constructed payloads

  /** PNGs whose small IDAT inflates to a huge image (or to far more data than the header needs). */
  private zipBomb(): FuzzCase {
    const variant = this.rng.pick(['at-budget', 'over-budget', 'over-budget-16bit', 'excess-data', 'short-data', 'interlaced-at-budget'] as const);
    const gray = (w: number, h: number, rows: number, depth = 8, channels = 1) => deflateSync(new Uint8Array(rows * (1 + (w * channels * depth) / 8)), { level: 9 });
    const png = (w: number, h: number, idat: Uint8Array, depth = 8, colorType = 0, interlace = 0) =>
      concat(PNG_SIGNATURE, ihdr(w, h, depth, colorType, interlace), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0)));
    switch (variant) {
      case 'at-budget': // exactly 25 MP of zeros from ~25 KB: a legitimate, expensive decode
        return { kind: 'zip-bomb', variant, body: png(5000, 5000, gray(5000, 5000, 5000)), contentType: 'image/png', heavy: true };
      case 'interlaced-at-budget':
        return { kind: 'zip-bomb', variant, body: png(5000, 5000, gray(5000, 5000, 5000 + 2500), 8, 0, 1), contentType: 'image/png', heavy: true };
      case 'over-budget': {
        const side = this.rng.pick([5001, 10_000, 50_000]);
        return { kind: 'zip-bomb', variant: `${variant}-${side}`, body: png(side, side, gray(side, 64, 64)), contentType: 'image/png', expect: [413] };
      }
      case 'over-budget-16bit':
        return { kind: 'zip-bomb', variant, body: png(20_000, 20_000, gray(20_000, 16, 16, 16, 4), 16, 6), contentType: 'image/png', expect: [413] };
      case 'excess-data': // 64×64 header, IDAT inflating to 64 MB
        return { kind: 'zip-bomb', variant, body: png(64, 64, deflateSync(new Uint8Array(64 << 20), { level: 9 })), contentType: 'image/png', heavy: true };
      case 'short-data': // 4000×4000 header, IDAT with a tenth of the rows
        return { kind: 'zip-bomb', variant, body: png(4000, 4000, gray(4000, 4000, 400)), contentType: 'image/png', heavy: true };
    }
  }

  /** APNGs with many frames, lying frame counts and acTL in odd places. */
  private apng(): FuzzCase {
    const chunks = pngChunks(this.smallPng.bytes);
    const head = chunks.find((c) => c.type === 'IHDR')!;
    const idat = chunks.find((c) => c.type === 'IDAT')!;
    const ihdrBytes = this.smallPng.bytes.subarray(head.at, head.at + 25);
    const idatData = this.smallPng.bytes.subarray(idat.at + 8, idat.at + 8 + idat.length);
    const w = readU32be(ihdrBytes, 8), h = readU32be(ihdrBytes, 12);
    const actl = (frames: number) => pngChunk('acTL', concat(u32beBytes(frames), u32beBytes(0)));
    let seq = 0;
    const fctl = () => {
      const d = new Uint8Array(26);
      writeU32be(d, 0, seq++); writeU32be(d, 4, w); writeU32be(d, 8, h);
      d.set([0, 1, 0, 10], 20); // delay 1/10 s
      return pngChunk('fcTL', d);
    };
    const fdat = () => pngChunk('fdAT', concat(u32beBytes(seq++), idatData));
    const variant = this.rng.pick(['many-frames', 'declared-one', 'declared-zero', 'declared-huge', 'actl-after-idat', 'frames-no-actl'] as const);
    const frames = this.rng.pick([2, 10, 100, 1000]);
    const extra = (n: number) => Array.from({ length: n }, () => [fctl(), fdat()]).flat();
    const end = pngChunk('IEND', new Uint8Array(0));
    const idatChunk = pngChunk('IDAT', idatData);
    let body: Uint8Array;
    let expect: number[] | undefined;
    seq = 0;
    switch (variant) {
      case 'many-frames': body = concat(PNG_SIGNATURE, ihdrBytes, actl(frames), fctl(), idatChunk, ...extra(frames - 1), end); expect = [422]; break;
      case 'declared-huge': body = concat(PNG_SIGNATURE, ihdrBytes, actl(0xffffffff), fctl(), idatChunk, ...extra(1), end); expect = [422]; break;
      case 'declared-one': body = concat(PNG_SIGNATURE, ihdrBytes, actl(1), fctl(), idatChunk, ...extra(frames - 1), end); break;
      case 'declared-zero': body = concat(PNG_SIGNATURE, ihdrBytes, actl(0), fctl(), idatChunk, ...extra(frames - 1), end); break;
      case 'actl-after-idat': body = concat(PNG_SIGNATURE, ihdrBytes, idatChunk, actl(frames), ...extra(frames - 1), end); break;
      case 'frames-no-actl': body = concat(PNG_SIGNATURE, ihdrBytes, fctl(), idatChunk, ...extra(frames - 1), end); break;
    }
    return { kind: 'apng', variant: `${variant}-${frames}`, body, contentType: 'image/png', expect };
  }

  /** Well-formed containers whose EXIF/TIFF block is absurd: must decode (orientation falls back to 1). */
  private exif(): FuzzCase {
    const t = this.rng.pick([
      ['ifd-past-end', () => tiff({ ifdOffset: 0xfffffff0 })],
      ['ifd-zero', () => tiff({ ifdOffset: 0 })],
      ['ifd-at-4', () => tiff({ ifdOffset: 4 })],
      ['count-ffff', () => tiff({ count: 0xffff })],
      ['orientation-0', () => tiff({ orientation: 0 })],
      ['orientation-9', () => tiff({ orientation: 9 })],
      ['orientation-ffff', () => tiff({ orientation: 0xffff, bigEndian: true })],
      ['orientation-long', () => tiff({ type: 4, orientation: 6 })],
      ['orientation-6', () => tiff({ orientation: 6 })],
      ['orientation-8-be', () => tiff({ orientation: 8, bigEndian: true })],
      ['bad-byte-order', () => { const b = tiff(); b[0] = 0x4a; return b; }],
      ['bad-42', () => { const b = tiff(); b[2] = 43; return b; }],
      ['cut-short', () => tiff().subarray(0, this.rng.int(0, 25))],
      ['random', () => this.rng.bytes(this.rng.int(0, 64))],
    ] as const);
    const [name, make] = t;
    const block = make();
    const container = this.rng.pick(['jpeg', 'jpeg', 'png', 'webp'] as const);
    if (container === 'jpeg') {
      const base = this.rng.pick(this.jpegs.filter((b) => !b.name.includes('cmyk')));
      const exifPrefix = this.rng.chance(0.9) ? ascii('Exif\0\0') : ascii('Exif\0');
      const app1 = jpegSegment(0xe1, concat(exifPrefix, block));
      const at = this.rng.chance(0.5) ? 2 : (jpegSegments(base.bytes)[0]?.at ?? 2) + 2 + (jpegSegments(base.bytes)[0]?.length ?? 0);
      return { kind: 'exif', variant: `jpeg-${name}:${base.name}`, body: concat(base.bytes.subarray(0, at), app1, base.bytes.subarray(at)), contentType: 'image/jpeg', expect: [200] };
    }
    if (container === 'png') {
      const chunks = pngChunks(this.smallPng.bytes);
      const idat = chunks.find((c) => c.type === 'IDAT')!;
      const b = this.smallPng.bytes;
      return { kind: 'exif', variant: `png-${name}`, body: concat(b.subarray(0, idat.at), pngChunk('eXIf', block), b.subarray(idat.at)), contentType: 'image/png', expect: [200] };
    }
    const webp = this.rng.pick(this.webps);
    const frame = riffChunks(webp.bytes).find((c) => c.fourcc === 'VP8 ')!;
    const frameBytes = webp.bytes.subarray(frame.at, frame.at + 8 + frame.size + (frame.size & 1));
    const w = (webp.bytes[frame.at + 14] | (webp.bytes[frame.at + 15] << 8)) & 0x3fff;
    const h = (webp.bytes[frame.at + 16] | (webp.bytes[frame.at + 17] << 8)) & 0x3fff;
    const body = webpFile(vp8x(0x08, w, h), frameBytes, riffChunk('EXIF', block));
    return { kind: 'exif', variant: `webp-${name}`, body, contentType: 'image/webp', expect: [200] };
  }

  private random(): FuzzCase {
    const n = Math.max(1, Math.round(Math.exp(this.rng.next() * Math.log(4096))));
    const body = this.rng.bytes(n);
    if (this.rng.chance(0.4)) {
      const magic = this.rng.pick([new Uint8Array([0xff, 0xd8, 0xff]), PNG_SIGNATURE, ascii('RIFF\0\0\0\0WEBP'), ascii('RIFF\0\0\0\0WEBPVP8 '), ascii('RIFF\0\0\0\0WEBPVP8X'), concat(PNG_SIGNATURE, u32beBytes(13), ascii('IHDR'))]);
      const out = concat(magic, body);
      return { kind: 'random', variant: `magic-${n}`, body: out, contentType: this.rng.pick(['image/jpeg', 'image/png', 'image/webp']) };
    }
    // Random bytes are almost never a known magic; when they are, allow what that format gives.
    const known = this.sniffsAsKnown(body);
    return { kind: 'random', variant: `plain-${n}`, body, contentType: this.rng.pick(['image/jpeg', 'image/png', 'image/webp']), expect: known ? undefined : [415] };
  }

  private sniffsAsKnown(b: Uint8Array): boolean {
    return (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) || b[0] === 0x89 || text(b, 0, 4) === 'RIFF' || text(b, 0, 3) === 'GIF' ||
      text(b, 0, 2) === 'BM' || text(b, 0, 2) === 'II' || text(b, 0, 2) === 'MM' || text(b, 4, 4) === 'ftyp';
  }

  private empty(): FuzzCase {
    const ct = this.rng.pick([null, 'image/jpeg', 'image/png', 'image/webp', 'multipart/form-data; boundary=x', 'text/plain'] as const);
    return { kind: 'empty', variant: ct ?? 'none', body: new Uint8Array(0), contentType: ct, expect: ct === 'text/plain' ? [415] : [400] };
  }

  // ------------------------------------------------------------------------------ multipart

  private multipart(): FuzzCase {
    const base = this.base();
    const image = this.rng.chance(0.5) ? base.bytes : this.bitflipped(base.bytes, this.rng.int(1, 20));
    const boundary = this.rng.pick(['fuzzB0undary', '----WebKitFormBoundary7MA4YWxkTrZu0gW', 'x', 'a'.repeat(70)]);
    const enc = (s: string) => ascii(s);
    const part = (name: string, filename: string | null, bytes: Uint8Array, eol = '\r\n', type = MIME[base.format]) =>
      concat(enc(`--${boundary}${eol}Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}${eol}${filename ? `Content-Type: ${type}${eol}` : ''}${eol}`), bytes, enc(eol));
    const close = enc(`--${boundary}--\r\n`);
    const ct = `multipart/form-data; boundary=${boundary}`;
    const variant = this.rng.pick([
      'ok', 'ok', 'no-boundary-param', 'boundary-mismatch', 'no-close', 'wrong-field', 'text-field', 'empty-file', 'lf-only',
      'garbage', 'empty-boundary', 'truncated', 'no-disposition', 'two-images', 'quoted-boundary', 'boundary-in-data',
    ] as const);
    let body: Uint8Array;
    let contentType = ct;
    let expect: number[] | undefined;
    switch (variant) {
      case 'ok': body = concat(part('image', 'face.bin', image), close); break;
      case 'two-images': body = concat(part('image', 'a.bin', image), part('image', 'b.bin', base.bytes), close); break;
      case 'quoted-boundary': contentType = `multipart/form-data; boundary="${boundary}"`; body = concat(part('image', 'q.bin', image), close); break;
      case 'no-boundary-param': contentType = 'multipart/form-data'; body = concat(part('image', 'f', image), close); expect = [400]; break;
      case 'boundary-mismatch': contentType = 'multipart/form-data; boundary=somethingElse'; body = concat(part('image', 'f', image), close); expect = [400]; break;
      case 'empty-boundary': contentType = 'multipart/form-data; boundary='; body = concat(part('image', 'f', image), close); expect = [400]; break;
      case 'no-close': body = part('image', 'f', image); expect = [400]; break;
      case 'truncated': { const full = concat(part('image', 'f', image), close); body = full.subarray(0, this.rng.int(1, full.length - 8)); expect = [400]; break; }
      case 'wrong-field': body = concat(part('img', 'f', image), close); expect = [400]; break;
      case 'text-field': body = concat(part('image', null, enc('not a file')), close); expect = [400]; break;
      case 'empty-file': body = concat(part('image', 'f', new Uint8Array(0)), close); expect = [400]; break;
      case 'lf-only': body = concat(part('image', 'f', image, '\n'), enc(`--${boundary}--\n`)); break;
      case 'garbage': body = this.rng.bytes(this.rng.int(1, 512)); expect = [400]; break;
      case 'no-disposition': body = concat(enc(`--${boundary}\r\nContent-Type: image/jpeg\r\n\r\n`), image, enc('\r\n'), close); expect = [400]; break;
      case 'boundary-in-data': {
        const cut = this.rng.int(0, image.length);
        body = concat(part('image', 'f', concat(image.subarray(0, cut), enc(`\r\n--${boundary}\r\n`), image.subarray(cut))), close);
        break;
      }
    }
    return { kind: 'multipart', variant: `${variant}:${base.name}`, body, contentType, expect };
  }

  /**
   * Bodies over MAX_IMAGE_BYTES with a Content-Length: a raw body, and a multipart body over the
   * whole-body limit. Both are refused from the declared length, before the body is read.
   */
  private oversize(): FuzzCase {
    const jpeg = this.rng.pick(this.jpegs).bytes;
    if (this.rng.chance(0.5)) {
      const big = new Uint8Array(LIMITS.maxBytes + this.rng.int(1, 4096));
      big.set(jpeg, 0);
      return { kind: 'oversize', variant: 'raw', body: big, contentType: 'image/jpeg', expect: [413] };
    }
    const head = ascii('--b\r\nContent-Disposition: form-data; name="image"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n');
    const huge = new Uint8Array(2 * LIMITS.maxBytes + 65 * 1024);
    huge.set(jpeg, 0);
    return { kind: 'oversize', variant: 'multipart', body: concat(head, huge, ascii('\r\n--b--\r\n')), contentType: 'multipart/form-data; boundary=b', expect: [413] };
  }
}

/**
 * A chunked upload (no Content-Length) of `size` bytes starting with `jpeg`: the worker can only
 * count while reading. Kept out of the concurrent mix (see test/fuzz.test.ts) because wrangler's
 * dev proxy answers the next request with its own 503 after the worker stops reading early.
 */
export function chunkedUpload(jpeg: Uint8Array, size: number, chunk = 256 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) { controller.close(); return; }
      const n = Math.min(chunk, size - sent);
      controller.enqueue(sent === 0 ? concat(jpeg, new Uint8Array(Math.max(0, n - jpeg.length))) : new Uint8Array(n));
      sent += n;
    },
  });
}