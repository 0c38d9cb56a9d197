/**
 * @module cli/commands/swap
 * `seamline swap --source A --target B [--out file] [--model classical|aei]` (POST /v1/swap, Bearer key).
 */
import { writeFile } from 'node:fs/promises';
import { parse, intOption, serverOptions, UsageError } from '../args.js';
import { clientFrom } from '../client.js';
import { HELP } from '../help.js';
import { notAvailable } from './not-available.js';

export async function swapCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...serverOptions,
    source: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string' },
    model: { type: 'string' },
    'source-face': { type: 'string' },
    'target-face': { type: 'string' },
    hear: { type: 'boolean' },
    jpeg: { type: 'boolean' },
    png: { type: 'boolean' },
  });
  if (values.help) return (console.log(HELP.swap), 0);
  if (!values.source || !values.target) throw new UsageError('swap needs --source and --target');
  if (values.model && values.model !== 'classical' && values.model !== 'aei') throw new UsageError(`--model must be classical or aei, got "${values.model}"`);
  const client = clientFrom(values);
  if (values.png && values.jpeg) throw new UsageError('--png and --jpeg exclude each other');
  const png = values.png || (!values.jpeg && /\.png$/i.test(values.out ?? ''));
  const accept = png ? 'image/png' : 'image/jpeg';
  const out = values.out ?? `swapped.${png ? 'png' : 'jpg'}`;
  return notAvailable('swap', async () => {
    const result = await client.swap({
      source: values.source!,
      target: values.target!,
      model: values.model as 'classical' | 'aei' | undefined,
      ...(values['source-face'] !== undefined ? { sourceFace: intOption(values['source-face'], 'source-face', 0) } : {}),
      ...(values['target-face'] !== undefined ? { targetFace: intOption(values['target-face'], 'target-face', 0) } : {}),
      ...(values.hear ? { hear: true } : {}),
      accept,
    });
    await writeFile(out, result.bytes);
    console.error(`wrote ${out} (${result.bytes.length} bytes, ${result.contentType})`);
    return 0;
  });
}
