/**
 * @module cli/commands/models
 * `seamline models [name] [--json]`: the models the server ships (GET /v1/models), or one card whole.
 */
import { parse, serverOptions } from '../args.js';
import { clientFrom } from '../client.js';
import { HELP } from '../help.js';
import { alignColumns } from '../output.js';
import { notAvailable } from './not-available.js';

export async function modelsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...serverOptions, json: { type: 'boolean' } });
  if (values.help) return (console.log(HELP.models), 0);
  const client = clientFrom(values);
  return notAvailable('models', async () => {
    if (positionals[0]) {
      console.log(JSON.stringify(await client.modelCard(positionals[0]), null, 2));
      return 0;
    }
    const { models } = await client.models();
    if (values.json) {
      for (const m of models) console.log(JSON.stringify(m));
      return 0;
    }
    const rows = [['model', 'version', 'delivery', 'MB'], ...models.map((m) => [
      m.name, m.version ?? '-', m.delivery, (m.files.reduce((n, f) => n + f.bytes, 0) / 1e6).toFixed(1),
    ])];
    console.log(alignColumns(rows).join('\n'));
    return 0;
  });
}
