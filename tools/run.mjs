#!/usr/bin/env node
/**
 * Runs a TypeScript tool with the same module rules as the worker (vitest.config.ts's plugin:
 * `*.wasm` → WebAssembly.Module, `*.onnx` → ArrayBuffer), so tools, benchmarks and evaluations
 * execute exactly the pipeline code the worker bundles.
 *   node tools/run.mjs tools/eval-faces.ts [args…]
 */
import { createServer } from 'vite';
import { ViteNodeServer } from 'vite-node/server';
import { ViteNodeRunner } from 'vite-node/client';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/run.mjs <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...args];
const root = resolve(fileURLToPath(import.meta.url), '../..');
const server = await createServer({
  logLevel: 'error',
  configFile: resolve(root, 'vitest.config.ts'),
  root,
  server: { hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
await server.environments.client.pluginContainer.buildStart({});
// Package wasm ids (\0wasm:/…/node_modules/…) must go through the plugin, not Node's loader.
const node = new ViteNodeServer(server, { deps: { inline: [/^\0(wasm|onnx):/] } });
const runner = new ViteNodeRunner({
  root,
  base: server.config.base,
  fetchModule: (id) => node.fetchModule(id),
  resolveId: (id, importer) => node.resolveId(id, importer),
});
try {
  await runner.executeFile(resolve(file));
} finally {
  await server.close();
}
