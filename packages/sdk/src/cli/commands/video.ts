/**
 * @module cli/commands/video
 * `seamline video <file|https-url> (--scan | --swap-source S) [--out file]`: a server-side job
 * (`scan-video` / `swap-video`) with a progress bar from the job's frames and ETA; the result is
 * downloaded from `GET /v1/jobs/{id}/result` into `--out`.
 */
import { writeFile } from 'node:fs/promises';
import type { CreateJobOptions } from '../../jobs.js';
import type { JobStatus } from '../../types.js';
import { intOption, parse, serverOptions, UsageError } from '../args.js';
import { clientFrom } from '../client.js';
import { HELP } from '../help.js';
import { progressBar } from '../progress.js';
import { notAvailable } from './not-available.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** The label next to the bar: state, percent and ETA. */
export function progressLabel({ state, progress }: Pick<JobStatus, 'state' | 'progress'>): string {
  const eta = progress.etaSeconds != null ? ` eta ${formatEta(progress.etaSeconds)}` : '';
  return `frames ${state} ${progress.percent}%${eta}`;
}

function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export async function videoCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...serverOptions,
    'swap-source': { type: 'string' },
    scan: { type: 'boolean' },
    'source-face': { type: 'string' },
    'callback-url': { type: 'string' },
    out: { type: 'string' },
    interval: { type: 'string' },
  });
  if (values.help) return (console.log(HELP.video), 0);
  if (positionals.length !== 1) throw new UsageError('video needs exactly one video file (or https URL)');
  if (!!values['swap-source'] === !!values.scan) throw new UsageError('video needs either --swap-source IMAGE or --scan');
  const video = positionals[0];
  const source = values['swap-source'];
  if (source && isUrl(source) !== isUrl(video)) throw new UsageError('give the video and --swap-source both as files or both as URLs');
  const client = clientFrom(values);
  const intervalMs = intOption(values.interval, 'interval', 1000, 50);
  const common = {
    task: source ? 'swap-video' : 'scan-video',
    ...(values['source-face'] !== undefined ? { sourceFace: intOption(values['source-face'], 'source-face', 0) } : {}),
    ...(values['callback-url'] ? { callbackUrl: values['callback-url'] } : {}),
  } as const;
  const options: CreateJobOptions = isUrl(video)
    ? { ...common, videoUrl: video, ...(source ? { sourceUrl: source } : {}) }
    : { ...common, video, ...(source ? { source } : {}) };

  // Only the creation is "route missing?"; a 404 later (job gone, result not ready) is a real error.
  let created: Awaited<ReturnType<typeof client.jobs.create>> | undefined;
  const code = await notAvailable('video jobs', async () => {
    created = await client.jobs.create(options);
    return 0;
  });
  if (code !== 0 || !created) return code;
  console.error(`job ${created.id} ${created.state} (${created.statusUrl})`);

  const bar = progressBar(0);
  let job: JobStatus;
  try {
    job = await client.jobs.wait(created.id, {
      intervalMs,
      onProgress: (j) => bar.set(j.progress.framesDone, j.progress.framesTotal, progressLabel(j)),
    });
  } finally {
    bar.done();
  }
  if (values.out) {
    const { bytes, contentType } = await client.jobs.result(job.id);
    await writeFile(values.out, bytes);
    console.error(`wrote ${values.out} (${bytes.length} bytes, ${contentType})`);
  }
  console.log(JSON.stringify(job));
  return 0;
}
