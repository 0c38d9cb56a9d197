/**
 * @module wasm/types
 * The `Kernels` contract implemented twice: by the AssemblyScript SIMD module (`wasmKernels`) and by the
 * plain-TS reference (`referenceKernels`). Shared tests in `common.case.ts` run against both.
 *
 * Coordinates are continuous (pixel (i, j) centre at (i + 0.5, j + 0.5)); see src/pipeline/align.ts.
 * Float masks are row-major Float32Array of width * height values in 0..1 (clamped where used as weights).
 * No function modifies its inputs.
 */
import type { Affine } from '../pipeline/align';
import type { Point2, RgbaImage } from '../pipeline/types';
import type { Triangle } from './kernel-math';

export type { Triangle };

export type Border = 'zero' | 'replicate';

export type WarpOptions = {
  /** Outside the source: 'zero' = transparent black (default), 'replicate' = nearest edge pixel. */
  border?: Border;
};

export type TensorOptions = {
  /** Default 'nchw'. Output has 3 channels: width * height * 3 floats. */
  layout?: 'nchw' | 'nhwc';
  /** Default 'rgb'. */
  channelOrder?: 'rgb' | 'bgr';
  /** Per output channel (in channelOrder), in 0..1 units: value = (raw / 255 - mean) / std. Default 0. */
  mean?: readonly [number, number, number];
  /** Default 1. */
  std?: readonly [number, number, number];
  /** warpToTensor only. Default 'zero'. */
  border?: Border;
};

export type PolygonOptions = {
  /** Coverage ramp of one pixel across each edge (default true); false gives a hard 0/1 mask. */
  antialias?: boolean;
};

export type BlendResult = {
  image: RgbaImage;
  /** Face X-Ray boundary B = 4 M (1 - M), same size as the mask. */
  boundary: Float32Array;
};

export type ColorTransferOptions = {
  /** Weights selecting the source pixels the statistics come from (source-sized). Default: all. */
  sourceMask?: Float32Array;
  /** Weights selecting the reference pixels (reference-sized). Default: all. */
  referenceMask?: Float32Array;
  /** 0..1 blend between the original (0) and the full transfer (1), applied in LAB. Default 1. */
  strength?: number;
};

export type XrayStats = {
  /** Largest raw map value. */
  peak: number;
  /** Mean raw map value. */
  mean: number;
  /** Fraction of map cells whose raw value exceeds `threshold`. */
  fractionAbove: number;
  threshold: number;
};

export type XrayOverlayOptions = {
  /** Overlay / stats threshold. Default 0.2. */
  threshold?: number;
  /** Maximum overlay alpha; a pixel of value v gets opacity * v. Default 0.6. */
  opacity?: number;
  /** Divide the map by its peak before colouring and thresholding the overlay. Default false. */
  normalize?: boolean;
};

export type HeatmapOptions = {
  /** Divide by the peak first. Default false (values are clamped to 0..1). */
  normalize?: boolean;
};

export interface Kernels {
  readonly name: 'wasm-simd' | 'reference';
  /** Bytes of linear memory the kernels hold (the wasm arena grows to the largest call and never shrinks; 0 for the reference). */
  memoryBytes(): number;
  /** width x height image: pixel (x, y) = bilinear sample of src at matrix · (x + 0.5, y + 0.5). */
  warpAffine(src: RgbaImage, matrix: Affine, width: number, height: number, options?: WarpOptions): RgbaImage;
  /** warpAffine fused with normalisation into a float32 tensor (no intermediate image). */
  warpToTensor(src: RgbaImage, matrix: Affine, width: number, height: number, options?: TensorOptions): Float32Array;
  /** Normalise a whole image into a tensor (resizing is a warp: use warpToTensor). */
  rgbaToTensor(src: RgbaImage, options?: TensorOptions): Float32Array;
  /** Copy of dst with crop blended in through mask (crop-sized) where the crop projects: m·crop + (1−m)·dst. */
  pasteBack(dst: RgbaImage, crop: RgbaImage, mask: Float32Array, cropToImage: Affine): RgbaImage;
  /** Separable Gaussian blur (radius ceil(3σ), replicate border). */
  featherMask(mask: Float32Array, width: number, height: number, sigma: number): Float32Array;
  /** Square morphology: k > 0 dilates by k px, k < 0 erodes by |k| px (max/min over a (2|k|+1)² window). */
  erodeDilate(mask: Float32Array, width: number, height: number, k: number): Float32Array;
  /** Convex polygon (continuous coords, any winding) rasterised to a float mask. */
  fillPolygon(width: number, height: number, points: readonly Point2[], options?: PolygonOptions): Float32Array;
  /** I = M·F + (1−M)·B plus the boundary map. */
  alphaBlend(foreground: RgbaImage, background: RgbaImage, mask: Float32Array): BlendResult;
  /** Reinhard colour transfer in CIELAB of source towards reference; alpha kept. */
  colorTransfer(source: RgbaImage, reference: RgbaImage, options?: ColorTransferOptions): RgbaImage;
  /** Summary statistics of a raw boundary map. */
  xrayStats(map: Float32Array, threshold?: number): XrayStats;
  /** Copy of image with the heat-coloured map overlaid through mapToImage (map coords -> image coords). */
  xrayOverlay(
    image: RgbaImage, map: Float32Array, mapWidth: number, mapHeight: number, mapToImage: Affine, options?: XrayOverlayOptions,
  ): { image: RgbaImage; stats: XrayStats };
  /** Standalone opaque heat-map image of the map resized to width x height (for a PNG thumbnail). */
  xrayHeatmap(map: Float32Array, mapWidth: number, mapHeight: number, width: number, height: number, options?: HeatmapOptions): RgbaImage;
  /**
   * Piecewise-affine warp into a width x height image: each destination triangle (indices into dstPoints) is
   * filled by mapping its pixels through the affine taking that triangle onto the same-index source triangle,
   * sampled bilinearly (transparent black outside src). Pixels outside all triangles are transparent black;
   * on shared edges the later triangle wins. Degenerate destination triangles are skipped.
   */
  warpTriangles(
    src: RgbaImage, srcPoints: readonly Point2[], dstPoints: readonly Point2[], triangles: readonly Triangle[], width: number, height: number,
  ): RgbaImage;
}
