/**
 * @module cli/commands/scan
 * `seamline scan <files|dirs|globs…>`: Face X-Ray over many images, as a CI gate.
 * Exit 0 = nothing fake, 1 = something fake, 2 = usage error or an image could not be scanned.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SeamlineError } from '../../errors.js';
import { intOption, numberOption, parse, serverOptions, UsageError } from '../args.js';
import { clientFrom } from '../client.js';
import { expandInputs } from '../expand.js';
import { HELP } from '../help.js';
import { localScanner } from '../local.js';
import { formatTable, type ScanLine } from '../output.js';
import { mapPool } from '../pool.js';
import { progressBar } from '../progress.js';
import { applyThreshold, remoteScanner, type Scanner } from '../scanner.js';

export async function scanCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...serverOptions,
    json: { type: 'boolean' },
    concurrency: { type: 'string' },
    threshold: { type: 'string' },
    overlay: { type: 'string' },
    local: { type: 'boolean' },
  });
  if (values.help) return (console.log(HELP.scan), 0);
  if (!positionals.length) throw new UsageError('scan needs at least one file, directory or glob');
  const concurrency = intOption(values.concurrency, 'concurrency', 2, 1);
  const threshold = numberOption(values.threshold, 'threshold', 0, 1);
  const files = await expandInputs(positionals);
  if (values.overlay) await mkdir(values.overlay, { recursive: true });

  const scanner: Scanner = values.local ? await localScanner() : remoteScanner(clientFrom(values));
  const bar = progressBar(files.length);
  const usedNames = new Set<string>();
  let lines: ScanLine[];
  try {
    lines = await mapPool(files, values.local ? 1 : concurrency, async (file) => {
      const line = await scanOne(scanner, file, { threshold, overlayDir: values.overlay, usedNames });
      bar.tick(file);
      if (values.json) process.stdout.write(JSON.stringify(line) + '\n');
      return line;
    });
  } finally {
    bar.done();
    await scanner.close();
  }
  if (!values.json) console.log(formatTable(lines));
  const unavailable = lines.find((l) => l.error?.status === 404);
  if (unavailable) console.error('seamline: /v1/xray is not available on this server (404)');
  if (lines.some((l) => l.error)) return 2;
  return lines.some((l) => l.verdict === 'fake') ? 1 : 0;
}

async function scanOne(
  scanner: Scanner,
  file: string,
  { threshold, overlayDir, usedNames }: { threshold?: number; overlayDir?: string; usedNames: Set<string> },
): Promise<ScanLine> {
  try {
    const outcome = applyThreshold(await scanner.scan(file, { overlay: !!overlayDir, threshold }), threshold);
    const line: ScanLine = {
      file,
      verdict: outcome.verdict,
      score: outcome.score,
      threshold: outcome.threshold,
      faces: outcome.faces.length,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      perFace: outcome.faces,
    };
    if (overlayDir && outcome.overlay) {
      let name = basename(file).replace(/\.[^.]+$/, '') + '.xray.png';
      for (let i = 2; usedNames.has(name); i++) name = basename(file).replace(/\.[^.]+$/, '') + `.${i}.xray.png`;
      usedNames.add(name);
      line.overlay = join(overlayDir, name);
      await writeFile(line.overlay, outcome.overlay);
    }
    return line;
  } catch (error) {
    const e = error instanceof SeamlineError ? error : undefined;
    return {
      file,
      verdict: null,
      score: null,
      threshold: null,
      faces: 0,
      error: e ? { status: e.status, title: e.title, ...(e.detail ? { detail: e.detail } : {}), ...(e.requestId ? { requestId: e.requestId } : {}) } : { status: 0, title: (error as Error).message },
    };
  }
}
