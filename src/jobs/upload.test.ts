import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problem.js';
import { PART_BYTES, readJobForm, type JobFormLimits } from './upload.js';

/** The R2 calls readJobForm makes, kept in memory, with a log of what happened. */
function fakeBucket() {
  const objects = new Map<string, { bytes: Uint8Array; contentType?: string }>();
  const log: string[] = [];
  const bucket = {
    async put(key: string, value: Uint8Array, opts?: { httpMetadata?: { contentType?: string } }) {
      log.push(`put ${value.length}`);
      objects.set(key, { bytes: value.slice(), contentType: opts?.httpMetadata?.contentType });
    },
    async delete(keys: string | string[]) {
      for (const key of [keys].flat()) { log.push('delete'); objects.delete(key); }
    },
    async createMultipartUpload(key: string, opts?: { httpMetadata?: { contentType?: string } }) {
      const parts: Uint8Array[] = [];
      log.push('create');
      return {
        async uploadPart(n: number, value: Uint8Array) {
          log.push(`part ${n} ${value.length}`);
          parts[n - 1] = value.slice();
          return { partNumber: n, etag: String(n) };
        },
        async complete() {
          log.push('complete');
          objects.set(key, { bytes: new Uint8Array(Buffer.concat(parts)), contentType: opts?.httpMetadata?.contentType });
        },
        async abort() { log.push('abort'); },
      };
    },
  };
  return { bucket: bucket as unknown as R2Bucket, objects, log };
}

const limits = (maxVideoBytes = 64 * 1024 * 1024): JobFormLimits => ({
  maxVideoBytes, maxImageBytes: 1024,
  videoTooLarge: () => new ProblemError(413, 'video-too-large', 'big'),
  imageTooLarge: () => new ProblemError(413, 'image-too-large', 'big'),
});

const mp4 = (size: number) => {
  const bytes = new Uint8Array(size).map((_, i) => (i * 2654435761) >>> 24);
  bytes.set([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom')]);
  return bytes;
};

async function body(parts: Record<string, string | Uint8Array>): Promise<{ stream: ReadableStream<Uint8Array>; boundary: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') form.append(k, v);
    else form.append(k, new Blob([v as Uint8Array<ArrayBuffer>]), `${k}.bin`);
  }
  const res = new Response(form);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // 64 KiB chunks, as a network body arrives.
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 65_536));
      at += 65_536;
    },
  });
  return { stream, boundary: /boundary=(.+)$/.exec(res.headers.get('content-type')!)![1] };
}

describe('readJobForm', () => {
  it('stores a video over one part as an R2 multipart upload of equal parts, then the rest; fields and source in memory', async () => {
    const { bucket, objects, log } = fakeBucket();
    const video = mp4(2 * PART_BYTES + 5);
    const { stream, boundary } = await body({ video, task: 'swap-video', source: new Uint8Array([1, 2, 3]) });
    const form = await readJobForm(stream, boundary, bucket, 'in', limits());
    expect(log).toEqual(['create', `part 1 ${PART_BYTES}`, `part 2 ${PART_BYTES}`, 'part 3 5', 'complete']);
    expect(objects.get('in')!.contentType).toBe('video/mp4');
    expect(Buffer.compare(Buffer.from(objects.get('in')!.bytes), Buffer.from(video))).toBe(0);
    expect(form.fields).toEqual({ task: 'swap-video' });
    expect(form.video).toMatchObject({ size: video.length });
    expect(Array.from(form.source as Uint8Array)).toEqual([1, 2, 3]);
  });

  it('stores a small video with one put', async () => {
    const { bucket, objects, log } = fakeBucket();
    const { stream, boundary } = await body({ task: 'scan-video', video: mp4(1000) });
    await readJobForm(stream, boundary, bucket, 'in', limits());
    expect(log).toEqual(['put 1000']);
    expect(objects.get('in')!.bytes.length).toBe(1000);
  });

  it('over the limit: the upload is aborted, nothing stays stored, and the 413 comes through', async () => {
    const { bucket, objects, log } = fakeBucket();
    const { stream, boundary } = await body({ video: mp4(PART_BYTES + 300_000) });
    await expect(readJobForm(stream, boundary, bucket, 'in', limits(PART_BYTES + 200_000))).rejects.toMatchObject({ status: 413, code: 'video-too-large' });
    expect(log).toEqual(['create', `part 1 ${PART_BYTES}`, 'abort']);
    expect(objects.size).toBe(0);
  });

  it('a stored video is deleted again when a later part fails', async () => {
    const { bucket, objects, log } = fakeBucket();
    const { stream, boundary } = await body({ video: mp4(100), source: new Uint8Array(2000) });
    await expect(readJobForm(stream, boundary, bucket, 'in', limits())).rejects.toMatchObject({ code: 'image-too-large' });
    expect(log).toEqual(['put 100', 'delete']);
    expect(objects.size).toBe(0);
  });

  it('text where a file belongs is reported, not stored', async () => {
    const { bucket, log } = fakeBucket();
    const { stream, boundary } = await body({ video: 'not a file', task: 'scan-video' });
    expect(await readJobForm(stream, boundary, bucket, 'in', limits())).toMatchObject({ video: 'text', fields: { task: 'scan-video' } });
    expect(log).toEqual([]);
  });
});
