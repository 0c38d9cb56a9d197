import type { ConvertContext, Value } from '../context.js';
import type { TfNode } from '../tfjs-model.js';

/** Converts one TF node; returns the Value of its (first) output. */
export type OpMapper = (node: TfNode, ctx: ConvertContext) => Value;
export type OpTable = Record<string, OpMapper>;
