/**
 * @module cli/commands/serve
 * `seamline serve [--port N]`: starts the local worker from the repository checkout
 * (`node tools/start.mjs`, else `npx wrangler dev`) and forwards signals to it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { intOption, parse, UsageError } from '../args.js';
import { HELP } from '../help.js';
import { findRepoRoot } from '../repo.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' } });
  if (values.help) return (console.log(HELP.serve), 0);
  const port = intOption(values.port, 'port', 8787, 1);
  const root = findRepoRoot();
  if (!root) throw new UsageError('serve works only inside a seamline repository checkout');
  const start = join(root, 'tools/start.mjs');
  const [cmd, args] = existsSync(start)
    ? [process.execPath, [start, '--port', String(port)]]
    : ['npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port)]];
  console.error(`seamline: starting the worker on http://127.0.0.1:${port} (${[cmd === process.execPath ? 'node' : cmd, ...args].join(' ')})`);
  const child = spawn(cmd, args as string[], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: String(port) } });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 0 : 2))));
}
