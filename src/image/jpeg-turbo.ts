/**
 * @module
 * libjpeg-turbo (TurboJPEG API, from @cwasm/jpeg-turbo's wasm build) used for what MozJPEG's RGBA
 * output path cannot do:
 * - 4-component JPEGs: TurboJPEG decodes CMYK and YCCK files to raw CMYK (libjpeg converts YCCK→CMYK
 *   itself); `cmykToRgba` then converts to RGB;
 * - decoding straight to a reduced size (libjpeg's DCT scaling, M/8), so that a 25 MP photo is never
 *   held at full size in a 128 MB isolate when the pipeline only needs a few megapixels.
 *
 * The module exports malloc/free/tjInitDecompress/tjDecompressHeader3/tjDecompress2/tjDestroy. Its
 * `longjmp` import is how libjpeg reports fatal errors; we make it throw. Unwinding through wasm that
 * way leaks the wasm stack and heap, so an instance that threw is never used again (instantiating the
 * already compiled 140 KB module is cheap) and its memory goes away with it.
 */
import turboWasm from '@cwasm/jpeg-turbo/jpeg-turbo.wasm';
import { scaledSize } from './downscale.js';

type TurboExports = {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  tjInitDecompress(): number;
  tjDestroy(handle: number): number;
  tjDecompressHeader3(handle: number, src: number, size: number, w: number, h: number, subsamp: number, colorspace: number): number;
  tjDecompress2(handle: number, src: number, size: number, dst: number, w: number, pitch: number, h: number, pixelFormat: number, flags: number): number;
};

const TJPF_RGBA = 7;
const TJPF_CMYK = 11;
/** TurboJPEG colour spaces (TJCS_*). */
const TJCS_CMYK = 3;
const TJCS_YCCK = 4;

class LibjpegError extends Error {}

function instantiate(): TurboExports {
  const fail = (what: string) => () => { throw new LibjpegError(what); };
  const instance = new WebAssembly.Instance(turboWasm, {
    env: { setjmp: () => 0, longjmp: fail('libjpeg reported a fatal error') },
    wasi_snapshot_preview1: {
      environ_sizes_get: () => 0,
      environ_get: () => 0,
      proc_exit: fail('libjpeg exited'),
      fd_close: () => 0,
      fd_seek: () => 0,
      fd_write: () => 0,
    },
  });
  return instance.exports as unknown as TurboExports;
}

/** Largest M in 1…8 whose M/8 DCT scaling leaves at most `maxPixels` (1 when none does). */
export function jpegScaleEighths(width: number, height: number, maxPixels: number): number {
  for (let m = 8; m > 1; m--) {
    const scaled = scaledSize(width, height, m / 8);
    if (scaled.width * scaled.height <= maxPixels) return m;
  }
  return 1;
}

export type TurboDecoded = {
  width: number;
  height: number;
  /** 4 bytes per pixel: RGBA (alpha 255), or raw CMYK as stored. */
  pixels: Uint8Array;
  /** The DCT scale the image was decoded at, in eighths (8 = full size). */
  eighths: number;
  /** libjpeg warned (e.g. corrupt entropy data, or data that ends early) but produced a whole image. */
  warned: boolean;
  colorspace: number;
};

/**
 * The instance kept between decodes. A decode that throws leaves it unusable (see the module doc), so
 * it is taken out while in use and put back only after a clean run; one that grew its memory past
 * `KEEP_INSTANCE_BYTES` (a progressive JPEG holds all its DCT coefficients) is dropped too, for the
 * garbage collector, rather than held by the isolate for good.
 */
let kept: TurboExports | undefined;
const KEEP_INSTANCE_BYTES = 16 * 2 ** 20;

/**
 * One TurboJPEG decode, scaled down in the DCT by M/8 so that the output has at most `maxPixels`
 * (default: full size). Throws on fatal libjpeg errors; warnings only set `warned`, as TurboJPEG reports
 * them through its return value.
 */
function turboDecode(bytes: Uint8Array, format: 'rgba' | 'cmyk', maxPixels = Infinity): TurboDecoded {
  const x = kept ?? instantiate();
  kept = undefined;
  const src = x.malloc(bytes.length);
  const meta = x.malloc(16);
  const handle = x.tjInitDecompress();
  if (!src || !meta || !handle) throw new LibjpegError('out of memory');
  new Uint8Array(x.memory.buffer, src, bytes.length).set(bytes);
  if (x.tjDecompressHeader3(handle, src, bytes.length, meta, meta + 4, meta + 8, meta + 12) !== 0) {
    throw new LibjpegError('cannot read the JPEG header');
  }
  const [fullWidth, fullHeight, , colorspace] = new Int32Array(x.memory.buffer, meta, 4);
  const fourComponent = colorspace === TJCS_CMYK || colorspace === TJCS_YCCK;
  if ((format === 'cmyk') !== fourComponent) throw new LibjpegError(`TJCS ${colorspace} cannot be decoded to ${format}`);
  const eighths = jpegScaleEighths(fullWidth, fullHeight, maxPixels);
  // libjpeg's scaled size (TJSCALED) is ⌈n·M/8⌉, the same rule as scaledSize.
  const { width, height } = scaledSize(fullWidth, fullHeight, eighths / 8);
  const size = width * height * 4;
  const dst = x.malloc(size);
  if (!dst) throw new LibjpegError('out of memory');
  // Asking for exactly the M/8 size makes TurboJPEG pick that factor: the largest that fits the request.
  const status = x.tjDecompress2(handle, src, bytes.length, dst, width, width * 4, height, format === 'rgba' ? TJPF_RGBA : TJPF_CMYK, 0);
  const pixels = new Uint8Array(x.memory.buffer, dst, size).slice();
  x.tjDestroy(handle);
  x.free(dst);
  x.free(meta);
  x.free(src);
  if (x.memory.buffer.byteLength <= KEEP_INSTANCE_BYTES) kept = x;
  return { width, height, pixels, eighths, warned: status !== 0, colorspace };
}

/** Bytes of linear memory the kept TurboJPEG instance holds (0 when none is kept): a leak shows up here. */
export const turboMemoryBytes = (): number => kept?.memory.buffer.byteLength ?? 0;

/**
 * Decodes a CMYK or YCCK JPEG to its raw CMYK samples (4 bytes per pixel, exactly as stored: Adobe
 * files hold inverted CMYK), scaled down as `turboDecode` does. Throws on any libjpeg error or warning
 * (e.g. truncated data).
 */
export function decodeJpegCmyk(bytes: Uint8Array, maxPixels?: number): { width: number; height: number; cmyk: Uint8Array; eighths: number } {
  const { width, height, pixels, eighths, warned } = turboDecode(bytes, 'cmyk', maxPixels);
  if (warned) throw new LibjpegError('corrupt or truncated JPEG data');
  return { width, height, cmyk: pixels, eighths };
}

/**
 * Decodes a 1- or 3-component JPEG to RGBA directly at a reduced size (M/8 with the largest M whose
 * output has at most `maxPixels`), so that a large photo never exists at full size in memory.
 * `truncated`: libjpeg warned and the data has no end-of-image marker, i.e. it ran out.
 */
export function decodeJpegScaled(bytes: Uint8Array, maxPixels: number): { width: number; height: number; rgba: Uint8Array; eighths: number; truncated: boolean } {
  const { width, height, pixels, eighths, warned } = turboDecode(bytes, 'rgba', maxPixels);
  return { width, height, rgba: pixels, eighths, truncated: warned && !hasEndOfImage(bytes) };
}

/** An EOI marker (FF D9) anywhere: entropy-coded data stuffs every FF, so FF D9 only occurs as a marker. */
function hasEndOfImage(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= 0; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

/**
 * CMYK → RGBA (alpha 255) with the naive device conversion R = (1−C)(1−K) etc., which is what
 * browsers and libvips do without an ICC profile. `inverted` (Adobe APP14 present, the Photoshop
 * convention) means the samples are stored as 255−C…, so R = C·K/255 on the raw values.
 */
export function cmykToRgba(cmyk: Uint8Array, inverted: boolean): Uint8ClampedArray {
  const pixels = cmyk.length >> 2;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0, o = 0; i < cmyk.length; i += 4, o += 4) {
    let c = cmyk[i], m = cmyk[i + 1], y = cmyk[i + 2], k = cmyk[i + 3];
    if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
    out[o] = (c * k) / 255;
    out[o + 1] = (m * k) / 255;
    out[o + 2] = (y * k) / 255;
    out[o + 3] = 255; // Uint8ClampedArray rounds to nearest
  }
  return out;
}
