/**
 * @module lib/read-limited
 * Reads a whole HTTP body (request or response) while refusing it as soon as more than `limit`
 * bytes are declared in Content-Length or actually received — the one place uploads and fetched
 * URLs are size-limited, so a lying or absent Content-Length never lets a large body through.
 */
import { concatBytes } from './bytes.js';

export async function readBodyWithin(
  message: Request | Response,
  limit: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const declared = Number(message.headers.get('content-length'));
  if (message.headers.has('content-length') && Number.isFinite(declared) && declared > limit) {
    // A fetched response is ours to cancel. An incoming request body is left alone: cancelling it
    // mid-upload makes wrangler's dev proxy drop the connection instead of delivering the 413.
    if (message instanceof Response) await message.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!message.body) return new Uint8Array(0);
  try {
    return await readChunksWithin(streamChunks(message.body), limit, tooLarge);
  } catch (error) {
    await message.body.cancel().catch(() => undefined);
    throw error;
  }
}

/** The chunks of `stream`, for `for await` (the lib types of ReadableStream do not say it is iterable). */
export async function* streamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** `readBodyWithin` for any source of chunks (e.g. one part of a streamed multipart body). */
export async function readChunksWithin(chunks: AsyncIterable<Uint8Array>, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge();
    parts.push(chunk);
  }
  return parts.length === 1 ? parts[0] : concatBytes(...parts);
}
