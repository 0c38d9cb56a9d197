/**
 * @module input
 * Turning the accepted image inputs into request bodies. File paths need Node and are read lazily,
 * so browser bundles never pull in `node:fs`.
 */

/** Bytes, a Blob/File, an ArrayBuffer, or (Node only) a file path. */
export type BinaryInput = Uint8Array | Blob | ArrayBuffer | string;

/** An image the server fetches itself (https, public hosts only; the same byte and pixel limits as uploads). */
export type UrlInput = { url: string | URL };

/** What the image methods take: the image itself, or its URL. */
export type ImageSource = BinaryInput | UrlInput;

export const isUrlInput = (input: ImageSource): input is UrlInput =>
  typeof input === 'object' && input !== null && 'url' in input && !(typeof Blob !== 'undefined' && input instanceof Blob);

/** The JSON body that names images by URL, e.g. `{ imageUrl }` or `{ sourceUrl, targetUrl, model }`. */
export const jsonBody = (fields: Record<string, unknown>): Blob =>
  new Blob([JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))], { type: 'application/json' });

const EXT_TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime' };

/** The media type from the first bytes (JPEG, PNG, WebP, GIF, MP4/MOV, WebM), else octet-stream. */
export function sniffType(bytes: Uint8Array): string {
  const b = bytes;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(b, 0, 3) === 'GIF') return 'image/gif';
  if (ascii(b, 4, 8) === 'ftyp') return ascii(b, 8, 10) === 'qt' ? 'video/quicktime' : 'video/mp4';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm';
  return 'application/octet-stream';
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** Reads any input into a typed Blob (type from the Blob itself, else sniffed from the bytes). */
export async function toBlob(input: BinaryInput): Promise<Blob> {
  if (typeof input === 'string') {
    const fsName = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const bytes = new Uint8Array(await readFile(input));
    const ext = /\.([a-z0-9]+)$/i.exec(input)?.[1]?.toLowerCase() ?? '';
    const sniffed = sniffType(bytes);
    return new Blob([bytes], { type: sniffed !== 'application/octet-stream' ? sniffed : EXT_TYPES[ext] ?? sniffed });
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    if (input.type) return input;
    return new Blob([input], { type: sniffType(new Uint8Array(await input.slice(0, 16).arrayBuffer())) });
  }
  if (input instanceof ArrayBuffer) return new Blob([input], { type: sniffType(new Uint8Array(input, 0, Math.min(16, input.byteLength))) });
  if (input instanceof Uint8Array) return new Blob([input as Uint8Array<ArrayBuffer>], { type: sniffType(input) });
  throw new TypeError('image must be a Uint8Array, Blob, ArrayBuffer or file path');
}

/** A file name for multipart parts. */
export function fileName(input: BinaryInput, fallback: string): string {
  if (typeof input === 'string') return input.split(/[\\/]/).pop() || fallback;
  if (typeof File !== 'undefined' && input instanceof File && input.name) return input.name;
  return fallback;
}
