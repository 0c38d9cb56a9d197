/**
 * Structural check of a whole PNG before it reaches the codec: every chunk up to IEND lies inside the
 * file, the critical chunks (IHDR, PLTE, IDAT, IEND) carry correct CRCs, and there is image data.
 *
 * Why: the Rust PNG codec reports errors by throwing out of the wasm, which skips Rust's destructors,
 * so each failed decode leaks its input copy and decoder state in the codec's heap (~185 KB measured
 * per truncated file; the stack part is restored in codecs.ts). Truncated and bit-flipped files — nearly
 * all corrupt PNGs seen in practice and in the fuzz corpus — are rejected here instead, with the 422 the
 * codec gives a short file. A critical chunk with a wrong CRC is refused as libpng refuses it (the codec
 * alone decoded some of those into wrong pixels). Costs a CRC pass over the file (~2 ms per MB).
 */
import { crc32 } from '../provenance/crc32.js';
import { ascii, u32be } from './headers/util.js';

const CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

/**
 * Throws for a truncated PNG, a critical chunk with a wrong CRC, or one without IDAT; the message is the
 * detail that decode.ts `runCodec` turns into its 422 `corrupt-image`, as it does for codec errors.
 */
export function checkPngChunks(bytes: Uint8Array): void {
  let at = 8, idat = false;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new Error('the file ends inside a chunk header');
    const length = u32be(bytes, at);
    const type = ascii(bytes, at + 4, 4);
    const end = at + 8 + length;
    if (length > 0x7fffffff || end + 4 > bytes.length) throw new Error(`the file ends inside the ${type || 'last'} chunk (truncated)`);
    if (CRITICAL.has(type) && crc32(bytes.subarray(at + 4, end)) !== u32be(bytes, end)) throw new Error(`the ${type} chunk's CRC does not match its data`);
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') break;
    at = end + 4;
  }
  if (!idat) throw new Error('there is no image data (IDAT)');
}
