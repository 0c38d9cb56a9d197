/** The op table: TF op name → mapper. Const/Placeholder are handled by the graph walker itself. */
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { matmulOps } from './matmul.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';
import type { OpTable } from './types.js';

export const OPS: OpTable = { ...convOps, ...poolOps, ...elementwiseOps, ...shapeOps, ...reduceOps, ...matmulOps };
export type { OpMapper, OpTable } from './types.js';
