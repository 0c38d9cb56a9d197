/**
 * @module cli
 * `seamline <command>`: dispatch, version, and the exit-code contract (2 for usage and errors).
 */
import { readFileSync } from 'node:fs';
import { SeamlineError } from '../errors.js';
import { UsageError } from './args.js';
import { modelsCommand } from './commands/models.js';
import { scanCommand } from './commands/scan.js';
import { serveCommand } from './commands/serve.js';
import { swapCommand } from './commands/swap.js';
import { videoCommand } from './commands/video.js';
import { HELP } from './help.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  scan: scanCommand,
  swap: swapCommand,
  video: videoCommand,
  serve: serveCommand,
  models: modelsCommand,
};

export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') return (console.log(version()), 0);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(rest[0] && rest[0] in HELP ? HELP[rest[0] as keyof typeof HELP] : HELP.main);
    return command ? 0 : 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`seamline: ${error.message}\nRun "seamline ${run ? command + ' ' : ''}--help" for usage.`);
    } else if (error instanceof SeamlineError) {
      console.error(`seamline: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`);
    } else {
      console.error(`seamline: ${(error as Error)?.stack ?? error}`);
    }
    return 2;
  }
}
