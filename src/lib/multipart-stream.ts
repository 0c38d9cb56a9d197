/**
 * @module lib/multipart-stream
 * A streaming multipart/form-data reader: parts come out one by one, each with its body as a stream of
 * chunks, so a 100 MB video field can go to storage without the request ever being held whole (workerd's
 * `formData()` buffers it all, and an isolate has 128 MB).
 *
 * Each part's `body` must be consumed (or left unread: the next step skips it) before the next part is asked for.
 */
import { concatBytes } from './bytes.js';

export type StreamedPart = {
  name: string;
  /** Present for file fields. */
  filename?: string;
  contentType?: string;
  body: AsyncIterable<Uint8Array>;
};

export class MultipartError extends Error {}

const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);
/** Part headers larger than this are refused: they are a few hundred bytes in practice. */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * @example
 * for await (const part of readMultipart(request.body, boundary)) {
 *   if (part.name === 'video') await store(part.body); else await text(part.body);
 * }
 */
export async function* readMultipart(stream: ReadableStream<Uint8Array>, boundary: string): AsyncGenerator<StreamedPart> {
  const input = new ByteReader(stream);
  const dashBoundary = new TextEncoder().encode(`--${boundary}`);
  const delimiter = concatBytes(CRLF, dashBoundary);

  // Preamble: everything up to the first boundary line.
  if (!(await input.skipPast(dashBoundary))) throw new MultipartError('no opening boundary');
  for (;;) {
    // After a boundary: "--" ends the body, CRLF starts a part (transport padding is not allowed here).
    const after = await input.take(2);
    if (after[0] === 45 && after[1] === 45) return;
    if (after[0] !== 13 || after[1] !== 10) throw new MultipartError('malformed boundary line');
    const headerBytes = await input.takeUntil(HEADER_END, MAX_HEADER_BYTES);
    if (!headerBytes) throw new MultipartError('part headers not terminated');
    const part = parseHeaders(new TextDecoder().decode(headerBytes));
    let finished = false;
    const body = (async function* () {
      yield* input.chunksUntil(delimiter);
      finished = true;
    })();
    yield { ...part, body };
    // Whatever the consumer left unread is skipped.
    if (!finished) for await (const _ of body) { /* drain */ }
  }
}

function parseHeaders(text: string): Omit<StreamedPart, 'body'> {
  let name: string | undefined, filename: string | undefined, contentType: string | undefined;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') contentType = value;
    if (key === 'content-disposition') {
      name = param(value, 'name');
      filename = param(value, 'filename');
    }
  }
  if (name === undefined) throw new MultipartError('a part has no name');
  return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}) };
}

function param(disposition: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`(?:^|;)\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

/** Pull-based reading of a byte stream with a small look-behind buffer. */
class ByteReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buf: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.done = true;
      return false;
    }
    this.buf = this.buf.length ? concatBytes(this.buf, value) : value;
    return true;
  }

  /** Exactly `n` bytes, or a MultipartError at the end of the stream. */
  async take(n: number): Promise<Uint8Array> {
    while (this.buf.length < n) if (!(await this.fill())) throw new MultipartError('body ends early');
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Discards bytes through the first `marker`; false when the stream ends first. */
  async skipPast(marker: Uint8Array): Promise<boolean> {
    for (;;) {
      const at = indexOf(this.buf, marker);
      if (at >= 0) {
        this.buf = this.buf.subarray(at + marker.length);
        return true;
      }
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - marker.length + 1));
      if (!(await this.fill())) return false;
    }
  }

  /** The bytes before `marker` (consumed with it), or null when more than `max` come first. */
  async takeUntil(marker: Uint8Array, max: number): Promise<Uint8Array | null> {
    for (;;) {
      const at = indexOf(this.buf, marker);
      if (at >= 0) {
        const out = this.buf.slice(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        return out;
      }
      if (this.buf.length > max) return null;
      if (!(await this.fill())) throw new MultipartError('body ends early');
    }
  }

  /** Yields the bytes before `marker` as they arrive, keeping back only what could be its start. */
  async *chunksUntil(marker: Uint8Array): AsyncGenerator<Uint8Array> {
    for (;;) {
      const at = indexOf(this.buf, marker);
      if (at >= 0) {
        if (at > 0) yield this.buf.slice(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        return;
      }
      const safe = this.buf.length - marker.length + 1;
      if (safe > 0) {
        yield this.buf.slice(0, safe);
        this.buf = this.buf.subarray(safe);
      }
      if (!(await this.fill())) throw new MultipartError('body ends inside a part');
    }
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = haystack.indexOf(first); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
