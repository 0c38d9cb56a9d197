/** Drives a job through `/work` the way the edge's queue consumer does: probe → every chunk → assemble. */
import type { z } from 'zod';
import type { AssembleResult, ChunkResult, ProbeResult } from '../../../src/jobs/contract.js';

export type Post = (body: unknown, token?: string) => Response | Promise<Response>;

export async function postJson<T>(post: Post, body: unknown): Promise<T> {
  const res = await post(body);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${JSON.stringify(body)} → ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function runJob(post: Post, jobId: string, task: 'scan-video' | 'swap-video') {
  const probe = await postJson<z.infer<typeof ProbeResult>>(post, { step: 'probe', jobId, task });
  const chunks: Array<z.infer<typeof ChunkResult>> = [];
  for (const [index, [startFrame, endFrame]] of probe.chunks.entries()) {
    chunks.push(await postJson(post, { step: 'chunk', jobId, task, chunk: { index, startFrame, endFrame } }));
  }
  const assemble = await postJson<z.infer<typeof AssembleResult>>(post, { step: 'assemble', jobId, task, chunks: probe.chunks.length });
  return { probe, chunks, assemble };
}
