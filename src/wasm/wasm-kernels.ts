/**
 * @module wasm/wasm-kernels
 * `Kernels` over an instance of the AssemblyScript module. Takes the compiled `WebAssembly.Module` so that
 * the static `import ... from './kernels.wasm'` (kernels.ts) stays the only way the Worker gets it, while
 * Node tools (bench) may pass a module compiled from bytes.
 *
 * Memory: the module (stub runtime) never allocates. Everything above `heapBase()` is a bump arena that is
 * reset at the start of each call, grown with `memory.grow` when a call needs more, and never shrunk.
 */
import type { Affine } from '../pipeline/align';
import type { Point2, RgbaImage } from '../pipeline/types';
import {
  HEAT_PALETTE, SRGB_DECODE_LUT, SRGB_ENCODE_LUT, checkAffine, checkReach, checkImage, checkMask, checkSize, colorParams,
  colorTransferAffine, gaussianWeights, polygonEdges, projectedBox, statsFrom, tensorParams, type LabSums,
  TRIANGLE_STRIDE, triangleWarpParams, type Triangle,
} from './kernel-math';
import type { ColorTransferOptions, HeatmapOptions, Kernels, PolygonOptions, TensorOptions, WarpOptions, XrayOverlayOptions, XrayStats } from './types';

type Ptr = number;
type Exports = {
  memory: WebAssembly.Memory;
  heapBase(): Ptr;
  warpAffine(src: Ptr, sw: number, sh: number, dst: Ptr, dw: number, dh: number, a: number, b: number, c: number, d: number, e: number, f: number, border: number): void;
  pasteBack(dst: Ptr, dw: number, crop: Ptr, cw: number, ch: number, mask: Ptr, a: number, b: number, c: number, d: number, e: number, f: number, x0: number, y0: number, x1: number, y1: number): void;
  warpToTensor(src: Ptr, sw: number, sh: number, dst: Ptr, dw: number, dh: number, a: number, b: number, c: number, d: number, e: number, f: number, border: number, params: Ptr, nhwc: number, bgr: number): void;
  rgbaToTensor(src: Ptr, n: number, dst: Ptr, params: Ptr, nhwc: number, bgr: number): void;
  alphaBlend(fg: Ptr, bg: Ptr, mask: Ptr, n: number, out: Ptr, boundary: Ptr): void;
  separable(src: Ptr, w: number, h: number, weights: Ptr, r: number, op: number, pad: Ptr, tmp: Ptr, out: Ptr): void;
  fillPolygon(out: Ptr, w: number, h: number, edges: Ptr, n: number, aa: number): void;
  labStats(img: Ptr, n: number, mask: Ptr, lut: Ptr, params: Ptr, out: Ptr): void;
  labApply(img: Ptr, n: number, out: Ptr, lut: Ptr, enc: Ptr, params: Ptr): void;
  mapStats(map: Ptr, n: number, threshold: number, out: Ptr): void;
  overlay(img: Ptr, w: number, map: Ptr, mw: number, mh: number, a: number, b: number, c: number, d: number, e: number, f: number, x0: number, y0: number, x1: number, y1: number, palette: Ptr, scale: number, threshold: number, opacity: number): void;
  heatmap(map: Ptr, mw: number, mh: number, out: Ptr, w: number, h: number, palette: Ptr, scale: number): void;
  warpTriangles(src: Ptr, sw: number, sh: number, dst: Ptr, dw: number, dh: number, params: Ptr, n: number): void;
};

const PAGE = 65536;

/** Bump allocator over the instance memory. Views must be taken after the last alloc of a call (grow detaches). */
class Arena {
  private top: number;
  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.top = base;
  }
  reset(): void {
    this.top = this.base;
  }
  alloc(bytes: number): Ptr {
    const ptr = (this.top + 15) & ~15;
    this.top = ptr + bytes + 16; // +16: room for the one-lane overrun of 16-byte SIMD stores
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / PAGE));
    return ptr;
  }
  put(data: ArrayBufferView): Ptr {
    const ptr = this.alloc(data.byteLength);
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
  bytes(ptr: Ptr, length: number): Uint8ClampedArray {
    return new Uint8ClampedArray(this.memory.buffer.slice(ptr, ptr + length));
  }
  floats(ptr: Ptr, length: number): Float32Array {
    return new Float32Array(this.memory.buffer.slice(ptr, ptr + length * 4));
  }
  doubles(ptr: Ptr, length: number): Float64Array {
    return new Float64Array(this.memory.buffer.slice(ptr, ptr + length * 8));
  }
}

/**
 * @example
 * const kernels = createWasmKernels(new WebAssembly.Module(bytes)); // Node tools only; the Worker uses wasmKernels
 */
export function createWasmKernels(module: WebAssembly.Module): Kernels {
  let cached: { x: Exports; arena: Arena } | undefined;
  const init = () => {
    if (!cached) {
      const x = new WebAssembly.Instance(module, { env: { abort() {} } }).exports as unknown as Exports;
      cached = { x, arena: new Arena(x.memory, x.heapBase()) };
    }
    cached.arena.reset();
    return cached;
  };
  const image = (arena: Arena, ptr: Ptr, width: number, height: number): RgbaImage => ({ width, height, data: arena.bytes(ptr, width * height * 4) });
  const border = (o?: { border?: string }) => (o?.border === 'replicate' ? 1 : 0);

  function separable(mask: Float32Array, width: number, height: number, weights: Float32Array, op: number): Float32Array {
    const { x, arena } = init();
    const r = (weights.length - 1) >> 1;
    const src = arena.put(mask), w = arena.put(weights), pad = arena.alloc((width + 2 * r) * 4);
    const tmp = arena.alloc(mask.byteLength), out = arena.alloc(mask.byteLength);
    x.separable(src, width, height, w, r, op, pad, tmp, out);
    return arena.floats(out, width * height);
  }

  function labSums(x: Exports, arena: Arena, img: RgbaImage, mask: Float32Array | undefined, lut: Ptr, params: Ptr): LabSums {
    const p = arena.put(img.data), m = mask ? arena.put(mask) : 0, out = arena.alloc(56);
    x.labStats(p, img.width * img.height, m, lut, params, out);
    const s = arena.doubles(out, 7);
    return { w: s[0], sum: [s[1], s[2], s[3]], sq: [s[4], s[5], s[6]] };
  }

  function stats(x: Exports, arena: Arena, mapPtr: Ptr, n: number, threshold: number): XrayStats {
    const out = arena.alloc(24);
    x.mapStats(mapPtr, n, threshold, out);
    const s = arena.doubles(out, 3);
    return statsFrom(s[0], s[1], s[2], n, threshold);
  }

  return Object.freeze({
    name: 'wasm-simd' as const,

    memoryBytes: () => (cached ? cached.x.memory.buffer.byteLength : 0),

    warpAffine(src: RgbaImage, m: Affine, width: number, height: number, options?: WarpOptions): RgbaImage {
      checkImage(src, 'warpAffine src');
      checkSize(width, height);
      checkAffine(m);
      checkReach(m, 0, 0, width, height);
      const { x, arena } = init();
      const s = arena.put(src.data), d = arena.alloc(width * height * 4);
      x.warpAffine(s, src.width, src.height, d, width, height, m[0], m[1], m[2], m[3], m[4], m[5], border(options));
      return image(arena, d, width, height);
    },

    warpToTensor(src: RgbaImage, m: Affine, width: number, height: number, options: TensorOptions = {}): Float32Array {
      checkImage(src, 'warpToTensor src');
      checkSize(width, height);
      checkAffine(m);
      checkReach(m, 0, 0, width, height);
      const t = tensorParams(options);
      const { x, arena } = init();
      const s = arena.put(src.data), params = arena.put(Float32Array.of(...t.scale, ...t.bias)), d = arena.alloc(width * height * 12);
      x.warpToTensor(s, src.width, src.height, d, width, height, m[0], m[1], m[2], m[3], m[4], m[5], border(options), params, +t.nhwc, +t.bgr);
      return arena.floats(d, width * height * 3);
    },

    rgbaToTensor(src: RgbaImage, options: TensorOptions = {}): Float32Array {
      checkImage(src, 'rgbaToTensor src');
      const t = tensorParams(options);
      const { x, arena } = init();
      const n = src.width * src.height;
      const s = arena.put(src.data), params = arena.put(Float32Array.of(...t.scale, ...t.bias)), d = arena.alloc(n * 12);
      x.rgbaToTensor(s, n, d, params, +t.nhwc, +t.bgr);
      return arena.floats(d, n * 3);
    },

    pasteBack(dst: RgbaImage, crop: RgbaImage, mask: Float32Array, cropToImage: Affine): RgbaImage {
      checkImage(dst, 'pasteBack dst');
      checkImage(crop, 'pasteBack crop');
      checkMask(mask, crop.width, crop.height);
      checkAffine(cropToImage);
      const { x0, y0, x1, y1, inverse: m } = projectedBox(cropToImage, crop.width, crop.height, dst.width, dst.height);
      checkReach(m, x0, y0, x1, y1);
      const { x, arena } = init();
      const d = arena.put(dst.data), c = arena.put(crop.data), k = arena.put(mask);
      x.pasteBack(d, dst.width, c, crop.width, crop.height, k, m[0], m[1], m[2], m[3], m[4], m[5], x0, y0, x1, y1);
      return image(arena, d, dst.width, dst.height);
    },

    featherMask(mask: Float32Array, width: number, height: number, sigma: number): Float32Array {
      checkMask(mask, width, height);
      return separable(mask, width, height, gaussianWeights(sigma), 0);
    },

    erodeDilate(mask: Float32Array, width: number, height: number, k: number): Float32Array {
      checkMask(mask, width, height);
      const r = Math.round(Math.abs(k));
      if (r === 0) return new Float32Array(mask);
      return separable(mask, width, height, new Float32Array(2 * r + 1), k > 0 ? 1 : 2);
    },

    fillPolygon(width: number, height: number, points: readonly Point2[], options: PolygonOptions = {}): Float32Array {
      checkSize(width, height);
      const edges = polygonEdges(points);
      const { x, arena } = init();
      const e = arena.put(edges), out = arena.alloc(width * height * 4);
      x.fillPolygon(out, width, height, e, edges.length / 3, options.antialias === false ? 0 : 1);
      return arena.floats(out, width * height);
    },

    alphaBlend(fg: RgbaImage, bg: RgbaImage, mask: Float32Array) {
      checkImage(fg, 'alphaBlend foreground');
      checkImage(bg, 'alphaBlend background');
      if (fg.width !== bg.width || fg.height !== bg.height) throw new RangeError('alphaBlend: images differ in size');
      checkMask(mask, fg.width, fg.height);
      const { x, arena } = init();
      const n = fg.width * fg.height;
      const f = arena.put(fg.data), b = arena.put(bg.data), m = arena.put(mask), out = arena.alloc(n * 4), bd = arena.alloc(n * 4);
      x.alphaBlend(f, b, m, n, out, bd);
      return { image: image(arena, out, fg.width, fg.height), boundary: arena.floats(bd, n) };
    },

    colorTransfer(source: RgbaImage, reference: RgbaImage, options: ColorTransferOptions = {}): RgbaImage {
      checkImage(source, 'colorTransfer source');
      checkImage(reference, 'colorTransfer reference');
      if (options.sourceMask) checkMask(options.sourceMask, source.width, source.height, 'sourceMask');
      if (options.referenceMask) checkMask(options.referenceMask, reference.width, reference.height, 'referenceMask');
      const { x, arena } = init();
      const lut = arena.put(SRGB_DECODE_LUT), enc = arena.put(SRGB_ENCODE_LUT), base = arena.put(colorParams());
      const ref = labSums(x, arena, reference, options.referenceMask, lut, base);
      const src = labSums(x, arena, source, options.sourceMask, lut, base);
      const params = arena.put(colorParams(colorTransferAffine(src, ref, options.strength ?? 1)));
      const n = source.width * source.height;
      const s = arena.put(source.data), out = arena.alloc(n * 4);
      x.labApply(s, n, out, lut, enc, params);
      return image(arena, out, source.width, source.height);
    },

    xrayStats(map: Float32Array, threshold = 0.2): XrayStats {
      const { x, arena } = init();
      return stats(x, arena, arena.put(map), map.length, threshold);
    },

    xrayOverlay(img: RgbaImage, map: Float32Array, mw: number, mh: number, mapToImage: Affine, options: XrayOverlayOptions = {}) {
      checkImage(img, 'xrayOverlay image');
      checkMask(map, mw, mh, 'xray map');
      checkAffine(mapToImage);
      const threshold = options.threshold ?? 0.2, opacity = options.opacity ?? 0.6;
      const { x0, y0, x1, y1, inverse: m } = projectedBox(mapToImage, mw, mh, img.width, img.height);
      checkReach(m, x0, y0, x1, y1);
      const { x, arena } = init();
      const mp = arena.put(map), pal = arena.put(HEAT_PALETTE), p = arena.put(img.data);
      const st = stats(x, arena, mp, map.length, threshold);
      const scale = options.normalize && st.peak > 0 ? 1 / st.peak : 1;
      x.overlay(p, img.width, mp, mw, mh, m[0], m[1], m[2], m[3], m[4], m[5], x0, y0, x1, y1, pal, scale, threshold, opacity);
      return { image: image(arena, p, img.width, img.height), stats: st };
    },

    xrayHeatmap(map: Float32Array, mw: number, mh: number, width: number, height: number, options: HeatmapOptions = {}): RgbaImage {
      checkMask(map, mw, mh, 'xray map');
      checkSize(width, height);
      const { x, arena } = init();
      const mp = arena.put(map), pal = arena.put(HEAT_PALETTE), out = arena.alloc(width * height * 4);
      const peak = stats(x, arena, mp, map.length, Infinity).peak;
      x.heatmap(mp, mw, mh, out, width, height, pal, options.normalize && peak > 0 ? 1 / peak : 1);
      return image(arena, out, width, height);
    },

    warpTriangles(
      src: RgbaImage, srcPoints: readonly Point2[], dstPoints: readonly Point2[], triangles: readonly Triangle[], width: number, height: number,
    ): RgbaImage {
      checkImage(src, 'warpTriangles src');
      checkSize(width, height);
      const params = triangleWarpParams(srcPoints, dstPoints, triangles, width, height);
      const { x, arena } = init();
      const s = arena.put(src.data), p = arena.put(params), d = arena.alloc(width * height * 4);
      x.warpTriangles(s, src.width, src.height, d, width, height, p, params.length / TRIANGLE_STRIDE);
      return image(arena, d, width, height);
    },
  });
}
