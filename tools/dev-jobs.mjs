#!/usr/bin/env node
/**
 * `npm run dev:jobs`: the whole video-job setup on one machine, with one command —
 *   edge:   node tools/start.mjs  (build + wrangler dev --local on 127.0.0.1:8787; R2, Durable Object and
 *           Queue simulated by miniflare, persisted in .wrangler/state)
 *   origin: npm run origin        (Node + ffmpeg, POST /work on 127.0.0.1:8788)
 * Both get the same dev-only ORIGIN_TOKEN (wrangler.toml's default unless ORIGIN_TOKEN is set in the
 * environment). Output is prefixed [edge] / [origin]; Ctrl-C stops both, and if one exits the other is stopped.
 *   npm run dev:jobs
 *   EDGE_PORT=9000 ORIGIN_PORT=9001 npm run dev:jobs
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const edgePort = process.env.EDGE_PORT ?? '8787';
const originPort = process.env.ORIGIN_PORT ?? '8788';
const token = process.env.ORIGIN_TOKEN ?? 'dev-origin-token';
const edgeUrl = `http://127.0.0.1:${edgePort}`;
const originUrl = `http://127.0.0.1:${originPort}`;

const children = [];
let stopping = false;

function run(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  const prefix = (stream, out) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
    stream.on('end', () => rest && out.write(`[${name}] ${rest}\n`));
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    console.log(`[dev:jobs] ${name} exited (${signal ?? code})`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // Each child leads its own process group (detached), so npm's and wrangler's own children stop too.
  for (const child of children) {
    try {
      if (process.platform === 'win32') child.kill('SIGTERM');
      else process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

console.log(`[dev:jobs] edge ${edgeUrl}  origin ${originUrl}  (ORIGIN_TOKEN ${process.env.ORIGIN_TOKEN ? 'from env' : 'dev default'})`);
run('edge', process.execPath, [join(root, 'tools/start.mjs'), '--port', edgePort, '--var', `ORIGIN_URL:${originUrl}`, '--var', `ORIGIN_TOKEN:${token}`], {});
run('origin', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'origin'], { PORT: originPort, HOST: '127.0.0.1', EDGE_URL: edgeUrl, ORIGIN_TOKEN: token });
