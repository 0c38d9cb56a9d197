/**
 * @module cli/commands/video
 * `seamline video <file> (--swap-source S | --scan) [--out file]`: a server-side job with progress.
 */
import { writeFile } from 'node:fs/promises';
import type { Job } from '../../types.js';
import { intOption, parse, serverOptions, UsageError } from '../args.js';
import { clientFrom } from '../client.js';
import { HELP } from '../help.js';
import { progressBar } from '../progress.js';
import { notAvailable } from './not-available.js';

export async function videoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...serverOptions,
    'swap-source': { type: 'string' },
    scan: { type: 'boolean' },
    model: { type: 'string' },
    out: { type: 'string' },
    interval: { type: 'string' },
  });
  if (values.help) return (console.log(HELP.video), 0);
  if (positionals.length !== 1) throw new UsageError('video needs exactly one video file');
  if (!!values['swap-source'] === !!values.scan) throw new UsageError('video needs either --swap-source IMAGE or --scan');
  const client = clientFrom(values);
  const intervalMs = intOption(values.interval, 'interval', 1000, 50);
  return notAvailable('video jobs', async () => {
    const created = await client.jobs.create({
      video: positionals[0],
      task: values.scan ? 'scan' : 'swap',
      ...(values['swap-source'] ? { source: values['swap-source'] } : {}),
      ...(values.model ? { model: values.model as 'classical' | 'aei' } : {}),
    });
    console.error(`job ${created.id} ${created.state}`);
    const bar = progressBar(created.progress?.total ?? 0);
    let job: Job;
    try {
      job = await client.jobs.wait(created.id, {
        intervalMs,
        onProgress: ({ state, progress }) => {
          const eta = progress?.etaSeconds != null ? `eta ${Math.round(progress.etaSeconds)}s` : '';
          bar.set(progress?.done ?? 0, progress?.total ?? 0, `${state} ${eta}`);
        },
      });
    } finally {
      bar.done();
    }
    const out = await saveResult(client.baseUrl, job, values.out);
    if (out) console.error(`wrote ${out}`);
    console.log(JSON.stringify(job));
    return 0;
  });
}

/** Saves a result given as a URL (absolute or relative to the server) when --out is set. */
async function saveResult(baseUrl: string, job: Job, out: string | undefined): Promise<string | undefined> {
  if (!out) return undefined;
  const result = job.result as { url?: string } | string | undefined;
  const url = typeof result === 'string' ? result : result?.url;
  if (typeof url === 'string') {
    const res = await fetch(new URL(url, baseUrl + '/'));
    if (!res.ok) throw new Error(`downloading the result failed: ${res.status}`);
    await writeFile(out, new Uint8Array(await res.arrayBuffer()));
  } else {
    await writeFile(out, JSON.stringify(job.result ?? job, null, 2));
  }
  return out;
}
