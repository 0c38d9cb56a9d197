/**
 * @module origin/steps/assemble
 * Step 3, once every chunk is recorded: scan → result.json (per-track verdicts, timeline, summary);
 * swap → result.mp4 (H.264 + the input's audio, frame count checked against the input).
 */
import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import type { AssembleResult, WorkRequest } from '../../../src/jobs/contract.js';
import { artifactNames, type OriginContext } from '../context.js';
import { WorkError } from '../errors.js';
import { forgetSource } from '../source-face.js';
import { muxChunks } from '../video/mux.js';
import { probeVideo } from '../video/probe.js';
import { buildScanResult } from '../video/scan-result.js';
import type { ScanChunkArtifact } from '../video/scan-video.js';

type AssembleRequest = Extract<WorkRequest, { step: 'assemble' }>;

export async function runAssemble(ctx: OriginContext, req: AssembleRequest): Promise<z.infer<typeof AssembleResult>> {
  const names = Array.from({ length: req.chunks }, (_, i) => artifactNames.chunk(req.task, i));
  const result = artifactNames.result(req.task);
  if (req.task === 'scan-video') {
    const chunks = await Promise.all(names.map(async (name) => {
      const bytes = await ctx.edge.getArtifact(req.jobId, name, 64 * 1024 * 1024);
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as ScanChunkArtifact;
      if (parsed?.kind !== 'scan-video-chunk') throw new WorkError(502, 'bad-artifact', `${name} is not a scan-video chunk`);
      return parsed;
    }));
    let scan;
    try {
      scan = buildScanResult(chunks);
    } catch (error) {
      throw new WorkError(500, 'bad-chunks', (error as Error).message);
    }
    await ctx.edge.putArtifact(req.jobId, result, new TextEncoder().encode(JSON.stringify(scan)), 'application/json');
    await ctx.workdir.remove(req.jobId);
    return { step: 'assemble', artifact: result, contentType: 'application/json', summary: { verdict: scan.verdict, ...scan.summary } };
  }
  const input = await ctx.workdir.input(req.jobId, ctx.edge, ctx.limits.maxInputBytes);
  const video = await probeVideo(input, ctx.limits);
  const files: string[] = [];
  try {
    for (const name of names) {
      const file = await ctx.workdir.scratch(req.jobId, name);
      files.push(file);
      await ctx.edge.downloadArtifact(req.jobId, name, file, ctx.limits.maxInputBytes * 64);
    }
    const output = await ctx.workdir.scratch(req.jobId, result);
    files.push(output);
    const mux = await muxChunks({ chunkFiles: files.slice(0, names.length), input, header: video, expectedFrames: video.frames, output, listFile: await ctx.workdir.scratch(req.jobId, 'concat.txt') });
    await ctx.edge.putArtifact(req.jobId, result, { file: output }, 'video/mp4');
    ctx.log(`[origin] ${req.jobId} assembled ${result}: ${JSON.stringify(mux)}`);
    await ctx.workdir.remove(req.jobId);
    forgetSource(req.jobId);
    return { step: 'assemble', artifact: result, contentType: 'video/mp4', summary: { ...mux, chunks: req.chunks } };
  } finally {
    await Promise.all(files.map((f) => rm(f, { force: true })));
  }
}
