/**
 * Bad-input fixtures: each `test/fixtures/<case>/` holds a knowledge base and `expected.json`
 * (exit code and the diagnostics that must appear, with rule id and line:column). Each case is
 * copied into a fresh Git repository and checked with `validate --json`.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

interface Expected {
  exitCode: number;
  diagnostics: Array<{ rule: string; file: string; line: number; column: number }>;
}

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const cases = readdirSync(FIXTURES)
  .filter((name) => existsSync(join(FIXTURES, name, 'expected.json')))
  .sort()
  .map((name) => [name, JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected] as const);

function repoWith(name: string): string {
  const repo = tempRepo();
  cpSync(join(FIXTURES, name, 'learning-loop'), join(repo, 'learning-loop'), { recursive: true });
  return repo;
}

describe('validate on fixture knowledge bases', () => {
  it('has the bad-input cases the issue lists', () => {
    const names = cases.map(([n]) => n);
    for (const want of [
      'broken-yaml',
      'wrong-types',
      'out-of-range',
      'missing-required',
      'unknown-enum',
      'duplicate-ids',
      'alias-bomb',
      'prototype-keys',
      'traversal-id',
      'missing-frontmatter',
      'custom-tags',
      'oversized',
      'non-markdown',
      'wrong-folder',
      'missing-link',
      'bad-config',
    ]) {
      expect(names).toContain(want);
    }
  });

  it.each(cases)('%s', async (name, expected) => {
    const repo = repoWith(name);
    const run = await runCli(repo, ['validate', '--json']);
    expect(run.code).toBe(expected.exitCode);
    const out = JSON.parse(run.stdout) as { ok: boolean; diagnostics: Array<{ rule: string; file: string; line?: number; column?: number; message: string; hint?: string }> };
    expect(out.ok).toBe(expected.exitCode === 0);
    if (expected.exitCode === 0) expect(out.diagnostics.filter((d) => (d as { severity?: string }).severity !== 'info')).toEqual([]);
    for (const want of expected.diagnostics) {
      const hit = out.diagnostics.find((d) => d.rule === want.rule && d.file === want.file && d.line === want.line && d.column === want.column);
      expect(hit, `${want.rule} at ${want.file}:${want.line}:${want.column}\n${JSON.stringify(out.diagnostics, null, 2)}`).toBeDefined();
      // Every diagnostic says what happened and what to do.
      expect(hit!.message.length).toBeGreaterThan(10);
      expect(hit!.hint?.length ?? 0).toBeGreaterThan(10);
    }
  });
});

describe('validate output formats', () => {
  it('--format github prints workflow annotations with file, line, col and rule', async () => {
    const run = await runCli(repoWith('out-of-range'), ['validate', '--format', 'github']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error file=learning-loop\/memory\/short-term\/executions\/2026\/10\/ex-01\.md,line=13,col=13,title=schema\/range::`scores\.accuracy` must be <= 100 \(found 140\)\./m,
    );
    // One annotation per line, messages with newlines escaped.
    for (const line of run.stdout.trim().split('\n')) expect(line).toMatch(/^::(error|warning|notice) file=/);
  });

  it('--format json prints one document with counts and positioned diagnostics', async () => {
    const run = await runCli(repoWith('duplicate-ids'), ['validate', '--format', 'json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    // rule-a.md is at its own path: it is kept (a warning); the copy is the error.
    expect(doc).toMatchObject({ ok: false, files: 2, records: 1, summary: { error: 1, warning: 2 } });
    expect(doc.diagnostics.map((d: { rule: string }) => d.rule).sort()).toEqual(['id/duplicate', 'id/duplicate', 'id/filename']);
  });

  it('pretty output is path:line:col, severity, message, rule; warnings fail only with --strict', async () => {
    const repo = repoWith('valid');
    expect((await runCli(repo, ['validate'])).stdout).toMatch(/no problems/);
    const dup = await runCli(repoWith('duplicate-ids'), ['validate']);
    expect(dup.stdout).toContain(
      'learning-loop/rules/rule-a.md:3:5  warning  Id `rule-a` is also used by learning-loop/rules/rule-b.md; this record is kept (it is the one at its own path), the others are left out.  id/duplicate',
    );
    expect(dup.stdout).toContain(
      'learning-loop/rules/rule-b.md:3:5  error  Id `rule-a` is also used by learning-loop/rules/rule-a.md; this copy is left out and learning-loop/rules/rule-a.md is kept.  id/duplicate',
    );
    expect(dup.stdout).toContain('1 error, 2 warnings');
  });

  it('a copy claiming an id never takes the original out; when neither is at its own path, neither is used', async () => {
    const repo = repoWith('duplicate-ids');
    const shown = JSON.parse((await runCli(repo, ['show', 'rule-a', '--json'])).stdout);
    expect(shown.records.map((r: { file: string; data: { statement: string } }) => [r.file, r.data.statement])).toEqual([['learning-loop/rules/rule-a.md', 'One']]);
    renameSync(join(repo, 'learning-loop', 'rules', 'rule-a.md'), join(repo, 'learning-loop', 'rules', 'rule-c.md'));
    const doc = JSON.parse((await runCli(repo, ['validate', '--json'])).stdout);
    expect(doc.records).toBe(0);
    expect(
      doc.diagnostics
        .filter((d: { rule: string; severity: string }) => d.rule === 'id/duplicate')
        .map((d: { severity: string; message: string }) => [d.severity, d.message.endsWith('none of them is used until the id is unique.')]),
    ).toEqual([
      ['error', true],
      ['error', true],
    ]);
    expect(JSON.parse((await runCli(repo, ['show', 'rule-a', '--json'])).stdout).records).toEqual([]);
  });

  it('a bad file never stops the others from being checked', async () => {
    const repo = repoWith('valid');
    cpSync(join(FIXTURES, 'broken-yaml', 'learning-loop', 'rules', 'rule-a.md'), join(repo, 'learning-loop', 'rules', 'rule-a.md'));
    cpSync(
      join(FIXTURES, 'out-of-range', 'learning-loop', 'memory', 'short-term', 'executions', '2026', '10', 'ex-01.md'),
      join(repo, 'learning-loop', 'memory', 'short-term', 'executions', '2026', '10', 'ex-02.md'),
    );
    const run = await runCli(repo, ['validate', '--json']);
    const doc = JSON.parse(run.stdout);
    expect(doc.files).toBe(4);
    // The copy keeps the id `ex-01`: even though it is invalid, the duplicate id and the file name
    // are reported now, and the original (valid, at its own path) stays in.
    expect(doc.records).toBe(2);
    expect(doc.diagnostics.map((d: { rule: string }) => d.rule).sort()).toEqual(['id/duplicate', 'id/duplicate', 'id/filename', 'schema/range', 'yaml/syntax']);
  });
});
