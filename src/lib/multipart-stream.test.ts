import { describe, expect, it } from 'vitest';
import { MultipartError, readMultipart } from './multipart-stream.js';

/** Serialises `form` the way fetch does, then streams it in chunks of the given sizes (cycled). */
async function streamed(form: FormData, sizes: number[]): Promise<{ stream: ReadableStream<Uint8Array>; boundary: string }> {
  const res = new Response(form);
  const boundary = /boundary=(.+)$/.exec(res.headers.get('content-type')!)![1];
  const bytes = new Uint8Array(await res.arrayBuffer());
  let at = 0, k = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = sizes[k++ % sizes.length];
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
  return { stream, boundary };
}

const collect = async (body: AsyncIterable<Uint8Array>) => {
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
};

function sample(): { form: FormData; video: Uint8Array } {
  const video = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
  // Bytes that look like the start of a delimiter inside the data.
  video.set(new TextEncoder().encode('\r\n--'), 1000);
  video.set([13, 10, 45, 45, 45], 200_000);
  const form = new FormData();
  form.append('task', 'scan-video');
  form.append('video', new Blob([video], { type: 'video/mp4' }), 'clip "a".mp4');
  form.append('empty', new Blob([]), 'e.bin');
  form.append('callbackUrl', 'https://example.com/hook');
  return { form, video };
}

describe('readMultipart', () => {
  it.each([[[1]], [[7, 13]], [[4096]], [[65_536, 3]], [[1_000_000]]])('yields every part and its exact bytes, chunks of %j', async (sizes) => {
    const { form, video } = sample();
    const { stream, boundary } = await streamed(form, sizes);
    const parts: { name: string; filename?: string; contentType?: string; bytes: Uint8Array }[] = [];
    for await (const part of readMultipart(stream, boundary)) parts.push({ name: part.name, filename: part.filename, contentType: part.contentType, bytes: await collect(part.body) });
    expect(parts.map((p) => p.name)).toEqual(['task', 'video', 'empty', 'callbackUrl']);
    expect(new TextDecoder().decode(parts[0].bytes)).toBe('scan-video');
    expect(parts[1]).toMatchObject({ filename: expect.stringContaining('clip'), contentType: 'video/mp4' });
    expect(Buffer.compare(Buffer.from(parts[1].bytes), Buffer.from(video))).toBe(0);
    expect(parts[2].bytes.length).toBe(0);
    expect(new TextDecoder().decode(parts[3].bytes)).toBe('https://example.com/hook');
  });

  it('skips the bodies a consumer leaves unread', async () => {
    const { form } = sample();
    const { stream, boundary } = await streamed(form, [5000]);
    const names: string[] = [];
    for await (const part of readMultipart(stream, boundary)) names.push(part.name);
    expect(names).toEqual(['task', 'video', 'empty', 'callbackUrl']);
  });

  it('refuses a body without its boundary, cut inside a part, or with a part that has no name', async () => {
    const read = async (text: string, boundary = 'b') => {
      const stream = new Response(text).body!;
      for await (const part of readMultipart(stream, boundary)) await collect(part.body);
    };
    await expect(read('no boundary here')).rejects.toThrow(MultipartError);
    await expect(read('--b\r\ncontent-disposition: form-data; name="x"\r\n\r\nabc')).rejects.toThrow(/ends inside a part/);
    await expect(read('--b\r\ncontent-type: text/plain\r\n\r\nabc\r\n--b--')).rejects.toThrow(/no name/);
    await expect(read('--b\r\ncontent-disposition: form-data; name="x"\r\n\r\nabc\r\n--b--\r\n')).resolves.toBeUndefined();
  });
});
