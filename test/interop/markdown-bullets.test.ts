/** Import reads Markdown as Markdown (remark-parse), not line by line: cases a line scanner gets wrong. */
import { describe, expect, it } from 'vitest';
import { bullets } from '../../scripts/core/import/parsers.js';

describe('bullets of an instructions file', () => {
  it('skips a code block whose fence is longer than a fence inside it', () => {
    const text = ['# Rules', '', '````md', '```', '- not a rule (inside the example)', '```', '````', '', '- a real rule'].join('\n');
    expect(bullets(text).map((b) => b.text)).toEqual(['a real rule']);
  });

  it('keeps a lazily continued line with its bullet, and nested items as detail', () => {
    const text = ['## Style', '- Use UTC for', 'stored times', '  - convert at the edge', '- second'].join('\n');
    expect(bullets(text)).toEqual([
      { text: 'Use UTC for stored times', line: 2, endLine: 4, heading: 'Style', detail: ['convert at the edge'] },
      { text: 'second', line: 5, endLine: 5, heading: 'Style', detail: [] },
    ]);
  });

  it("skips learning-loop's generated block and counts lines from the given first line", () => {
    const text = ['- before', '', '<!-- learning-loop:begin -->', '', '- exported, not imported', '', '<!-- learning-loop:end -->', '', '- after'].join('\n');
    expect(bullets(text, 10).map((b) => [b.text, b.line])).toEqual([
      ['before', 10],
      ['after', 18],
    ]);
  });

  it('ignores bullets in an indented code block', () => {
    expect(bullets(['Example:', '', '    - not a rule', '', '- a rule'].join('\n')).map((b) => b.text)).toEqual(['a rule']);
  });
});
