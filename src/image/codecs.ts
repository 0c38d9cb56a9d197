/**
 * @module
 * The only place that touches the wasm codecs. Each codec's `.wasm` is imported statically, so
 * wrangler bundles it as a CompiledWasm module (workerd forbids compiling wasm from bytes at run
 * time) and the vitest plugin does the same in Node. Each codec is initialised once per isolate,
 * lazily, from that pre-compiled module.
 *
 * Codecs: MozJPEG (jSquash) for JPEG decode/encode, libjpeg-turbo (@cwasm/jpeg-turbo, raw
 * TurboJPEG exports) for CMYK/YCCK JPEG, which MozJPEG's RGBA output path cannot convert,
 * Squoosh's Rust PNG codec, and libwebp's decoder.
 */
import mozjpegDecWasm from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm';
import mozjpegEncWasm from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
// @ts-expect-error the package's squoosh_png_bg.wasm.d.ts types the instance exports; the CompiledWasm
// rule (wrangler, and vitest.config.ts in Node) makes the default export a WebAssembly.Module.
import pngWasmImport from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
import webpDecWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
import decodeMozjpeg, { init as initMozjpegDecoder } from '@jsquash/jpeg/decode.js';
import encodeMozjpeg, { init as initMozjpegEncoder } from '@jsquash/jpeg/encode.js';
import { decode as decodePngCodec, init as initPngDecoder } from '@jsquash/png/decode.js';
import encodePngCodec, { init as initPngEncoder } from '@jsquash/png/encode.js';
import decodeWebpCodec, { init as initWebpDecoder } from '@jsquash/webp/decode.js';
import type { EncodeOptions as MozjpegEncodeOptions } from '@jsquash/jpeg/meta.js';

/** Pixels as the codecs hand them over (ImageData-shaped, RGBA8). */
export type CodecImage = { width: number; height: number; data: Uint8ClampedArray };

/** jSquash's emscripten `init` takes `(module, overrides)` at run time; its .d.ts only declares `(overrides)`. */
const pngWasm: WebAssembly.Module = pngWasmImport;

type EmscriptenInit = (module: WebAssembly.Module, overrides?: Record<string, unknown>) => Promise<unknown> | void;

// The codec glue constructs ImageData; workerd and Node have none. jSquash ships a polyfill but only
// installs it under environment checks that nodejs_compat can defeat, so install an equivalent here.
if (typeof (globalThis as { ImageData?: unknown }).ImageData === 'undefined') {
  (globalThis as { ImageData?: unknown }).ImageData = class ImageData {
    constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
  };
}

const once = <T>(init: () => T): (() => T) => {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) { value = init(); done = true; }
    return value as T;
  };
};

/** Messages libjpeg printed during the current MozJPEG call (warnings such as "Premature end of JPEG file"). */
let jpegMessages: string[] = [];
const captureJpegMessage = (message: string) => { jpegMessages.push(String(message)); };

/**
 * The MozJPEG decoder instance, created lazily and replaced after every failed decode: libjpeg reports
 * fatal errors with `exit()`, which emscripten throws through the wasm without restoring its stack
 * pointer or freeing what libjpeg allocated. Reusing the instance after that leaks on each failure, and
 * after ~100 corrupt files it is corrupted for good (every later JPEG, valid or not, fails).
 */
let mozjpegDecoder: Promise<unknown> | undefined;
const ensureMozjpegDecoder = () =>
  (mozjpegDecoder ??= Promise.resolve(
    (initMozjpegDecoder as unknown as EmscriptenInit)(mozjpegDecWasm, { print: captureJpegMessage, printErr: captureJpegMessage }),
  ));
const ensureMozjpegEncoder = once(() => (initMozjpegEncoder as unknown as EmscriptenInit)(mozjpegEncWasm));
const ensureWebpDecoder = once(() => (initWebpDecoder as unknown as EmscriptenInit)(webpDecWasm));
// One after the other: started together, both inits instantiate the module, and the wasm-bindgen glue
// keeps whichever finishes last, so the exports `pngDecode` holds could belong to the other instance.
const ensurePng = once(async () => {
  const exports = (await initPngDecoder(pngWasm)) as unknown as PngExports;
  await initPngEncoder(pngWasm);
  return exports;
});

/**
 * MozJPEG decode to RGBA (no EXIF rotation: orientation is applied by `decode.ts`). Returns the libjpeg
 * messages printed during the call; throws with the libjpeg error text when decoding fails.
 */
export function mozjpegDecode(bytes: Uint8Array): Promise<{ image: CodecImage; messages: string[] }> {
  // Serialised: the captured messages are module state, and jSquash awaits between our reset and its decode.
  const run = jpegQueue.then(() => mozjpegDecodeNow(bytes));
  jpegQueue = run.catch(() => undefined);
  return run;
}
let jpegQueue: Promise<unknown> = Promise.resolve();

async function mozjpegDecodeNow(bytes: Uint8Array): Promise<{ image: CodecImage; messages: string[] }> {
  await ensureMozjpegDecoder();
  jpegMessages = [];
  try {
    const image = await decodeMozjpeg(toArrayBuffer(bytes), { preserveOrientation: false });
    return { image, messages: jpegMessages };
  } catch (error) {
    mozjpegDecoder = undefined; // see ensureMozjpegDecoder: never reuse an instance that threw
    const detail = jpegMessages.filter((m) => m.trim()).join('; ') || (error instanceof Error ? error.message : String(error));
    throw new Error(detail);
  } finally {
    jpegMessages = [];
  }
}

/** The wasm-bindgen exports of the PNG codec that matter here (jSquash's `init` resolves to them). */
type PngExports = { __wbindgen_add_to_stack_pointer(delta: number): number; memory: WebAssembly.Memory };

/** Bytes of linear memory the PNG codec has grown to (it never shrinks): a leak shows up here. */
export async function pngCodecMemoryBytes(): Promise<number> {
  return (await ensurePng()).memory.buffer.byteLength;
}

export async function pngDecode(bytes: Uint8Array): Promise<CodecImage> {
  const exports = await ensurePng();
  // A decode error is thrown from inside the wasm (wasm-bindgen's unwrap_throw), skipping the code that
  // pops Rust's shadow stack. Unrestored, every failure leaks stack until the shared instance corrupts
  // itself (~750 bad PNGs, after which PNG decoding and encoding fail for the isolate's lifetime).
  const stack = exports.__wbindgen_add_to_stack_pointer(0);
  try {
    return await decodePngCodec(toArrayBuffer(bytes));
  } catch (error) {
    exports.__wbindgen_add_to_stack_pointer(stack - exports.__wbindgen_add_to_stack_pointer(0));
    throw error;
  }
}

export async function webpDecode(bytes: Uint8Array): Promise<CodecImage> {
  await ensureWebpDecoder();
  return decodeWebpCodec(toArrayBuffer(bytes));
}

export async function pngEncode(image: CodecImage): Promise<Uint8Array> {
  await ensurePng();
  return new Uint8Array(await encodePngCodec(image as ImageData));
}

export async function mozjpegEncode(image: CodecImage, options: Partial<MozjpegEncodeOptions>): Promise<Uint8Array> {
  await ensureMozjpegEncoder();
  return new Uint8Array(await encodeMozjpeg(image as ImageData, options));
}

/** An ArrayBuffer holding exactly `bytes` (copied only when `bytes` is a view into a larger buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // Not bytes.slice(): on a Node Buffer that is a view of the same memory, not a copy.
  return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
}
