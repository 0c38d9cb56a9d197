import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without type declarations
import { renderCard, staleCards } from './model-cards.mjs';

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
});
