/** In-memory ONNX graph: nodes, initializers and I/O, independent of protobuf (see writer.ts). */

export type OnnxDtype = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32' | 'int64';
export type TensorData = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

export interface Initializer {
  name: string;
  dtype: OnnxDtype;
  dims: number[];
  /** float16 tensors hold raw binary16 bit patterns in a Uint16Array. */
  data: TensorData;
}

export type Attr =
  | { type: 'int'; value: number }
  | { type: 'ints'; value: number[] }
  | { type: 'float'; value: number }
  | { type: 'floats'; value: number[] }
  | { type: 'string'; value: string };

export const attr = {
  int: (value: number): Attr => ({ type: 'int', value }),
  ints: (value: number[]): Attr => ({ type: 'ints', value }),
  float: (value: number): Attr => ({ type: 'float', value }),
  floats: (value: number[]): Attr => ({ type: 'floats', value }),
  string: (value: string): Attr => ({ type: 'string', value }),
};

export interface OnnxNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
}

export interface GraphIO {
  name: string;
  dtype: OnnxDtype;
  shape: number[];
  doc?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: Initializer[];
  inputs: GraphIO[];
  outputs: GraphIO[];
}

/** Appends nodes/initializers with collision-free names. */
export class GraphBuilder implements OnnxGraph {
  nodes: OnnxNode[] = [];
  initializers: Initializer[] = [];
  inputs: GraphIO[] = [];
  outputs: GraphIO[] = [];
  private used = new Set<string>();

  constructor(public name: string) {}

  /** Returns `base` (sanitised) or `base_<n>` if it is taken, and reserves it. */
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let n = 1; this.used.has(name); n++) name = `${clean}_${n}`;
    this.used.add(name);
    return name;
  }

  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`graph: name ${name} already used`);
    this.used.add(name);
  }

  addInitializer(base: string, dtype: OnnxDtype, dims: number[], data: TensorData): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new Error(`graph: initializer ${base} has ${data.length} values for dims [${dims}]`);
    const name = this.unique(base);
    this.initializers.push({ name, dtype, dims, data });
    return name;
  }

  /** Adds a node and returns its output names (fresh names derived from `base`). */
  addNode(op: string, inputs: string[], base: string, attrs: Record<string, Attr> = {}, outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, (_, i) => this.unique(outputCount === 1 ? base : `${base}:${i}`));
    this.nodes.push({ name: this.unique(`${base}/${op}`), op, inputs, outputs, attrs });
    return outputs;
  }

  int64(base: string, values: number[]): string {
    return this.addInitializer(base, 'int64', [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
  }
}
