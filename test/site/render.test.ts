/** Safe Markdown rendering and SVG charts (pure functions; the browser test covers execution). */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../scripts/core/publish/render-markdown.js';
import { barChart, fitTrend, lineChart, stackedChart } from '../../scripts/core/publish/render-charts.js';
import { XSS_CORPUS } from '../../tools/bench/site-kb.js';
import { isoWeek, facetSlug } from '../../scripts/core/publish/site-data.js';

describe('renderMarkdown', () => {
  it.each(XSS_CORPUS.map((c, i) => [i, c] as const))('neutralises attack %i', (_i, body) => {
    const html = renderMarkdown(body);
    // Only real tags matter: escaped text such as `&#x3C;img onerror=…>` is inert.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    for (const tag of tags) {
      expect(tag).not.toMatch(/^<(script|iframe|object|embed|svg|math|style|link|meta|base|form|input)\b/i);
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag).not.toMatch(/\s(href|src|action|data|srcdoc)\s*=\s*"\s*(javascript|data|vbscript):/i);
      for (const m of tag.matchAll(/\s(?:id|name)="([^"]*)"/g)) expect(m[1]!.startsWith('user-content-')).toBe(true);
    }
  });

  it('keeps ordinary Markdown: headings, emphasis, lists, code, tables, safe links', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and `code`.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n[docs](https://example.com/a?b=1) <https://example.com>');
    expect(html).toContain('<h3>Title</h3>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('href="https://example.com/a?b=1"');
  });

  it('gives plain prose the same HTML on the fast path as the full pipeline', () => {
    expect(renderMarkdown('First paragraph.\n\nSecond "one", it\'s fine.')).toBe('<p>First paragraph.</p>\n<p>Second "one", it\'s fine.</p>');
    expect(renderMarkdown('   ')).toBe('');
  });
});

describe('charts', () => {
  it('line chart: accessible SVG with title, desc, gaps and a trend line', () => {
    const svg = lineChart(
      [
        { x: 'W1', y: 50 },
        { x: 'W2', y: null },
        { x: 'W3', y: 70 },
        { x: 'W4', y: 80 },
      ],
      { id: 'c', title: 'Score <weekly>', desc: 'Up & to the right', trend: true, yMax: 100 },
    );
    expect(svg).toMatch(/^<svg[^>]+role="img"[^>]+aria-labelledby="c-t c-d"/);
    expect(svg).toContain('<title id="c-t">Score &lt;weekly&gt;</title>');
    expect(svg).toContain('<desc id="c-d">Up &amp; to the right</desc>');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('class="trend"');
  });

  it('bar and stacked charts escape labels and draw every value', () => {
    const bars = barChart(
      [
        { label: '<b>', value: 3 },
        { label: 'b', value: 1, note: 'n=1' },
      ],
      { id: 'b', title: 't', desc: 'd' },
    );
    expect(bars).toContain('&lt;b&gt;');
    expect(bars.match(/class="bar"/g)).toHaveLength(2);
    const st = stackedChart(
      [
        {
          label: 'W1',
          parts: [
            { key: 'success', value: 2 },
            { key: 'failure', value: 1 },
          ],
        },
      ],
      ['success', 'partial', 'failure'],
      { id: 's', title: 't', desc: 'd' },
    );
    expect(st.match(/part-success/g)!.length).toBeGreaterThanOrEqual(2);
    expect(st).not.toMatch(/part-partial" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"><title/);
  });

  it('fits a least-squares trend', () => {
    expect(
      fitTrend([
        { x: 'a', y: 1 },
        { x: 'b', y: 3 },
        { x: 'c', y: 5 },
      ]),
    ).toEqual({ slope: 2, intercept: 1 });
    expect(fitTrend([{ x: 'a', y: 1 }])).toBeUndefined();
  });
});

describe('page data helpers', () => {
  it('ISO weeks and facet slugs', () => {
    expect(isoWeek('2026-01-01T10:00:00Z')).toBe('2026-W01');
    expect(isoWeek('2024-12-30T10:00:00Z')).toBe('2025-W01');
    expect(facetSlug('Claude Code / Opus')).toBe('claude-code-opus');
    expect(facetSlug('***')).toBe('x');
  });
});

describe('linkIds', () => {
  it('links ids that have pages and leaves the rest as text', async () => {
    const { linkIds } = await import('../../scripts/core/publish/site-dashboard.js');
    const hrefs = new Map([
      ['ex-01A', 'executions/ex-01A/'],
      ['pat-x', 'patterns/pat-x/'],
    ]);
    expect(linkIds('Evidence: ex-01A, ex-02B and pat-x.', hrefs)).toEqual([
      { text: 'Evidence: ' },
      { text: 'ex-01A', href: 'executions/ex-01A/' },
      { text: ', ex-02B and ' },
      { text: 'pat-x', href: 'patterns/pat-x/' },
      { text: '.' },
    ]);
  });
});
