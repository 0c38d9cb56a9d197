/** Pure parts: the verdict decision and what the admin badge shows. */
import { describe, expect, it } from 'vitest';
import type { XrayResponse } from 'seamline';
import { badgeModel, summarize } from '../src/index.js';

const face = { box: { x: 1, y: 2, width: 30, height: 30 }, score: 0.7, label: 'fake' as const, peak: 0.9, boundaryArea: 0.1, boundaryMap: 'data:image/png;base64,AAAA' };
const res = (over: Partial<XrayResponse> = {}): XrayResponse => ({
  verdict: 'fake', score: 0.7, threshold: 0.5, model: { name: 'xray', version: '1' }, faces: [face], provenance: null, ...over,
});

describe('summarize', () => {
  it('takes the verdict against the plugin threshold when given, else the server threshold (score >= threshold is fake)', () => {
    expect(summarize(res(), {})).toMatchObject({ isFlagged: true, status: 'flagged', verdict: 'fake', threshold: 0.5, model: 'xray@1' });
    expect(summarize(res(), { threshold: 0.8 })).toMatchObject({ isFlagged: false, status: 'clean', verdict: 'real', threshold: 0.8 });
    expect(summarize(res(), { threshold: 0.7 })).toMatchObject({ isFlagged: true });
  });
  it('no face: verdict null, not flagged; seamline provenance flags unless turned off', () => {
    const none = res({ verdict: null, score: null, faces: [], reason: 'no face' });
    expect(summarize(none, {})).toMatchObject({ isFlagged: false, status: 'clean', verdict: null, boundaryThumbnail: null, reason: 'no face' });
    expect(summarize({ ...none, provenance: 'seamline' }, {})).toMatchObject({ isFlagged: true, verdict: 'fake' });
    expect(summarize({ ...none, provenance: 'seamline' }, { flagProvenance: false })).toMatchObject({ isFlagged: false });
  });
  it('keeps the boundary map only as the thumbnail', () => {
    const s = summarize(res(), {});
    expect(s.faces![0]).not.toHaveProperty('boundaryMap');
    expect(s.boundaryThumbnail).toBe(face.boundaryMap);
    expect(summarize(res(), { thumbnail: false }).boundaryThumbnail).toBeNull();
  });
});

describe('badgeModel', () => {
  it('colour-codes by status and shows verdict + score', () => {
    expect(badgeModel({ status: 'clean', verdict: 'real', score: 0.031 })).toMatchObject({ label: 'real 0.03', background: '#d3f5dc' });
    expect(badgeModel({ status: 'flagged', verdict: 'fake', score: 0.91, threshold: 0.5 })).toMatchObject({ label: 'fake 0.91', background: '#ffe8b3' });
    expect(badgeModel({ status: 'quarantined', verdict: 'fake', score: 0.91 })).toMatchObject({ label: 'quarantined 0.91', background: '#ffd6d6' });
    expect(badgeModel({ status: 'error', reason: 'seamline API unreachable' })).toMatchObject({ label: 'scan error', title: 'seamline API unreachable' });
    expect(badgeModel(null).label).toBe('not scanned');
  });
});
