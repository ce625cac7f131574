/** Issue 16: the site renders inline Markdown in rule lists, orders them accepted → proposed → rejected, and keeps run records readable. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo, writeFiles } from '../helpers/repo.js';
import { prepareRecords, TASK_LABEL_MAX } from '../../scripts/core/publish/site-data.js';
import { renderInline } from '../../scripts/core/publish/render-markdown.js';
import type { RecordRow } from '../../scripts/core/records/table.js';

afterAll(cleanupTemp);

const rule = (id: string, status: string, day: number, statement: string): string =>
  `---\nkind: rule\nid: ${id}\ncreated_at: 2026-10-${String(day).padStart(2, '0')}T00:00:00Z\nstatus: ${status}\nstatement: "${statement}"\n---\n`;

let repo: string;
let runCommand: string;
beforeAll(async () => {
  repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  writeFiles(repo, {
    'learning-loop/rules/rule-rejected.md': rule('rule-rejected', 'rejected', 9, 'Inline `all` CSS.'),
    'learning-loop/rules/rule-accepted.md': rule('rule-accepted', 'accepted', 1, 'Convert times with `toZonedTime()` before display.'),
    'learning-loop/rules/rule-proposed.md': rule('rule-proposed', 'proposed', 5, 'Keep **three** steps.'),
  });
  const r = await runCli(repo, ['run', '--task-type', 'test', '--component', 'csv', '--json', '--', process.execPath, '-e', `console.log('ok'); // ${'x'.repeat(80)}`]);
  expect(r.code, r.stderr).toBe(0);
  runCommand = JSON.parse(r.stdout).execution.command;
  // An older `run` record named by its whole command line.
  const long = await runCli(repo, ['record', '--task-id', `node ${'scripts/very/long/path/'.repeat(6)}x.js --flag`, '--task-type', 'test', '--agent', 'a', '--outcome', 'success', '--duration', '1']);
  expect(long.code, long.stderr).toBe(0);
});

describe('site data', () => {
  it('renders inline Markdown safely: code and emphasis as markup, raw HTML as text', () => {
    expect(renderInline('Convert times with `toZonedTime()` before display.')).toBe('Convert times with <code>toZonedTime()</code> before display.');
    expect(renderInline('a <script>x()</script> **b**')).toBe('a &#x3C;script>x()&#x3C;/script> <strong>b</strong>');
    expect(renderInline('# not a heading in a title')).toBe('# not a heading in a title');
  });

  it('orders rules accepted → proposed → rejected (newest first within a status)', () => {
    const rows = ['accepted', 'rejected', 'proposed', 'accepted'].map(
      (status, i) =>
        ({
          id: `rule-${i}`,
          kind: 'rule',
          file: `r${i}.md`,
          data: { kind: 'rule', id: `rule-${i}`, created_at: `2026-10-0${i + 1}T00:00:00Z`, status, statement: `S ${i}` },
          body: '',
        }) as unknown as RecordRow,
    );
    expect(prepareRecords(rows).sections.rules.map((r) => `${r.status} ${r.id}`)).toEqual(['accepted rule-3', 'accepted rule-0', 'proposed rule-2', 'rejected rule-1']);
  });
});

describe('site build', () => {
  it('the rules page shows code, not backticks, in the order a reader acts on; a run record reads well', async () => {
    const b = await runCli(repo, ['site', 'build', '--out', '_site', '--json']);
    expect(b.code, b.stdout.slice(0, 2000)).toBe(0);
    const rules = readFileSync(join(repo, '_site', 'rules', 'index.html'), 'utf8');
    expect(rules).toContain('<code>toZonedTime()</code>');
    expect(rules).toContain('<strong>three</strong>');
    expect(rules).not.toMatch(/`toZonedTime\(\)`/);
    const order = ['rule-accepted', 'rule-proposed', 'rule-rejected'].map((id) => rules.indexOf(`rules/${id}/`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const page = readFileSync(join(repo, '_site', 'rules', 'rule-accepted', 'index.html'), 'utf8');
    expect(page).toMatch(/<h1[^>]*>Convert times with <code>toZonedTime\(\)<\/code> before display\.<\/h1>/);

    // The run record: its command keeps its quoting; the task column is short, whole on hover.
    expect(runCommand).toMatch(/^node -e "console\.log\('ok'\); \/\/ x+"$/);
    const list = readFileSync(join(repo, '_site', 'executions', 'index.html'), 'utf8');
    const decode = (h: string): string =>
      h
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const cells = [...list.matchAll(/<td data-v="[^"]*"><a href="[^"]*"(?: title="([^"]*)")?>([^<]*)<\/a><\/td>/g)].map((m) => ({ title: m[1] && decode(m[1]), text: decode(m[2]!) }));
    expect(cells).toHaveLength(2);
    for (const c of cells) expect(c.text.length).toBeLessThanOrEqual(TASK_LABEL_MAX);
    expect(cells.map((c) => c.text)).toContainEqual(expect.stringMatching(/^node -e "console\.log\('ok'\); \/\/ x+…$/));
    const longCell = cells.find((c) => c.title);
    expect(longCell?.title).toBe(`node ${'scripts/very/long/path/'.repeat(6)}x.js --flag`);
    expect(longCell?.text.endsWith('…')).toBe(true);
  });
});
