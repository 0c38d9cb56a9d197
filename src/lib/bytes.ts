/**
 * @module lib/bytes
 * Byte-array helpers shared by the container writers (XMP into JPEG/PNG) and the tests that build files.
 */

/** The parts one after the other in a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
