/**
 * @module lib/read-limited
 * Reads a whole HTTP body (request or response) while refusing it as soon as more than `limit`
 * bytes are declared in Content-Length or actually received — the one place uploads and fetched
 * URLs are size-limited, so a lying or absent Content-Length never lets a large body through.
 */
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
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
