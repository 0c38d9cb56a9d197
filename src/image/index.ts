/**
 * @module
 * Image input/output for the worker: header sniffing, size/pixel limits, decoding (JPEG, PNG,
 * WebP) to upright RGBA, encoding (PNG, JPEG) and reading uploads from Hono requests.
 */
export { sniffImage, assertDecodable, isDecodable, orientedSize, DECODABLE_FORMATS } from './sniff.js';
export type { ImageInfo, ImageFormat, DecodableFormat, ColorModel, Orientation } from './sniff.js';
export { decodeImage, decodeImageWithInfo, checkImageHeader, DEFAULT_MAX_PIXELS } from './decode.js';
export type { DecodeImageOptions, DecodedImage } from './decode.js';
export { encodePng, encodeJpeg } from './encode.js';
export type { EncodeJpegOptions } from './encode.js';
export { applyOrientation } from './orientation.js';
export { flattenAlpha, toRgb, isOpaque, WHITE } from './pixels.js';
export type { Rgb } from './pixels.js';
export { readImageInput, readImageBytes, parsedMultipart, readLimited, imageLimits, DEFAULT_MAX_BYTES, DEFAULT_MAX_ANALYSIS_PIXELS, DEFAULT_MAX_FULL_SIZE_PIXELS, DEFAULT_MAX_WHOLE_DECODE_PIXELS, RAW_IMAGE_TYPES } from './request.js';
export type { ImageInput, ImageInputOptions, ImageLimits } from './request.js';
