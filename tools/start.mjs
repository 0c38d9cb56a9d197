#!/usr/bin/env node
/**
 * `npm start`: builds (npm run build), then serves the worker locally with `wrangler dev --local` on
 * 127.0.0.1:8787. Extra arguments go to wrangler; a user-supplied --port / --ip replaces the default
 * instead of being passed twice:
 *   npm start -- --port 9000 --var NAME:value
 * Needs no account or network: metrics and the Request.cf download are switched off.
 * Before wrangler starts, tools/seed-models.mjs puts the big models and the browser's ORT wasm into the local R2
 * bucket `seamline-models` (binding MODELS) that `wrangler dev` reads (.wrangler/state, or the --persist-to you pass);
 * objects that are already current are skipped, so this costs ~0.1 s after the first start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false', // else miniflare fetches Request.cf from workers.cloudflare.com
};

const build = spawnSync('npm', ['run', 'build'], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const userArgs = process.argv.slice(2);
const given = (flag) => userArgs.some((a) => a === flag || a.startsWith(`${flag}=`));

// model=aei and the web demo's in-browser mode read their files from R2 (MODELS); seed the same persist dir wrangler dev uses.
const persistArg = userArgs.findIndex((a) => a === '--persist-to' || a.startsWith('--persist-to='));
const persistTo = persistArg < 0 ? [] : userArgs[persistArg].includes('=') ? [userArgs[persistArg].split('=').slice(1).join('=')] : [userArgs[persistArg + 1]];
const seed = spawnSync(process.execPath, [join(root, 'tools/seed-models.mjs'), ...(persistTo.length ? ['--persist-to', persistTo[0]] : [])], { cwd: root, env, stdio: 'inherit' });
if (seed.status !== 0) process.exit(seed.status ?? 1);
const defaults = [...(given('--ip') ? [] : ['--ip', '127.0.0.1']), ...(given('--port') ? [] : ['--port', '8787'])];
const args = ['dev', '--local', ...defaults, ...userArgs];
console.log(`> wrangler ${args.join(' ')}`);

const child = spawn(join(root, 'node_modules/.bin/wrangler'), args, { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
