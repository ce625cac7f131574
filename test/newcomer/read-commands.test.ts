/** Issue 16: `show`, `list` and `status` read the memory from the CLI, on real Git repositories. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, git, recordArgs, runCli, tempRepo, writeFiles } from '../helpers/repo.js';

afterAll(cleanupTemp);

const RULE = (id: string, status: string, statement: string) =>
  `---\nkind: rule\nid: ${id}\ncreated_at: 2026-10-0${status === 'accepted' ? 1 : 2}T00:00:00Z\nstatus: ${status}\nstatement: ${statement}\n---\n\nWhy: ${statement}\n`;

let repo: string;
let failure: { id: string; reflection: { id: string; path: string } };
beforeAll(async () => {
  repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  writeFiles(repo, {
    'learning-loop/rules/rule-quote-csv.md': RULE('rule-quote-csv', 'accepted', 'Quote every CSV field that holds a comma.'),
    'learning-loop/rules/rule-bom.md': RULE('rule-bom', 'proposed', 'Start CSV exports with a byte-order mark.'),
  });
  const csv = { 'task-type': 'component', component: 'csv', agent: 'a', duration: 60 };
  const ok = await runCli(repo, recordArgs({ 'task-id': 'CSV-1', ...csv, outcome: 'success', 'started-at': '2026-10-05T10:00:00Z' }, '--json'));
  expect(ok.code, ok.stderr).toBe(0);
  const bad = await runCli(repo, recordArgs({ 'task-id': 'CSV-2', ...csv, outcome: 'failure', error: 'Excel shows mojibake', 'started-at': '2026-10-06T10:00:00Z' }, '--json'));
  failure = JSON.parse(bad.stdout);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'kb');
});

describe('show', () => {
  it('prints records in full as they are on disk; --json like the MCP get', async () => {
    const r = await runCli(repo, ['show', 'rule-quote-csv', failure.id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# learning-loop/rules/rule-quote-csv.md\n---\nkind: rule\nid: rule-quote-csv');
    expect(r.stdout).toContain('Why: Quote every CSV field that holds a comma.');
    expect(r.stdout).toContain('Excel shows mojibake');
    const j = JSON.parse((await runCli(repo, ['show', 'rule-quote-csv', '--json'])).stdout);
    expect(j).toMatchObject({ ok: true, missing: [], records: [{ id: 'rule-quote-csv', kind: 'rule', file: 'learning-loop/rules/rule-quote-csv.md', data: { status: 'accepted' } }] });
  });

  it('exits 1 for an unknown id, with a did-you-mean, and still prints the others', async () => {
    const r = await runCli(repo, ['show', 'rule-quote-cvs', 'rule-bom']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('id: rule-bom');
    expect(r.stderr).toContain('input/not-found');
    expect(r.stderr).toContain('Did you mean `rule-quote-csv`?');
  });
});

describe('list', () => {
  it('filters by kind, status and date, newest first', async () => {
    const all = JSON.parse((await runCli(repo, ['list', '--json'])).stdout).records as Array<{ id: string; kind: string }>;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const ex = JSON.parse((await runCli(repo, ['list', '--kind', 'execution', '--json'])).stdout).records as Array<{ id: string; date: string }>;
    expect(ex.map((e) => e.id)).toEqual([failure.id, expect.stringMatching(/^ex-/)]);
    const proposed = await runCli(repo, ['list', '--kind', 'rule,pattern', '--status', 'proposed']);
    expect(proposed.stdout).toBe('rule-bom  rule (proposed)  2026-10-02  Start CSV exports with a byte-order mark.\n');
    const since = JSON.parse((await runCli(repo, ['list', '--kind', 'execution', '--since', '2026-10-06', '--json'])).stdout).records as Array<{ id: string }>;
    expect(since.map((e) => e.id)).toEqual([failure.id]);
    expect((await runCli(repo, ['list', '--since', '2099-01-01'])).code).toBe(1);
  });

  it('refuses unknown kinds, statuses and dates as usage errors, with a did-you-mean', async () => {
    const kind = await runCli(repo, ['list', '--kind', 'rules']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('Did you mean --kind rule?');
    expect((await runCli(repo, ['list', '--status', 'acepted'])).stderr).toContain('Did you mean --status accepted?');
    expect((await runCli(repo, ['list', '--since', 'yesterday'])).code).toBe(2);
  });
});

describe('status', () => {
  it('lists what waits, exits 1; exits 0 once a reviewer has dealt with it', async () => {
    const dir = tempRepo();
    await runCli(dir, ['init']);
    writeFiles(dir, {
      'learning-loop/rules/rule-quote-csv.md': RULE('rule-quote-csv', 'accepted', 'Quote every CSV field that holds a comma.'),
      'learning-loop/rules/rule-bom.md': RULE('rule-bom', 'proposed', 'Start CSV exports with a byte-order mark.'),
    });
    const bad = JSON.parse((await runCli(dir, ['record', '--json', '--task-id', 'CSV-2', '--task-type', 'component', '--agent', 'a', '--outcome', 'failure', '--duration', '60'])).stdout);
    expect((await runCli(dir, ['export', '--to', 'agents-md'])).code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'kb');
    // The proposal is accepted, but nobody re-exported: AGENTS.md is out of date.
    expect((await runCli(dir, ['accept', 'rule-bom', '--by', 'maya'])).code).toBe(0);

    const r = await runCli(dir, ['status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`1 open reflection without a root cause`);
    expect(r.stdout).toContain(bad.reflection.id);
    expect(r.stdout).toContain('1 exported file out of date');
    expect(r.stdout).toContain('AGENTS.md');
    const j = JSON.parse((await runCli(dir, ['status', '--json'])).stdout);
    expect(j).toMatchObject({ clean: false, proposals: [], stale: [], invalid: [] });
    expect(j.open_reflections.map((x: { id: string }) => x.id)).toEqual([bad.reflection.id]);
    expect(j.exports.map((x: { path: string }) => x.path)).toEqual(['AGENTS.md']);

    // A new proposal shows up as waiting for review.
    writeFiles(dir, { 'learning-loop/rules/rule-utf8.md': RULE('rule-utf8', 'proposed', 'Write CSV as UTF-8.') });
    expect(JSON.parse((await runCli(dir, ['status', '--json'])).stdout).proposals.map((x: { id: string }) => x.id)).toEqual(['rule-utf8']);

    // The reviewer writes the root cause, rejects the proposal and re-exports: nothing waits.
    const rf = join(dir, bad.reflection.path);
    writeFileSync(rf, readFileSync(rf, 'utf8').replace('status: open', 'status: open\nroot_cause: Excel reads CSV as Windows-1252 without a BOM.'));
    expect((await runCli(dir, ['reject', 'rule-utf8', '--by', 'maya'])).code).toBe(0);
    expect((await runCli(dir, ['export', '--to', 'agents-md'])).code).toBe(0);
    const clean = await runCli(dir, ['status']);
    expect(clean.stdout + clean.stderr).toMatch(/^Nothing waits/);
    expect(clean.code).toBe(0);
  });
});
