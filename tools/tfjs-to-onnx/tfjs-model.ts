/** Types for a tfjs `graph-model` (model.json) and a loader that reads it plus its weight shards. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeWeights, type DecodedTensor } from './weights.js';

export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; type?: string[] };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; scale?: number; min?: number; original_dtype?: string };
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: { node: TfNode[]; versions?: unknown; library?: unknown };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  signature?: TfSignature;
  userDefinedMetadata?: { signature?: TfSignature };
}

export interface TfSignatureEntry {
  name: string;
  dtype?: string;
  tensorShape?: { dim?: { size: string | number }[] };
}
export interface TfSignature {
  inputs?: Record<string, TfSignatureEntry>;
  outputs?: Record<string, TfSignatureEntry>;
}

export interface TfjsModel {
  json: TfjsModelJson;
  /** All weight shards concatenated, in manifest order (what tfjs' IOHandler calls weightData). */
  weightData: Uint8Array;
  weights: Map<string, DecodedTensor>;
}

export function modelSignature(json: TfjsModelJson): TfSignature {
  return json.signature ?? json.userDefinedMetadata?.signature ?? {};
}

export function loadTfjsModel(jsonPath: string): TfjsModel {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfjsModelJson;
  if (json.format && json.format !== 'graph-model') throw new Error(`${jsonPath}: format ${json.format} is not graph-model`);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dirname(jsonPath), p))));
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  return { json, weightData, weights: decodeWeights(specs, weightData) };
}
