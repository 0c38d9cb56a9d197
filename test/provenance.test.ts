import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeJpeg, encodePng } from '../src/image/index.js';
import { withExifOrientation } from '../src/image/test-support.js';
import type { RgbaImage } from '../src/pipeline/types.js';
import {
  CREATOR_TOOL, SEAMLINE_WATERMARK_KEY, TRAINED_ALGORITHMIC_MEDIA, Z_THRESHOLD,
  detectWatermark, embedWatermark, markProvenance, provenanceOf, readXmp, readXmpPacket, readXmpSourceType, watermarkKey, withXmp,
} from '../src/provenance/index.js';
import { crc32 } from '../src/provenance/crc32.js';
import { createRng } from '../src/pipeline/random.js';
import { kernels } from '../src/wasm/kernels.js';
import { fixture } from './fixtures/index.js';
import { canvas, grid, paste } from './support/images.js';
import { startWorker, type WorkerHandle } from './support/worker.js';

const FACES = ['face-1.jpg', 'face-4.jpg', 'face-6.jpg', 'face-7.jpg'];
/** Every decodable fixture of a real photo (orientation, colour model and alpha variants included). */
const PHOTOS = [...FACES, 'face-1.webp', 'face-1-exif6.jpg', 'face-4-cmyk.jpg', 'face-6-gray.jpg', 'face-7-alpha.png'];

const scaled = (im: RgbaImage, s: number) =>
  kernels.warpAffine(im, [1 / s, 0, 0, 0, 1 / s, 0], Math.round(im.width * s), Math.round(im.height * s), { border: 'replicate' });
const jpeg = async (im: RgbaImage, q: number) => decodeImage(await encodeJpeg(im, q));

/** PSNR over R, G, B in dB. */
function psnr(a: RgbaImage, b: RgbaImage): number {
  let sum = 0, n = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (i % 4 === 3) continue;
    sum += (a.data[i] - b.data[i]) ** 2;
    n++;
  }
  return 10 * Math.log10((255 * 255) / (sum / n));
}

/** The attacks the mark must survive, applied to one picture. */
async function attacks(im: RgbaImage): Promise<Record<string, RgbaImage>> {
  return {
    png: im,
    q90: await jpeg(im, 90),
    q75: await jpeg(im, 75),
    half: scaled(im, 0.5),
    'half+q75': await jpeg(scaled(im, 0.5), 75),
    'q75+half': scaled(await jpeg(im, 75), 0.5),
    '0.7x+q80': await jpeg(scaled(im, 0.7), 80),
  };
}

function noise(width: number, height: number, seed: number, smooth = 0): RgbaImage {
  const rng = createRng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = rng.uniform(0, 255);
    data.set([v, rng.uniform(0, 255), v, 255], i * 4);
  }
  const im = { width, height, data };
  return smooth ? scaled(scaled(im, 1 / smooth), smooth) : im;
}

function pattern(width: number, height: number, f: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) { const v = f(x, y); data.set([v, v * 0.8, 255 - v, 255], (y * width + x) * 4); }
  return { width, height, data };
}

describe('XMP metadata', () => {
  it('CRC-32 matches the check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips in JPEG after SOI/APP0 and EXIF, keeps every other segment and decodes to identical pixels', async () => {
    for (const bytes of [fixture('face-1.jpg'), fixture('face-1-exif6.jpg'), await encodeJpeg(await decodeImage(fixture('face-4.jpg')), 85)]) {
      expect(readXmpSourceType(bytes)).toBeNull();
      const tagged = withXmp(bytes, 'jpeg');
      expect(readXmpSourceType(tagged)).toBe(TRAINED_ALGORITHMIC_MEDIA);
      expect(readXmp(tagged)).toEqual({ digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, creatorTool: CREATOR_TOOL });
      expect(readXmpPacket(tagged)).toMatch(/<dc:description>[\s\S]*synthetic[\s\S]*face swap/i);
      // only bytes were added, and all original bytes follow in order
      const packetLength = tagged.length - bytes.length;
      const at = Buffer.from(tagged).indexOf('http://ns.adobe.com/xap/1.0/\0') - 4;
      expect([tagged[at], tagged[at + 1]]).toEqual([0xff, 0xe1]);
      expect((tagged[at + 2] << 8) | tagged[at + 3]).toBe(packetLength - 2);
      // only the segment was added: every original byte is still there, in order
      expect(Buffer.from(tagged.subarray(0, at)).equals(Buffer.from(bytes.subarray(0, at)))).toBe(true);
      expect(Buffer.from(tagged.subarray(at + packetLength)).equals(Buffer.from(bytes.subarray(at)))).toBe(true);
      // right after SOI and APP0 (JFIF) / EXIF
      expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect(at === 2 || bytes[3] === 0xe0 || bytes[3] === 0xe1).toBe(true);
      const [a, b] = [await decodeImage(bytes), await decodeImage(tagged)];
      expect([b.width, b.height]).toEqual([a.width, a.height]); // EXIF orientation still applied
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    }
  });

  it('puts EXIF first when it follows SOI directly, and replaces an earlier packet instead of adding a second', async () => {
    const exif = withExifOrientation(await encodeJpeg(canvas(64, 48, [10, 200, 30]), 90), 6);
    const tagged = withXmp(exif, 'jpeg');
    const exifAt = Buffer.from(tagged).indexOf('Exif\0\0');
    expect(exifAt).toBeGreaterThan(0);
    const xmpAt = Buffer.from(tagged).indexOf('http://ns.adobe.com/xap/1.0/');
    expect(exifAt).toBeLessThan(xmpAt);
    const twice = withXmp(tagged, 'jpeg', { description: 'second', createDate: '2026-01-02T03:04:05Z' });
    expect(Buffer.from(twice).toString('latin1').split('http://ns.adobe.com/xap/1.0/\0').length).toBe(2);
    expect(readXmpPacket(twice)).toContain('second');
    expect(readXmpPacket(twice)).toContain('xmp:CreateDate="2026-01-02T03:04:05Z"');
    expect((await decodeImage(twice)).width).toBe(48); // orientation 6 survived
  });

  it('round-trips in PNG as an iTXt chunk before IDAT with a valid CRC, pixels unchanged', async () => {
    for (const bytes of [await encodePng(await decodeImage(fixture('face-7-alpha.png'))), fixture('palette-trns.png'), fixture('gray16.png')]) {
      const tagged = withXmp(bytes, 'png', { description: 'a <test> & "quotes"' });
      expect(readXmpSourceType(tagged)).toBe(TRAINED_ALGORITHMIC_MEDIA);
      expect(readXmpPacket(tagged)).toContain('a &lt;test&gt; &amp; &quot;quotes&quot;');
      // walk the chunks: every CRC valid, iTXt XML:com.adobe.xmp directly before the first IDAT
      const view = new DataView(tagged.buffer, tagged.byteOffset);
      const types: string[] = [];
      for (let at = 8; at < tagged.length;) {
        const length = view.getUint32(at);
        const type = Buffer.from(tagged.subarray(at + 4, at + 8)).toString('latin1');
        expect(crc32(tagged.subarray(at + 4, at + 8 + length)), type).toBe(view.getUint32(at + 8 + length));
        if (type === 'iTXt') expect(Buffer.from(tagged.subarray(at + 8, at + 26)).toString('latin1')).toBe('XML:com.adobe.xmp\0');
        types.push(type);
        at += 12 + length;
      }
      expect(types[types.indexOf('IDAT') - 1]).toBe('iTXt');
      expect(types.filter((t) => t === 'iTXt')).toHaveLength(1);
      expect(readXmpSourceType(withXmp(tagged, 'png'))).toBe(TRAINED_ALGORITHMIC_MEDIA);
      const [a, b] = [await decodeImage(bytes), await decodeImage(tagged)];
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    }
  });

  it('finds nothing in files without XMP, rejects the wrong container and never throws on junk', () => {
    for (const name of [...PHOTOS, 'gray-alpha.png', 'animated.webp', 'tiny.gif']) expect(readXmpSourceType(fixture(name))).toBeNull();
    expect(() => withXmp(fixture('face-1.jpg'), 'png')).toThrow(TypeError);
    expect(() => withXmp(fixture('face-7-alpha.png'), 'jpeg')).toThrow(TypeError);
    expect(readXmpSourceType(fixture('face-1.jpg').subarray(0, 300))).toBeNull();
    expect(readXmpSourceType(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
    expect(readXmpSourceType(new Uint8Array(0))).toBeNull();
  });
});

describe('invisible watermark', () => {
  it('is imperceptible: PSNR ≥ 38 dB on every face, alpha untouched', async () => {
    const values: number[] = [];
    for (const name of [...FACES, 'face-7-alpha.png']) {
      const image = await decodeImage(fixture(name));
      const marked = markProvenance(image);
      values.push(psnr(image, marked));
      for (let i = 3; i < image.data.length; i += 4) if (marked.data[i] !== image.data[i]) throw new Error('alpha changed');
    }
    console.log(`[provenance] PSNR marked vs original (dB): ${values.map((v) => v.toFixed(2)).join(', ')}`);
    for (const v of values) expect(v).toBeGreaterThanOrEqual(38);
  });

  it('is detected after q90, q75, 0.5× resize, 0.5× + q75 (both orders) and 0.7× + q80', async () => {
    const worst: Record<string, number> = {};
    for (const name of FACES) {
      const marked = markProvenance(await decodeImage(fixture(name)));
      for (const [attack, im] of Object.entries(await attacks(marked))) {
        const d = detectWatermark(im);
        worst[attack] = Math.min(worst[attack] ?? Infinity, d.z);
        expect(d.present, `${name} ${attack}: z ${d.z}`).toBe(true);
        expect(d.confidence).toBeGreaterThanOrEqual(0.5);
      }
    }
    console.log(`[provenance] lowest z on marked faces by attack: ${JSON.stringify(worst)} (threshold ${Z_THRESHOLD})`);
  });

  it('is detected on larger and non-square pictures and after a 2× upscale', async () => {
    // Known limit, not asserted here: a busy picture with many faces per grid cell (4 faces in
    // 1200×300) gives only z ≈ 4.7 even unattacked — the host's detail at the cell scale drowns the mark.
    const face = await decodeImage(fixture('face-4.jpg'));
    const stretched = kernels.warpAffine(face, [0.25, 0, 0, 0, 1, 0], 896, 224, { border: 'replicate' });
    for (const im of [scaled(face, 2), stretched, paste(canvas(600, 600, [90, 110, 140]), face, 150, 150, 1.5)]) {
      const marked = markProvenance(im);
      expect(psnr(im, marked)).toBeGreaterThanOrEqual(38);
      for (const [attack, attacked] of Object.entries(await attacks(marked))) {
        const d = detectWatermark(attacked);
        expect(d.present, `${im.width}×${im.height} ${attack}: z ${d.z}`).toBe(true);
      }
      expect(detectWatermark(scaled(marked, 2)).present).toBe(true);
    }
  });

  it('finds nothing in ≥ 30 unmarked pictures: fixtures, their JPEG / resized variants, synthetic images', async () => {
    const unmarked: Array<[string, RgbaImage]> = [];
    for (const name of PHOTOS) {
      for (const [attack, im] of Object.entries(await attacks(await decodeImage(fixture(name))))) unmarked.push([`${name} ${attack}`, im]);
    }
    const synthetic: Array<[string, RgbaImage]> = [
      ['flat', canvas(300, 200, [200, 180, 160])],
      ['white noise', noise(256, 256, 1)],
      ['noise 640×480', noise(640, 480, 2)],
      ['smooth noise', noise(256, 256, 3, 8)],
      ['smooth noise q75', await jpeg(noise(512, 384, 4, 16), 75)],
      ['ramp', pattern(320, 240, (x, y) => (x + y) / 2.2)],
      ['checkerboard 8px', pattern(256, 256, (x, y) => (((x >> 3) + (y >> 3)) & 1 ? 230 : 20))],
      ['checkerboard 5.33px cells', pattern(256, 256, (x, y) => ((Math.floor(x / 5.333) + Math.floor(y / 5.333)) & 1 ? 200 : 50))],
      ['stripes', pattern(400, 300, (x) => 128 + 100 * Math.sin(x / 3))],
      ['rings', pattern(300, 300, (x, y) => 128 + 120 * Math.sin(Math.hypot(x - 150, y - 150) / 4))],
      ['face grid', grid(await Promise.all(FACES.map((n) => decodeImage(fixture(n)))), 2, 200)],
      ['face 2× up', scaled(await decodeImage(fixture('face-6.jpg')), 2)],
      ['gray-alpha fixture', await decodeImage(fixture('gray-alpha.png'))],
      ['palette fixture', await decodeImage(fixture('palette-trns.png'))],
    ];
    // Marked with another key: the seamline key must not fire on it.
    const other = embedWatermark(await decodeImage(fixture('face-1.jpg')), { key: 'someone-else' });
    synthetic.push(['other key', other], ['other key q75', await jpeg(other, 75)]);
    const all = [...unmarked, ...synthetic];
    expect(all.length).toBeGreaterThanOrEqual(30);
    const zs = all.map(([label, im]) => ({ label, ...detectWatermark(im) }));
    const detected = zs.filter((d) => d.present);
    const maxZ = Math.max(...zs.map((d) => d.z));
    console.log(`[provenance] unmarked: ${all.length} images, ${detected.length} detected, z range ${Math.min(...zs.map((d) => d.z)).toFixed(2)}..${maxZ.toFixed(2)}; highest: ${zs.sort((a, b) => b.z - a.z).slice(0, 3).map((d) => `${d.label} ${d.z}`).join(', ')}`);
    expect(detected.map((d) => `${d.label} z=${d.z}`)).toEqual([]);
    expect(maxZ).toBeLessThan(Z_THRESHOLD / 2); // margin, not just a pass
    // ...but the other key's own mark is there
    expect(detectWatermark(other, { key: 'someone-else' }).present).toBe(true);
  });

  it('depends on the key; watermarkKey reads the env override', async () => {
    expect(watermarkKey(undefined)).toBe(SEAMLINE_WATERMARK_KEY);
    expect(watermarkKey({ SEAMLINE_WATERMARK_KEY: '' })).toBe(SEAMLINE_WATERMARK_KEY);
    expect(watermarkKey({ SEAMLINE_WATERMARK_KEY: 'k2' })).toBe('k2');
    const image = await decodeImage(fixture('face-7.jpg'));
    const marked = markProvenance(image, { key: 'k2' });
    expect(detectWatermark(marked, { key: 'k2' }).present).toBe(true);
    expect(detectWatermark(marked).present).toBe(false);
    expect(provenanceOf(await encodePng(marked), marked, { key: 'k2' })).toBe('seamline');
  });

  it('provenanceOf: XMP first, else the watermark', async () => {
    const image = await decodeImage(fixture('face-6.jpg'));
    const plain = await encodeJpeg(image, 90);
    expect(provenanceOf(plain, image)).toBeNull();
    expect(provenanceOf(withXmp(plain, 'jpeg'), image)).toBe('seamline'); // metadata alone
    expect(provenanceOf(withXmp(plain, 'jpeg', { creatorTool: 'OtherTool 1.0' }), image)).toBeNull(); // synthetic, but not ours
    const marked = markProvenance(image);
    expect(provenanceOf(plain, marked)).toBe('seamline'); // pixels alone
    expect(detectWatermark(canvas(20, 20)).present).toBe(false); // smaller than the grid
  });
});

describe('POST /v1/xray reports provenance (workerd)', () => {
  let worker: WorkerHandle;
  beforeAll(async () => { worker = await startWorker(); });
  afterAll(async () => { await worker?.stop(); });

  const provenance = async (body: Uint8Array, type: string) => {
    const res = await worker.fetch('/v1/xray', { method: 'POST', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> });
    expect(res.status).toBe(200);
    return ((await res.json()) as { provenance: unknown; verdict: unknown }).provenance;
  };

  it("watermark + XMP → 'seamline'; the same pixels at 0.5× + q75 without XMP → 'seamline'; an unmarked fixture → null", async () => {
    const marked = markProvenance(await decodeImage(fixture('face-1.jpg')));
    const tagged = withXmp(await encodeJpeg(marked, 90), 'jpeg');
    expect(readXmpSourceType(tagged)).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(await provenance(tagged, 'image/jpeg')).toBe('seamline');

    const stripped = await encodeJpeg(scaled(await decodeImage(tagged), 0.5), 75);
    expect(readXmpSourceType(stripped)).toBeNull();
    expect(await provenance(stripped, 'image/jpeg')).toBe('seamline');

    expect(await provenance(fixture('face-1.jpg'), 'image/jpeg')).toBeNull();
    expect(await provenance(fixture('face-7-alpha.png'), 'image/png')).toBeNull();
  });

  it('adds x-seamline-provenance to the overlay picture', async () => {
    const marked = await encodePng(markProvenance(await decodeImage(fixture('face-4.jpg'))));
    for (const [body, expected] of [[marked, 'seamline'], [fixture('face-4.jpg'), 'none']] as const) {
      const res = await worker.fetch('/v1/xray?overlay=1', { method: 'POST', headers: { 'content-type': 'image/png' }, body: body as Uint8Array<ArrayBuffer> });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-seamline-provenance')).toBe(expected);
      await res.arrayBuffer();
    }
  });
});
