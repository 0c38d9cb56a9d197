/** Small dense-tensor helpers used for constant folding and weight re-layout. */

export type NumericArray = Float32Array | Int32Array;

export const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** out[perm-indexed] = data; out shape = perm.map(p => shape[p]) (numpy.transpose semantics). */
export function transposeData<T extends NumericArray>(data: T, shape: number[], perm: number[]): T {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = strides(shape);
  const out = new (data.constructor as { new (n: number): T })(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  const permStrides = perm.map((p) => inStrides[p]);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let d = 0; d < idx.length; d++) src += idx[d] * permStrides[d];
    out[o] = data[src];
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** numpy-style broadcast of two shapes. */
export function broadcastShapes(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Elementwise op on two broadcastable dense tensors (used to fold constant subgraphs). */
export function broadcastBinary(a: NumericArray, as: number[], b: NumericArray, bs: number[], f: (x: number, y: number) => number, int: boolean): NumericArray {
  const shape = broadcastShapes(as, bs);
  const out = int ? new Int32Array(numel(shape)) : new Float32Array(numel(shape));
  const pad = (s: number[]) => [...new Array(shape.length - s.length).fill(1), ...s];
  const pa = pad(as), pb = pad(bs);
  const sa = strides(pa).map((s, i) => (pa[i] === 1 ? 0 : s));
  const sb = strides(pb).map((s, i) => (pb[i] === 1 ? 0 : s));
  const os = strides(shape);
  for (let o = 0; o < out.length; o++) {
    let ia = 0, ib = 0, rem = o;
    for (let d = 0; d < shape.length; d++) {
      const k = Math.floor(rem / os[d]);
      rem -= k * os[d];
      ia += k * sa[d];
      ib += k * sb[d];
    }
    out[o] = f(a[ia], b[ib]);
  }
  return out;
}

/** Position of NHWC axis `a` once the tensor is stored NCHW. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1];
export const PERM_NHWC_TO_NCHW = [0, 3, 1, 2];
export const PERM_NCHW_TO_NHWC = [0, 2, 3, 1];
