/**
 * @module origin/steps/chunk
 * Step 2, once per frame range: scan (JSON artifact) or swap (FFV1 artifact). A chunk depends only on
 * its own request, so redelivery after a crash simply redoes it and overwrites the same artifact name.
 */
import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import type { ChunkResult, WorkRequest } from '../../../src/jobs/contract.js';
import { artifactNames, type OriginContext } from '../context.js';
import { WorkError, jobFailure } from '../errors.js';
import { loadSourceFace } from '../source-face.js';
import { readHeader, checkLimits } from '../video/probe.js';
import { scanChunk } from '../video/scan-video.js';
import { swapChunk } from '../video/swap-video.js';

type ChunkRequest = Extract<WorkRequest, { step: 'chunk' }>;

export async function runChunk(ctx: OriginContext, req: ChunkRequest, signal?: AbortSignal): Promise<z.infer<typeof ChunkResult>> {
  const started = performance.now();
  const { index, startFrame, endFrame } = req.chunk;
  if (endFrame <= startFrame) throw jobFailure('bad-chunk', `chunk ${index}: endFrame ${endFrame} ≤ startFrame ${startFrame}`);
  if (endFrame - startFrame > 10 * ctx.framesPerChunk) throw jobFailure('bad-chunk', `chunk ${index} spans ${endFrame - startFrame} frames`);
  const input = await ctx.workdir.input(req.jobId, ctx.edge, ctx.limits.maxInputBytes);
  const header = await readHeader(input);
  checkLimits(header, ctx.limits);
  const name = artifactNames.chunk(req.task, index);
  if (req.task === 'scan-video') {
    const artifact = await scanChunk({ file: input, header, index, startFrame, endFrame, samplesPerSecond: ctx.samplesPerSecond, signal });
    await ctx.edge.putArtifact(req.jobId, name, new TextEncoder().encode(JSON.stringify(artifact)), 'application/json');
    ctx.log(`[origin] ${req.jobId} scan chunk ${index} [${startFrame},${endFrame}): ${artifact.samples.length} samples`);
  } else {
    if (!ctx.swapper) throw new WorkError(503, 'swapper-unavailable', 'this origin has no face swapper');
    const source = await loadSourceFace(ctx.edge, req.jobId, req.sourceFace, ctx.maxSourceBytes);
    const output = await ctx.workdir.scratch(req.jobId, name);
    try {
      const stats = await swapChunk({
        file: input, header, startFrame, endFrame, output, swapper: ctx.swapper,
        source: source.image, sourceFace: source.face, warmupFrames: ctx.warmupFrames, signal,
      });
      await ctx.edge.putArtifact(req.jobId, name, { file: output }, 'video/x-matroska');
      ctx.log(`[origin] ${req.jobId} swap chunk ${index} [${startFrame},${endFrame}): ${JSON.stringify(stats)}`);
    } finally {
      await rm(output, { force: true });
    }
  }
  return { step: 'chunk', index, framesDone: endFrame - startFrame, artifact: name, seconds: Math.round((performance.now() - started) / 10) / 100 };
}
