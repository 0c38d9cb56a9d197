#!/usr/bin/env node
// Entry of `npx seamline`. In the repository checkout it runs the TypeScript sources through tsx;
// elsewhere (a built package) it runs dist/ from `npm run build -w seamline`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/index.ts', import.meta.url);
const built = new URL('../dist/cli/index.js', import.meta.url);
let entry = existsSync(fileURLToPath(built)) ? built.href : undefined;
if (existsSync(fileURLToPath(source))) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = source.href;
  } catch (error) {
    if (!entry) {
      console.error('seamline: cannot load the CLI (tsx is not installed and there is no dist/ build): ' + error.message);
      process.exit(2);
    }
  }
}
if (!entry) {
  console.error('seamline: no CLI found (neither src/cli nor dist/cli)');
  process.exit(2);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
