/**
 * Regression tests for codec instance poisoning found by test/fuzz.test.ts: a codec error thrown
 * out of the wasm (libjpeg's exit(), wasm-bindgen's unwrap_throw) used to leak the wasm stack on
 * every failure, until the shared instance corrupted itself and every later image failed too.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/fixtures/index.js';
import { ProblemError } from '../problem.js';
import { decodeImage } from './decode.js';
import { pngCodecMemoryBytes } from './codecs.js';
import { encodePng } from './encode.js';
import { turboMemoryBytes } from './jpeg-turbo.js';

async function expect422(p: Promise<unknown>): Promise<void> {
  try { await p; } catch (e) { if (e instanceof ProblemError && e.status === 422) return; throw e; }
  throw new Error('expected a 422');
}

describe('codecs survive many corrupt inputs', () => {
  it('MozJPEG: 250 fatal libjpeg errors, then a valid JPEG still decodes', async () => {
    const face = fixture('face-1.jpg');
    // The header walk stops at SOF0; turn the DHT after it into an unknown marker (libjpeg: fatal "Unsupported marker type").
    const bad = face.slice();
    const sof = bad.findIndex((v, i) => v === 0xff && bad[i + 1] === 0xc0);
    const dht = bad.findIndex((v, i) => i > sof && v === 0xff && bad[i + 1] === 0xc4);
    bad[dht + 1] = 0xdf;
    await expect(decodeImage(bad)).rejects.toThrow(/Unsupported marker/);
    for (let i = 0; i < 250; i++) await expect422(decodeImage(bad));
    const image = await decodeImage(face);
    expect([image.width, image.height]).toEqual([224, 224]);
  });

  it('TurboJPEG (scaled decodes): its kept instance does not grow over 200 decodes and is replaced after fatal errors', async () => {
    const face = fixture('face-1.jpg');
    const scaled = () => decodeImage(face, { maxDecodedPixels: 20_000 });
    const first = await scaled();
    const held = turboMemoryBytes();
    expect(held).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) await scaled();
    expect(turboMemoryBytes()).toBe(held);
    const bad = face.slice();
    const sof = bad.findIndex((v, i) => v === 0xff && bad[i + 1] === 0xc0);
    const dht = bad.findIndex((v, i) => i > sof && v === 0xff && bad[i + 1] === 0xc4);
    bad[dht + 1] = 0xdf; // fatal in libjpeg: the instance throws through its longjmp and is dropped
    for (let i = 0; i < 50; i++) await expect422(decodeImage(bad, { maxDecodedPixels: 20_000 }));
    expect(turboMemoryBytes()).toBe(0);
    expect((await scaled()).data).toEqual(first.data);
    expect(turboMemoryBytes()).toBe(held);
  });

  it('PNG: 1000 decoder errors, then a valid PNG still decodes and encoding still works', async () => {
    const good = fixture('palette-trns.png');
    const bad = good.subarray(0, good.length - 30); // IDAT cut short: the Rust decoder throws from inside the wasm
    for (let i = 0; i < 1000; i++) await expect422(decodeImage(bad));
    const image = await decodeImage(good);
    expect(image.width).toBeGreaterThan(0);
    expect((await encodePng(image)).length).toBeGreaterThan(0);
  });

  it('PNG: truncated and bit-flipped files are refused before the codec, so its heap does not grow', async () => {
    const good = fixture('face-7-alpha.png');
    await decodeImage(good); // warm: the codec's heap has what a decode of this size needs
    const before = await pngCodecMemoryBytes();
    const idat = good.findIndex((v, i) => v === 0x49 && good[i + 1] === 0x44 && good[i + 2] === 0x41 && good[i + 3] === 0x54);
    for (let i = 0; i < 200; i++) {
      await expect422(decodeImage(good.subarray(0, good.length - 13 - 97 * i))); // cut anywhere from IEND back into IDAT
      const flipped = good.slice();
      flipped[idat + 8 + ((i * 7919) % 5000)] ^= 1 << (i % 8); // one bit of image data
      await expect422(decodeImage(flipped));
    }
    const grown = (await pngCodecMemoryBytes()) - before;
    console.log(`PNG codec memory after 400 corrupt files: +${grown} bytes`);
    expect(grown).toBe(0);
    expect((await decodeImage(good)).width).toBeGreaterThan(0);
  });
});
