#!/usr/bin/env node
/**
 * Verifies every file listed in models/registry.json: it exists, its size and sha256 match the
 * registry, the model card lists the same hash, and the Markdown card next to each file is current.
 * Exits 1 on any mismatch.
 *
 *   npm run models:check
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleCards } from './model-cards.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const registry = JSON.parse(readFileSync(join(root, 'models/registry.json'), 'utf8'));
let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`FAIL ${msg}`);
};

const listed = new Set();
for (const model of registry.models) {
  const card = existsSync(join(root, model.card)) ? JSON.parse(readFileSync(join(root, model.card), 'utf8')) : undefined;
  if (!card) fail(`${model.name}: card ${model.card} missing`);
  for (const file of model.files) {
    listed.add(file.path);
    const path = join(root, file.path);
    if (!existsSync(path)) {
      fail(`${file.path}: missing`);
      continue;
    }
    const bytes = readFileSync(path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== file.sha256) fail(`${file.path}: sha256 ${sha} ≠ registry ${file.sha256}`);
    else if (bytes.length !== file.bytes) fail(`${file.path}: ${bytes.length} bytes ≠ registry ${file.bytes}`);
    else console.log(`ok   ${file.path} ${file.bytes} B sha256 ${sha.slice(0, 16)}…`);
    const inCard = card?.files?.find((f) => f.path === file.path);
    if (card && inCard?.sha256 !== file.sha256) fail(`${file.path}: card ${model.card} lists a different sha256`);
  }
}
for (const f of readdirSync(join(root, 'models')).filter((f) => f.endsWith('.onnx'))) {
  if (!listed.has(`models/${f}`)) fail(`models/${f} is not listed in models/registry.json`);
}
for (const problem of staleCards()) fail(problem);
if (failures) {
  console.error(`${failures} problem(s)`);
  process.exit(1);
}
console.log(`all ${listed.size} model file(s) match models/registry.json`);
