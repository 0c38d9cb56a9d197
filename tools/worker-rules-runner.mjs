/**
 * A vite-node runner with the worker's module rules (vitest.config.ts's plugin: `*.wasm` →
 * WebAssembly.Module, `*.onnx` → ArrayBuffer), so Node tools, the CLI's --local mode and the origin
 * execute exactly the pipeline code the worker bundles.
 * @example
 * const { runner, close } = await createWorkerRulesRunner(root);
 * const { findFaces } = await runner.executeFile(`${root}/src/pipeline/faces.ts`);
 */
import { join } from 'node:path';
import { createServer } from 'vite';
import { ViteNodeServer } from 'vite-node/server';
import { ViteNodeRunner } from 'vite-node/client';

export async function createWorkerRulesRunner(root) {
  const server = await createServer({
    logLevel: 'error',
    configFile: join(root, 'vitest.config.ts'),
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
  return { runner, close: () => server.close() };
}
