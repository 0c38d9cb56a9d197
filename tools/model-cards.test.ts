import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without type declarations
import { cardPathOf, expectedCards, renderCard, renderIndex, staleCards } from './model-cards.mjs';

describe('Markdown model cards', () => {
  it('one per shipped ONNX file, current with its JSON card', () => {
    expect(staleCards()).toEqual([]);
  });

  it('renders list objects under their name and keeps the file hash in the header', () => {
    const file = { path: 'models/m.fp16.onnx', dtype: 'fp16', bytes: 3, sha256: 'ab'.repeat(32) };
    const md = renderCard(
      { name: 'm', card: 'models/m.card.json' },
      { name: 'm', version: '1.0', task: 'demo', outputs: [{ name: 'logit', shape: [1] }], limits: ['one', 'two'] },
      file,
    );
    expect(md).toContain('# m 1.0 — `m.fp16.onnx`');
    expect(md).toContain(`| \`models/m.fp16.onnx\` | fp16 | 3 | \`${file.sha256}\` |`);
    expect(md).toContain('## Outputs\n\n- **logit**\n  - **shape**: [1]\n');
    expect(md).toContain('## Known limits\n\n- ["one","two"]\n');
    expect(md.indexOf('## Task')).toBeLessThan(md.indexOf('## Outputs'));
  });

  it('a card beside each ONNX file under its own name + .md, and an index that links every one', () => {
    expect(cardPathOf('models/xray.fp16.onnx')).toBe('models/xray.fp16.onnx.md');
    const cards: Map<string, string> = expectedCards();
    const onnxCards = [...cards.keys()].filter((p) => p.endsWith('.onnx.md'));
    expect(onnxCards.length).toBeGreaterThanOrEqual(7);
    const index = cards.get('models/README.md')!;
    for (const p of onnxCards) expect(index).toContain(`](${p.slice('models/'.length)})`);
    const row = renderIndex([{ model: { name: 'm' }, card: { task: 'Demo: details' }, file: { path: 'models/m.fp16.onnx', dtype: 'fp16', bytes: 3 } }]);
    expect(row).toContain('| [`m.fp16.onnx`](m.fp16.onnx.md) | m | fp16 | 3 | Demo |');
  });
});
