/**
 * Recall on a seed-like knowledge base in a real Git repository: the seed's three questions,
 * intents, Lunr query syntax, empty and huge questions, budgets, "nothing matched" suggestions,
 * `similar`, `LearningQueryInterface` and the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, runCli, tempRepo } from '../helpers/repo.js';
import { writeSeedKb } from './seed-kb.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { type Workspace } from '../../scripts/core/workspace.js';
import { recall, similar } from '../../scripts/index/recall.js';
import { answer, estimateTokens, renderAnswer } from '../../scripts/core/recall/answer.js';
import { storeOfRows } from '../../scripts/core/recall/memory.js';
import { localRecallRows } from '../../scripts/mcp/recall.js';
import { loadTable } from '../../scripts/index/table.js';
import { matchEntities, parseIntent } from '../../scripts/core/recall/intent.js';
import { LearningQueryInterface } from '../../scripts/agents/query-interface.js';

let dir: string;
let ws: Workspace;

beforeAll(() => {
  dir = tempRepo();
  writeSeedKb(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'seed kb');
  ws = openWorkspace({ cwd: dir });
});
afterAll(cleanupTemp);

const vocab = {
  component: { 'booking-form': 3, 'payment-widget': 3, 'online-booking': 1 },
  task_type: { component: 4, integration: 3 },
  domain: { reiki_patterns: 5, square_api: 3 },
  agent: { claude: 8 },
  tag: { ui: 2 },
};

describe('intent parser', () => {
  it('matches entities against the vocabulary', () => {
    expect(matchEntities(['booking', 'component'], vocab)[0]).toMatchObject({ type: 'component', value: 'booking-form' });
    expect(matchEntities(['square', 'api'], vocab)[0]).toMatchObject({ type: 'domain', value: 'square_api', confidence: 1 });
    expect(matchEntities(['booking', 'form'], vocab)[0]).toMatchObject({ type: 'component', value: 'booking-form', confidence: 1 });
    expect(matchEntities(['reiki'], vocab)[0]).toMatchObject({ type: 'domain', value: 'reiki_patterns' });
  });

  it('reads kind, outcome, recency and "common"', () => {
    const now = Date.UTC(2026, 10, 20);
    const a = parseIntent('What failed last time we tried booking component?', vocab, now);
    expect(a).toMatchObject({ outcome: 'failure', recency: { mode: 'latest' }, common: false });
    const b = parseIntent('Show me all Reiki-specific UI patterns that worked', vocab, now);
    expect(b).toMatchObject({ kinds: ['pattern'], outcome: 'success' });
    expect(b.entities.map((e) => e.value)).toContain('reiki_patterns');
    const c = parseIntent('Common Square API integration issues', vocab, now);
    expect(c).toMatchObject({ outcome: 'failure', common: true });
    const d = parseIntent('which rules broke this week?', vocab, now);
    expect(d).toMatchObject({ kinds: ['rule'], outcome: 'failure', recency: { mode: 'since', label: 'this week' } });
    expect(parseIntent('integration gotchas', vocab, now).categories).toEqual(['integration-gotcha']);
  });
});

describe('recall', () => {
  it('answers the seed question about the booking component', async () => {
    const a = await recall(ws, 'What failed last time we tried booking component?');
    const ids = a.insights.map((i) => i.id);
    expect(ids[0]).toBe('rule-booking-steps'); // accepted rule first
    const execs = a.insights.filter((i) => i.kind === 'execution');
    expect(execs.map((e) => e.id)).toEqual(['ex-booking-2', 'ex-booking-1']); // failures, latest first
    expect(execs[0]!.root_cause).toMatchObject({ id: 'rf-booking-2' });
    expect(a.insights.find((i) => i.id === 'rule-booking-tz')).toMatchObject({ proposed: true });
    expect(ids).not.toContain('rule-old'); // rejected
    expect(ids).not.toContain('ex-booking-3'); // a success
    expect(ids.indexOf('rule-booking-tz')).toBeGreaterThan(ids.indexOf('ex-booking-1')); // proposed after accepted
    expect(renderAnswer(a)).toContain('learning-loop/rules/rule-booking-steps.md');
  });

  it('answers the seed question about Reiki UI patterns that worked', async () => {
    const a = await recall(ws, 'Show me all Reiki-specific UI patterns that worked');
    expect(a.insights.map((i) => i.id).sort()).toEqual(['pat-bio', 'pat-soft-palette']);
  });

  it('answers the seed question about common Square API issues', async () => {
    const a = await recall(ws, 'Common Square API integration issues');
    const ids = a.insights.map((i) => i.id);
    expect(ids.slice(0, 2).sort()).toEqual(['pat-tz', 'pat-webhook']);
    expect(ids).toEqual(expect.arrayContaining(['ex-square-1', 'ex-square-2', 'ex-square-3']));
    expect(a.common_errors[0]).toMatchObject({ count: 3 });
    expect(a.common_errors[0]!.example).toContain('webhook signature');
    expect(ids.some((id) => id.startsWith('ex-booking'))).toBe(false);
  });

  it('never throws on query syntax, empty or huge questions', async () => {
    for (const q of ['*', '~', '^', ':', '+', '-', 'title:booking^10 +fail -x~2 *', '""', '', '   ', 'é😀\u0000', 'booking '.repeat(20000)]) {
      const a = await recall(ws, q);
      expect(Array.isArray(a.insights)).toBe(true);
    }
    const syntax = await recall(ws, 'booking^2 +form -payment title:*');
    expect(syntax.insights.some((i) => i.component === 'booking-form' || i.id.includes('booking'))).toBe(true);
  });

  it('says when nothing matched and suggests close vocabulary', async () => {
    const a = await recall(ws, 'bookng widgit');
    expect(a.insights).toEqual([]);
    expect(a.suggestions).toEqual(expect.arrayContaining(['booking-form', 'payment-widget']));
    expect(renderAnswer(a)).toContain('Nothing in the knowledge base matched');
  });

  it('keeps the answer within the budget and the limit', async () => {
    const small = await recall(ws, 'booking form', { budget: 80 });
    expect(small.truncated).toBe(true);
    expect(small.insights.length).toBeGreaterThanOrEqual(1);
    expect(estimateTokens(small.insights.map((i) => JSON.stringify([i.title, i.what, i.action])).join(''))).toBeLessThan(200);
    const limited = await recall(ws, 'booking form', { limit: 2, budget: 5000 });
    expect(limited.insights).toHaveLength(2);
  });

  it('sees new records without an explicit build', async () => {
    writeFileSync(
      join(dir, 'learning-loop/rules/rule-hero.md'),
      '---\nkind: rule\nid: rule-hero\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: Hero banner images need alt text\napplies_to:\n  components: [hero-banner]\n---\n',
    );
    const a = await recall(ws, 'hero banner rules');
    expect(a.insights[0]?.id).toBe('rule-hero');
  });
});

describe('similar and LearningQueryInterface', () => {
  it('finds similar executions and the guidance that applies', async () => {
    const r = await similar(ws, { type: 'component', component: 'booking-form' });
    expect(r.exact).toBe(3);
    expect(r.outcomes).toEqual({ success: 1, partial: 0, failure: 2 });
    expect(r.executions.slice(0, 3).map((e) => e.id)).toEqual(['ex-booking-3', 'ex-booking-2', 'ex-booking-1']);
    expect(r.executions[0]!.similarity).toBe(1);
    expect(r.guidance[0]).toMatchObject({ id: 'rule-booking-steps', status: 'accepted' });
    expect(r.guidance.map((g) => g.id)).not.toContain('rule-old');
  });

  it('implements the seed class', async () => {
    const q = new LearningQueryInterface({ root: join(dir, 'learning-loop') });
    const a = await q.query('show all failure patterns');
    expect(a.insights.map((i) => i.id)).toEqual(expect.arrayContaining(['pat-webhook', 'pat-tz', 'pat-booking-fail']));
    const s = await q.getSimilarExecutions({ id: 'test-001', type: 'component', component: 'booking-form' });
    expect(s.executions.length).toBeGreaterThan(0);
  });
});

describe('CLI', () => {
  it('recall and similar print JSON and use exit codes', async () => {
    const r = await runCli(dir, ['recall', 'what failed last time we tried the booking component?', '--json', '--limit', '3']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.insights).toHaveLength(3);
    expect(doc.insights[0].path).toBe('learning-loop/rules/rule-booking-steps.md');
    const none = await runCli(dir, ['recall', 'zzzz qqqq']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('Nothing in the knowledge base matched');
    expect((await runCli(dir, ['recall', 'x', '--limit', 'abc'])).code).toBe(2);
    expect((await runCli(dir, ['recall'])).code).toBe(2);
    const s = await runCli(dir, ['similar', '--type', 'integration', '--component', 'payment-widget', '--json']);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).exact).toBe(3);
    expect((await runCli(dir, ['similar', '--type', 'Bad Type'])).code).toBe(2);
    const help = await runCli(dir, ['recall', '--help']);
    expect(help.stdout).toContain('Examples:');
  });
});

describe('full text and intent as a hint', () => {
  it('finds a record by any word it holds, however deep in its body or notes', async () => {
    const dir2 = tempRepo();
    writeSeedKb(dir2);
    const paragraphs = ['We reviewed the sprint.', 'Payments were slow.', 'The calendar needs work.', 'During the migration the quokka table was renamed before the import ran.'];
    mkdirSync(join(dir2, 'learning-loop/memory/working-memory'), { recursive: true });
    writeFileSync(
      join(dir2, 'learning-loop/memory/working-memory/notes-sprint-4.md'),
      `---\nkind: assumption\nid: notes-sprint-4\ncreated_at: 2026-11-05T10:00:00Z\nstatus: accepted\ntitle: Sprint 4 notes\n---\n\n${paragraphs.join('\n\n')}\n${'\nFiller paragraph about nothing in particular.\n'.repeat(40)}`,
    );
    const long = 'x'.repeat(900);
    writeFileSync(
      join(dir2, 'learning-loop/rules/rule-long.md'),
      `---\nkind: rule\nid: rule-long\ncreated_at: 2026-11-05T10:00:00Z\nstatus: accepted\nstatement: Keep payment retries idempotent\nrationale: ${long} the wombat cache must be flushed\n---\n`,
    );
    git(dir2, 'add', '-A');
    git(dir2, 'commit', '-q', '-m', 'notes');
    const ws2 = openWorkspace({ cwd: dir2 });
    expect((await recall(ws2, 'quokka')).insights.map((i) => i.id)).toEqual(['notes-sprint-4']);
    expect((await recall(ws2, 'wombat')).insights.map((i) => i.id)).toEqual(['rule-long']);
    // "run" is an everyday word here, not a question about executions: the note answers.
    const run = await recall(ws2, 'when did we run the migration?');
    expect(run.understood.kind_filter).toBe(false);
    expect(run.insights[0]?.id).toBe('notes-sprint-4');
    // Every word is optional: one word phrased differently ("went" for "ran") loses nothing.
    expect((await recall(ws2, 'when went the quokka migration')).insights[0]?.id).toBe('notes-sprint-4');
  });

  it('filters by a kind named unambiguously, and falls back, labelled, when that leaves nothing', async () => {
    const rules = await recall(ws, 'show me rules for the booking form');
    expect(rules.understood.kind_filter).toBe(true);
    expect(rules.insights.length).toBeGreaterThan(0);
    expect(rules.insights.every((i) => i.kind === 'rule')).toBe(true);
    const none = await recall(ws, 'rules about webhook signatures');
    expect(none.fallback?.message).toMatch(/Nothing matched as rules/);
    expect(none.insights.length).toBeGreaterThan(0);
    expect(none.insights.some((i) => i.kind !== 'rule')).toBe(true);
    expect(renderAnswer(none)).toContain('Nothing matched as rules');
    // Singular in a statement ("reflection triggers"), the kind only boosts.
    expect((await recall(ws, 'reflection triggers for the payment widget')).understood.kind_filter).toBe(false);
  });

  it('answers rejected records only when nothing else holds the words, marked as such', async () => {
    const a = await recall(ws, 'five');
    expect(a.insights.map((i) => i.id)).toContain('rule-old');
    expect(a.fallback?.message).toMatch(/rejected or archived/);
    expect((await recall(ws, 'booking form steps')).insights.map((i) => i.id)).not.toContain('rule-old');
  });

  it('ranks the same over a store built in memory (the MCP fallback) as over the build folder', async () => {
    const table = loadTable(ws);
    for (const q of ['What failed last time we tried booking component?', 'Common Square API integration issues', 'webhook', 'show all failure patterns']) {
      const disk = (await recall(ws, q, { limit: 20, budget: 100000 })).insights.map((i) => i.id);
      const mem = answer(storeOfRows(table.rows), q, { limit: 20, budget: 100000 }).insights.map((i) => i.id);
      expect(mem).toEqual(disk);
      expect(localRecallRows(table.rows, q, 20).map((r) => r.id)).toEqual(disk);
    }
  });
});

describe('rules by their own words and what they name', () => {
  it('finds a rule by the component or path it applies to ("rules for csv", "csv-stringify")', async () => {
    const dir3 = tempRepo();
    writeSeedKb(dir3);
    writeFileSync(
      join(dir3, 'learning-loop/rules/rule-quote-fields.md'),
      '---\nkind: rule\nid: rule-quote-fields\ncreated_at: 2026-11-03T10:00:00Z\nstatus: accepted\nstatement: Quote every field that can hold a comma\napplies_to:\n  components: [csv-export]\n  paths: ["src/export/csv-stringify.ts"]\n---\n',
    );
    git(dir3, 'add', '-A');
    git(dir3, 'commit', '-q', '-m', 'rule');
    const ws3 = openWorkspace({ cwd: dir3 });
    const forCsv = await recall(ws3, 'rules for csv');
    expect(forCsv.understood.kind_filter).toBe(true);
    expect(forCsv.insights.map((i) => i.id)).toEqual(['rule-quote-fields']);
    expect((await recall(ws3, 'csv-stringify')).insights[0]?.id).toBe('rule-quote-fields');
  });
});
