import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { iterateTar } from '../lib/tar.js';
import { convertTfjs } from './convert.js';
import { floatToHalf, halfToFloat } from './half.js';
import { filterToOIHW } from './ops/conv.js';
import { spatialPlan } from './padding.js';
import { quantizePerAxis, toFp16, toInt8 } from './quantize.js';
import type { TfjsModel, TfNode } from './tfjs-model.js';
import type { DecodedTensor } from './weights.js';
import { decodeModel, encodeModel } from './writer.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ints = (...v: number[]) => ({ list: { i: v.map(String) } });

function model(nodes: TfNode[], weights: Record<string, DecodedTensor>): TfjsModel {
  return { json: { modelTopology: { node: nodes }, weightsManifest: [] }, weightData: new Uint8Array(), weights: new Map(Object.entries(weights)) };
}
const f32 = (shape: number[], data: number[]): DecodedTensor => ({ dtype: 'float32', shape, data: Float32Array.from(data), storedAs: 'float32' });
const i32 = (shape: number[], data: number[]): DecodedTensor => ({ dtype: 'int32', shape, data: Int32Array.from(data), storedAs: 'int32' });
const placeholder = (name: string, shape: number[]): TfNode => ({ name, op: 'Placeholder', attr: { shape: { shape: { dim: shape.map((size) => ({ size: String(size) })) } } } });

async function run(m: TfjsModel, input: Float32Array, shape: number[]) {
  const { graph } = convertTfjs(m, { inputName: 'x' });
  const session = await ort.InferenceSession.create(encodeModel(graph));
  const out = await session.run({ x: new ort.Tensor('float32', input, shape) });
  return { graph, out };
}

describe('padding', () => {
  it('puts the odd SAME pixel at the end for stride 2 (TF / SAME_UPPER)', () => {
    expect(spatialPlan([256, 256], [5, 5], [2, 2], [1, 1], 'SAME')).toEqual({ pads: [1, 1, 2, 2], out: [128, 128] });
    expect(spatialPlan([16, 16], [3, 3], [1, 1], [1, 1], 'SAME')).toEqual({ pads: [1, 1, 1, 1], out: [16, 16] });
    expect(spatialPlan([6, 6], [3, 3], [3, 3], [1, 1], 'VALID')).toEqual({ pads: [0, 0, 0, 0], out: [2, 2] });
  });
});

describe('weights', () => {
  it('re-lays HWIO filters as OIHW and depthwise [H,W,C,M] as [C·M,1,H,W]', () => {
    // H=1, W=2, I=2, O=3: value encodes (w, i, o) as w*100 + i*10 + o
    const hwio = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
    const { data, dims } = filterToOIHW(Float32Array.from(hwio), [1, 2, 2, 3], false);
    expect(dims).toEqual([3, 2, 1, 2]);
    expect(Array.from(data.subarray(0, 4))).toEqual([0, 100, 10, 110]); // o=0: (i0 w0, i0 w1, i1 w0, i1 w1)
    const dw = filterToOIHW(Float32Array.from([1, 2, 3, 4]), [1, 1, 2, 2], true); // C=2, M=2
    expect(dw.dims).toEqual([4, 1, 1, 1]);
    expect(Array.from(dw.data)).toEqual([1, 2, 3, 4]);
  });

  it('round-trips fp16 and quantizes per channel', () => {
    for (const v of [0, 1, -2.5, 65504, 6.1e-5, 0.1]) expect(Math.abs(halfToFloat(floatToHalf(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3);
    const { q, scales } = quantizePerAxis(Float32Array.from([1, -0.5, 100, 50]), [2, 2], 0);
    expect(Array.from(q)).toEqual([127, -64, 127, 64]);
    expect(scales[1]).toBeCloseTo(100 / 127);
  });
});

describe('graph conversion', () => {
  // x[1,2,2,2] → 1×1 identity conv (NCHW from here) → Pad channel axis 2→3 (zeros at the end)
  // → 1×1 conv (3→2, bias, Relu) → Reshape [1,-1]
  const nodes: TfNode[] = [
    placeholder('x', [-1, 2, 2, 2]),
    { name: 'eye', op: 'Const' },
    { name: 'pre', op: 'Conv2D', input: ['x', 'eye'], attr: { strides: ints(1, 1, 1, 1), padding: { s: b64('SAME') } } },
    { name: 'paddings', op: 'Const' },
    { name: 'pad', op: 'Pad', input: ['pre', 'paddings'] },
    { name: 'w', op: 'Const' },
    { name: 'b', op: 'Const' },
    { name: 'conv', op: '_FusedConv2D', input: ['pad', 'w', 'b'], attr: { strides: ints(1, 1, 1, 1), padding: { s: b64('VALID') }, fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } } } },
    { name: 'shape', op: 'Const' },
    { name: 'flat', op: 'Reshape', input: ['conv', 'shape'] },
  ];
  const weights = {
    eye: f32([1, 1, 2, 2], [1, 0, 0, 1]),
    paddings: i32([4, 2], [0, 0, 0, 0, 0, 0, 0, 1]),
    w: f32([1, 1, 3, 2], [1, 0, 0, 1, 1, 1]), // out0 = c0 + pad, out1 = c1 + pad (pad is 0)
    b: f32([2], [0.5, -10]),
    shape: i32([2], [1, -1]),
  };
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // NHWC: pixel p has channels (2p+1, 2p+2)

  it('keeps TF semantics through Transpose/Pad/Conv/Reshape', async () => {
    const { out, graph } = await run(model(nodes, weights), x, [1, 2, 2, 2]);
    // TF result per pixel (NHWC flatten): [c0 + 0.5, relu(c1 − 10)]
    expect(Array.from(out.flat.data as Float32Array)).toEqual([1.5, 0, 3.5, 0, 5.5, 0, 7.5, 0]);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Transpose', 'Conv', 'Pad', 'Conv', 'Relu', 'Transpose', 'Reshape', 'Identity']);
    const pad = graph.initializers.find((t) => t.name.startsWith('pad/pads'))!;
    expect(Array.from(pad.data as BigInt64Array, Number)).toEqual([0, 0, 0, 0, 0, 1, 0, 0]); // NCHW: channel end gets +1
    expect(graph.inputs[0].shape).toEqual([1, 2, 2, 2]); // dynamic batch fixed to 1
  });

  it('fails the parity check if the NHWC→NCHW transposes were dropped', async () => {
    // Same graph but Reshape fed straight from Conv: would read NCHW order if the converter forgot the transpose.
    const { out } = await run(model(nodes, { ...weights, b: f32([2], [0.5, 0.5]) }), x, [1, 2, 2, 2]);
    expect(Array.from(out.flat.data as Float32Array)).not.toEqual([1.5, 3.5, 5.5, 7.5, 2.5, 4.5, 6.5, 8.5]);
    expect(Array.from(out.flat.data as Float32Array)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
  });

  it('folds Shape → StridedSlice → Pack → Reshape with batch = 1', async () => {
    const fold: TfNode[] = [
      placeholder('x', [-1, 2, 2, 2]),
      { name: 'shape', op: 'Shape', input: ['x'] },
      { name: 'b', op: 'Const' }, { name: 'e', op: 'Const' }, { name: 's', op: 'Const' },
      { name: 'batch', op: 'StridedSlice', input: ['shape', 'b', 'e', 's'], attr: { shrink_axis_mask: { i: '1' } } },
      { name: 'minus1', op: 'Const' },
      { name: 'target', op: 'Pack', input: ['batch', 'minus1'] },
      { name: 'out', op: 'Reshape', input: ['x', 'target'] },
    ];
    const { out, graph } = await run(model(fold, { b: i32([1], [0]), e: i32([1], [1]), s: i32([1], [1]), minus1: i32([], [-1]) }), x, [1, 2, 2, 2]);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Reshape', 'Identity']);
    expect(out.out.dims).toEqual([1, 8]);
  });

  it('rejects ops it does not know', () => {
    const bad = model([placeholder('x', [1, 2]), { name: 'y', op: 'NonMaxSuppressionV5', input: ['x'] }], {});
    expect(() => convertTfjs(bad)).toThrow(/unsupported TF op NonMaxSuppressionV5/);
  });

  it('writes fp16 and int8 storage that ORT runs with the same graph semantics', async () => {
    for (const storage of [toFp16, toInt8]) {
      const { graph } = convertTfjs(model(nodes, weights), { inputName: 'x' });
      storage(graph);
      const bytes = encodeModel(graph);
      const decoded = decodeModel(bytes);
      expect(decoded.opset_import[0].version).toBe(17);
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ x: new ort.Tensor('float32', x, [1, 2, 2, 2]) });
      const got = Array.from(out.flat.data as Float32Array);
      [1.5, 0, 3.5, 0, 5.5, 0, 7.5, 0].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 2));
    }
  });
});

describe('tar reader', () => {
  it('reads ustar entries with 512-byte padding', () => {
    const header = (name: string, size: number) => {
      const h = new Uint8Array(512);
      h.set(new TextEncoder().encode(name), 0);
      h.set(new TextEncoder().encode(size.toString(8).padStart(11, '0')), 124);
      h[156] = 48; // '0'
      h.set(new TextEncoder().encode('ustar'), 257);
      return h;
    };
    const data = new Uint8Array(512 * 6);
    data.set(header('a.txt', 3), 0);
    data.set([1, 2, 3], 512);
    data.set(header('dir/b.bin', 600), 1024);
    data.fill(7, 1536, 1536 + 600);
    const entries = [...iterateTar(data)];
    expect(entries.map(([n, b]) => [n, b.length])).toEqual([['a.txt', 3], ['dir/b.bin', 600]]);
    expect(Array.from(entries[0][1])).toEqual([1, 2, 3]);
  });
});
