/**
 * What a request costs at Cloudflare Workers Paid list prices, from the CPU ms the bench measured: the figure
 * a per-request scanner is judged by next to commercial detectors (~$0.002 per image).
 */
import type { HttpBenchResult } from './http.js';

/** Workers Paid overage list prices (developers.cloudflare.com/workers/platform/pricing, read 2026-11). */
export const WORKERS_PRICE = { usdPerMillionRequests: 0.3, usdPerMillionCpuMs: 0.02 } as const;
/** Typical commercial deepfake-detection API price per image, the yardstick in the project brief. */
export const COMMERCIAL_USD_PER_IMAGE = 0.002;

export function usdPerRequest(cpuMs: number, price: { usdPerMillionRequests: number; usdPerMillionCpuMs: number } = WORKERS_PRICE): number {
  return (price.usdPerMillionRequests + cpuMs * price.usdPerMillionCpuMs) / 1e6;
}

/** Per million requests, and as a percentage of the commercial price (so that the rounded JSON keeps the digits). */
export type RouteCost = { route: string; cpuMs: number; usdPerMillion: number; percentOfCommercial: number };

export function routeCosts(http: HttpBenchResult): RouteCost[] {
  return http.routes.flatMap((r) => {
    if (r.skipped || r.cpuMsPerRequest === null) return [];
    const usd = usdPerRequest(r.cpuMsPerRequest);
    return [{ route: r.route, cpuMs: r.cpuMsPerRequest, usdPerMillion: usd * 1e6, percentOfCommercial: (100 * usd) / COMMERCIAL_USD_PER_IMAGE }];
  });
}

export function formatCosts(costs: RouteCost[]): string {
  return [
    `${'route'.padEnd(12)} ${'CPU ms/req'.padStart(10)} ${'$ per 1M requests'.padStart(18)} ${'vs $0.002/image'.padStart(16)}`,
    ...costs.map((c) => `${c.route.padEnd(12)} ${c.cpuMs.toFixed(1).padStart(10)} ${c.usdPerMillion.toFixed(2).padStart(18)} ${`${c.percentOfCommercial.toFixed(3)} %`.padStart(16)}`),
    `Workers Paid list prices: $${WORKERS_PRICE.usdPerMillionRequests} per million requests + $${WORKERS_PRICE.usdPerMillionCpuMs} per million CPU ms ` +
      '(beyond the plan\'s included 10 M requests / 30 M CPU ms a month); measured CPU ms of this machine, production CPUs differ.',
  ].join('\n');
}
