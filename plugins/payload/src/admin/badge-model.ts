/**
 * @module admin/badge-model
 * What the admin badge shows for a document's `seamline` group: label, colours and tooltip. Pure, so it
 * is tested without React or Next.js.
 */
export type BadgeModel = { label: string; title: string; color: string; background: string };

type SeamlineLike = {
  status?: string | null;
  verdict?: string | null;
  score?: number | null;
  threshold?: number | null;
  reason?: string | null;
} | null | undefined;

const COLOURS: Record<string, { color: string; background: string }> = {
  clean: { color: '#0b5d1e', background: '#d3f5dc' },
  flagged: { color: '#7a4a00', background: '#ffe8b3' },
  quarantined: { color: '#8a1010', background: '#ffd6d6' },
  error: { color: '#4a4a4a', background: '#e6e6e6' },
  none: { color: '#4a4a4a', background: '#f2f2f2' },
};

export function badgeModel(seamline: SeamlineLike): BadgeModel {
  const status = seamline?.status ?? null;
  if (!status) return { label: 'not scanned', title: 'No seamline scan (not an image, or uploaded before the plugin)', ...COLOURS.none };
  const colours = COLOURS[status] ?? COLOURS.none;
  if (status === 'error') return { label: 'scan error', title: seamline?.reason ?? 'The scanner failed', ...colours };
  const score = typeof seamline?.score === 'number' ? seamline.score.toFixed(2) : '–';
  const verdict = seamline?.verdict ?? 'no face';
  const label = status === 'clean' ? `${verdict} ${score}` : `${status === 'quarantined' ? 'quarantined' : 'fake'} ${score}`;
  const title = `status ${status}, verdict ${verdict}, score ${score}` +
    (typeof seamline?.threshold === 'number' ? `, threshold ${seamline.threshold}` : '') +
    (seamline?.reason ? ` (${seamline.reason})` : '');
  return { label, title, ...colours };
}
