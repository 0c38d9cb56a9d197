#!/usr/bin/env node
/**
 * Runs a TypeScript tool with the same module rules as the worker (see worker-rules-runner.mjs).
 *   node tools/run.mjs tools/eval-faces.ts [args…]
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createWorkerRulesRunner } from './worker-rules-runner.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/run.mjs <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...args];
const root = resolve(fileURLToPath(import.meta.url), '../..');
const { runner, close } = await createWorkerRulesRunner(root);
try {
  await runner.executeFile(resolve(file));
} finally {
  await close();
}
