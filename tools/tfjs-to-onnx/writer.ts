/** Serialises an OnnxGraph as an ONNX ModelProto with protobufjs and the vendored onnx.proto. */
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import type { Attr, GraphIO, Initializer, OnnxDtype, OnnxGraph } from './graph.js';

export const OPSET = 17;
export const IR_VERSION = 8;

const DATA_TYPE: Record<OnnxDtype, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, float16: 10 };
const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

let root: protobuf.Root | undefined;
export function onnxRoot(): protobuf.Root {
  if (!root) {
    root = new protobuf.Root();
    root.loadSync(fileURLToPath(new URL('./onnx.proto', import.meta.url)), { keepCase: true });
  }
  return root;
}

export interface ModelMeta {
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

function tensorProto(t: Initializer) {
  return {
    name: t.name,
    data_type: DATA_TYPE[t.dtype],
    dims: t.dims,
    raw_data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  };
}

function attributeProto(name: string, a: Attr) {
  switch (a.type) {
    case 'int': return { name, type: ATTR_TYPE.int, i: a.value };
    case 'ints': return { name, type: ATTR_TYPE.ints, ints: a.value };
    case 'float': return { name, type: ATTR_TYPE.float, f: a.value };
    case 'floats': return { name, type: ATTR_TYPE.floats, floats: a.value };
    case 'string': return { name, type: ATTR_TYPE.string, s: new TextEncoder().encode(a.value) };
  }
}

function valueInfo(io: GraphIO) {
  return {
    name: io.name,
    doc_string: io.doc,
    type: { tensor_type: { elem_type: DATA_TYPE[io.dtype], shape: { dim: io.shape.map((d) => ({ dim_value: d })) } } },
  };
}

export function modelProtoObject(graph: OnnxGraph, meta: ModelMeta = {}) {
  return {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'seamline-tfjs-to-onnx',
    producer_version: meta.producerVersion ?? '0.1.0',
    doc_string: meta.docString,
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => ({
        name: n.name,
        op_type: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, a]) => attributeProto(k, a)),
      })),
      initializer: graph.initializers.map(tensorProto),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
    metadata_props: Object.entries(meta.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

export function encodeModel(graph: OnnxGraph, meta: ModelMeta = {}): Uint8Array {
  const ModelProto = onnxRoot().lookupType('onnx.ModelProto');
  const message = ModelProto.fromObject(modelProtoObject(graph, meta));
  return ModelProto.encode(message).finish();
}

/** Decodes a ModelProto to a plain object (longs as numbers, bytes as Uint8Array); for tests/inspection. */
export function decodeModel(bytes: Uint8Array): Record<string, any> {
  const ModelProto = onnxRoot().lookupType('onnx.ModelProto');
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as Record<string, any>;
}
