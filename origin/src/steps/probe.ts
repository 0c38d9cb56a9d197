/**
 * @module origin/steps/probe
 * Step 1: the input video's figures and the chunk plan the edge enqueues.
 */
import type { z } from 'zod';
import type { ProbeResult, WorkRequest } from '../../../src/jobs/contract.js';
import type { OriginContext } from '../context.js';
import { planChunks } from '../video/plan.js';
import { probeVideo } from '../video/probe.js';

type ProbeRequest = Extract<WorkRequest, { step: 'probe' }>;

export async function runProbe(ctx: OriginContext, req: ProbeRequest): Promise<z.infer<typeof ProbeResult>> {
  const input = await ctx.workdir.input(req.jobId, ctx.edge, ctx.limits.maxInputBytes);
  const video = await probeVideo(input, ctx.limits);
  const durationSeconds = video.durationSeconds > 0 ? video.durationSeconds : video.frames / video.fps;
  ctx.log(`[origin] ${req.jobId} probe: ${video.frames} frames ${video.width}×${video.height} @ ${video.fps} fps, audio ${video.hasAudio}`);
  return {
    step: 'probe',
    frames: video.frames,
    fps: video.fps,
    width: video.width,
    height: video.height,
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    hasAudio: video.hasAudio,
    chunks: planChunks(video.frames, { framesPerChunk: ctx.framesPerChunk }),
  };
}
