/** Accessors for tfjs node attributes (ints arrive as strings, strings as base64). */
import type { TfNode } from './tfjs-model.js';

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const a = node.attr?.[key];
  if (!a?.list?.i) {
    if (fallback) return fallback;
    throw new Error(`${node.op} ${node.name}: missing int list attr ${key}`);
  }
  return a.list.i.map(Number);
}

export function attrString(node: TfNode, key: string, fallback?: string): string {
  const s = node.attr?.[key]?.s;
  if (s === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${node.op} ${node.name}: missing string attr ${key}`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrBool(node: TfNode, key: string, fallback = false): boolean {
  return node.attr?.[key]?.b ?? fallback;
}

export function attrFloat(node: TfNode, key: string, fallback: number): number {
  const f = node.attr?.[key]?.f;
  return f === undefined ? fallback : Number(f);
}

export function attrInt(node: TfNode, key: string, fallback: number): number {
  const i = node.attr?.[key]?.i;
  return i === undefined ? fallback : Number(i);
}

export function attrShape(node: TfNode, key: string): number[] | undefined {
  const dims = node.attr?.[key]?.shape?.dim;
  return dims?.map((d) => Number(d.size));
}
