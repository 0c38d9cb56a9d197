/**
 * @module jobs/upload
 * Job videos go to R2 as they arrive, in 8 MiB parts of an R2 multipart upload (or one put when smaller),
 * so a 100 MB video never sits whole in the isolate: the `video` part of a multipart upload (`readJobForm`)
 * and a `videoUrl` download (`storeVideo` on the response body). Text fields and the `source` image
 * (≤ MAX_IMAGE_BYTES) are small and kept in memory.
 */
import { concatBytes } from '../lib/bytes.js';
import { readMultipart } from '../lib/multipart-stream.js';
import { readChunksWithin } from '../lib/read-limited.js';
import { ProblemError } from '../problem.js';
import { sniffContainer } from './container.js';

/** R2 multipart parts must be ≥ 5 MiB except the last; equal sizes keep every R2 implementation happy. */
export const PART_BYTES = 8 * 1024 * 1024;
/** Bytes of the video kept for sniffing its container. */
export const HEAD_BYTES = 4096;
const MAX_FIELD_BYTES = 64 * 1024;

export type StoredVideo = { head: Uint8Array; size: number };
export type JobForm = {
  fields: Record<string, string>;
  /** Stored at the given key; 'text' when the field came as text instead of a file. */
  video?: StoredVideo | 'text';
  source?: Uint8Array | 'text';
};

export type JobFormLimits = {
  maxVideoBytes: number;
  maxImageBytes: number;
  videoTooLarge: () => ProblemError;
  imageTooLarge: () => ProblemError;
};

/**
 * Reads the form; the video (if any) is at `videoKey` when this resolves. On any error the stored video
 * is removed again before the error is rethrown.
 */
export async function readJobForm(stream: ReadableStream<Uint8Array>, boundary: string, bucket: R2Bucket, videoKey: string, limits: JobFormLimits): Promise<JobForm> {
  const form: JobForm = { fields: {} };
  try {
    for await (const part of readMultipart(stream, boundary)) {
      if (part.filename === undefined) {
        if (part.name === 'video' || part.name === 'source') form[part.name] = 'text';
        else form.fields[part.name] = new TextDecoder().decode(await readChunksWithin(part.body, MAX_FIELD_BYTES, () => tooLongField(part.name)));
      } else if (part.name === 'video' && form.video === undefined) {
        form.video = await storeVideo(part.body, bucket, videoKey, limits);
      } else if (part.name === 'source' && form.source === undefined) {
        form.source = await readChunksWithin(part.body, limits.maxImageBytes, limits.imageTooLarge);
      }
      // Any other part is skipped by the reader.
    }
  } catch (error) {
    if (form.video && form.video !== 'text') await bucket.delete(videoKey).catch(() => {});
    throw error;
  }
  return form;
}

const tooLongField = (name: string) => new ProblemError(400, 'invalid-request', `The form field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`);

/** Streams a video into R2 in PART_BYTES pieces; aborts the R2 upload if anything fails. */
export async function storeVideo(body: AsyncIterable<Uint8Array>, bucket: R2Bucket, key: string, limits: Pick<JobFormLimits, 'maxVideoBytes' | 'videoTooLarge'>): Promise<StoredVideo> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let size = 0;
  let head: Uint8Array = new Uint8Array(0);
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  const httpMetadata = () => ({ contentType: sniffContainer(head)?.contentType ?? 'application/octet-stream' });
  const take = (n: number): Uint8Array => {
    const all = concatBytes(...pending);
    pending = all.length > n ? [all.subarray(n)] : [];
    pendingBytes = all.length - Math.min(n, all.length);
    return all.subarray(0, n);
  };
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > limits.maxVideoBytes) throw limits.videoTooLarge();
      if (head.length < HEAD_BYTES) head = concatBytes(head, chunk.subarray(0, HEAD_BYTES - head.length));
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= PART_BYTES) {
        upload ??= await bucket.createMultipartUpload(key, { httpMetadata: httpMetadata() });
        parts.push(await upload.uploadPart(parts.length + 1, take(PART_BYTES)));
      }
    }
    if (!upload) {
      await bucket.put(key, take(pendingBytes), { httpMetadata: httpMetadata() });
    } else {
      if (pendingBytes > 0) parts.push(await upload.uploadPart(parts.length + 1, take(pendingBytes)));
      await upload.complete(parts);
    }
    return { head, size };
  } catch (error) {
    await upload?.abort().catch(() => {});
    throw error;
  }
}
