/**
 * @module
 * libjpeg-turbo (TurboJPEG API, from @cwasm/jpeg-turbo's wasm build) used for the one thing MozJPEG's
 * RGBA output cannot do: 4-component JPEGs. TurboJPEG decodes CMYK and YCCK files to raw CMYK
 * (libjpeg converts YCCK→CMYK itself); `cmykToRgba` then converts to RGB.
 *
 * The module exports malloc/free/tjInitDecompress/tjDecompressHeader3/tjDecompress2/tjDestroy. Its
 * `longjmp` import is how libjpeg reports fatal errors; we make it throw. Unwinding through wasm that
 * way leaks the wasm stack and heap, so every decode gets a fresh instance (instantiating an already
 * compiled 140 KB module is cheap) and the instance's memory goes away with it.
 */
import turboWasm from '@cwasm/jpeg-turbo/jpeg-turbo.wasm';

type TurboExports = {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  tjInitDecompress(): number;
  tjDestroy(handle: number): number;
  tjDecompressHeader3(handle: number, src: number, size: number, w: number, h: number, subsamp: number, colorspace: number): number;
  tjDecompress2(handle: number, src: number, size: number, dst: number, w: number, pitch: number, h: number, pixelFormat: number, flags: number): number;
};

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

/**
 * Decodes a CMYK or YCCK JPEG to its raw CMYK samples (4 bytes per pixel, exactly as stored: Adobe
 * files hold inverted CMYK). Throws on any libjpeg error or warning (e.g. truncated data).
 */
export function decodeJpegCmyk(bytes: Uint8Array): { width: number; height: number; cmyk: Uint8Array } {
  const x = instantiate();
  const src = x.malloc(bytes.length);
  const meta = x.malloc(16);
  const handle = x.tjInitDecompress();
  if (!src || !meta || !handle) throw new LibjpegError('out of memory');
  new Uint8Array(x.memory.buffer, src, bytes.length).set(bytes);
  if (x.tjDecompressHeader3(handle, src, bytes.length, meta, meta + 4, meta + 8, meta + 12) !== 0) {
    throw new LibjpegError('cannot read the JPEG header');
  }
  const [width, height, , colorspace] = new Int32Array(x.memory.buffer, meta, 4);
  if (colorspace !== TJCS_CMYK && colorspace !== TJCS_YCCK) throw new LibjpegError(`not a CMYK/YCCK JPEG (TJCS ${colorspace})`);
  const size = width * height * 4;
  const dst = x.malloc(size);
  if (!dst) throw new LibjpegError('out of memory');
  // Non-zero also covers warnings (TurboJPEG returns -1 when libjpeg warned, e.g. on truncation).
  if (x.tjDecompress2(handle, src, bytes.length, dst, width, width * 4, height, TJPF_CMYK, 0) !== 0) {
    throw new LibjpegError('corrupt or truncated JPEG data');
  }
  const cmyk = new Uint8Array(x.memory.buffer, dst, size).slice();
  x.tjDestroy(handle);
  return { width, height, cmyk };
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
