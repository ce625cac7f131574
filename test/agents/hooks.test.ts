/**
 * Git hooks on real repositories with real `git commit`: the pre-commit hook checks only the
 * staged records and refuses secrets; existing hooks are never clobbered; uninstall removes
 * only our block.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, git, runCli, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

/** A repo with an initialised knowledge base and one valid execution record (unstaged). */
async function repoWithRecord(): Promise<{ dir: string; file: string }> {
  const dir = tempRepo({ 'README.md': '# test\n' });
  expect((await runCli(dir, ['init'])).code).toBe(0);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  const input = JSON.stringify({
    task_id: 't-1',
    task_type: 'component',
    agent: 'claude',
    outcome: 'success',
    duration_s: 120,
    scores: { accuracy: 80, efficiency: 80, reusability: 80, surprise: 40 },
  });
  const rec = await runCli(dir, ['record', '--input', '-', '--json'], { stdin: input });
  expect(rec.code).toBe(0);
  return { dir, file: JSON.parse(rec.stdout).path as string };
}

function commit(dir: string, msg: string): { code: number; stderr: string } {
  const r = spawnSync('git', ['commit', '-q', '-m', msg], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe('hooks install / status / uninstall', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    ({ dir, file } = await repoWithRecord());
    const r = await runCli(dir, ['hooks', 'install', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).hooks).toEqual([{ hook: 'pre-commit', path: '.git/hooks/pre-commit', action: 'created' }]);
  });

  it('reports the hook as installed', async () => {
    const r = await runCli(dir, ['hooks', 'status', '--json']);
    expect(JSON.parse(r.stdout).hooks[0]).toMatchObject({ hook: 'pre-commit', installed: true, chained: false });
    expect((await runCli(dir, ['hooks', 'install', '--json'])).stdout).toContain('"unchanged"');
  });

  it('lets a valid staged record through', () => {
    git(dir, 'add', '-A');
    expect(commit(dir, 'valid record')).toMatchObject({ code: 0 });
    expect(git(dir, 'log', '--oneline')).toContain('valid record');
  });

  it('refuses a staged record with a schema error, pointing at the line', () => {
    const abs = join(dir, file);
    const good = readFileSync(abs, 'utf8');
    writeFileSync(abs, good.replace(/^outcome: .*$/m, 'outcome: exploded'));
    git(dir, 'add', file);
    const r = commit(dir, 'broken record');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ +error .*schema/enum`));
    expect(git(dir, 'log', '--oneline')).not.toContain('broken record');
    // Checks what is staged, not the working tree: fixing the file without staging it is not enough.
    writeFileSync(abs, good);
    expect(commit(dir, 'broken record').code).not.toBe(0);
    git(dir, 'add', file);
    expect(spawnSync('git', ['diff', '--cached', '--quiet'], { cwd: dir }).status).toBe(0); // back to HEAD: nothing to commit
  });

  it('refuses a secret pasted into a record', () => {
    const abs = join(dir, file);
    const good = readFileSync(abs, 'utf8');
    writeFileSync(abs, `${good}\nDebug: used token ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'} to call the API.\n`);
    git(dir, 'add', file);
    const r = commit(dir, 'leak');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('secret/detected');
    expect(r.stderr).toContain('GitHub token');
    writeFileSync(abs, good);
    git(dir, 'add', file);
  });

  it('checks staged records against the rest of the knowledge base: duplicate ids, broken links', async () => {
    const abs = join(dir, file);
    const good = readFileSync(abs, 'utf8');
    const copy = file.replace(/[^/]+\.md$/, 'ex-copy.md');
    writeFileSync(join(dir, copy), good.replace(/^recalled:.*$/m, '').replace(/^(duration_s: .*)$/m, '$1\nrecalled:\n  - rule-does-not-exist'));
    git(dir, 'add', copy);
    const r = await runCli(dir, ['hooks', 'run', 'pre-commit', '--json']);
    expect(r.code).toBe(1);
    const rules = JSON.parse(r.stdout).diagnostics.map((d: { rule: string; file: string }) => `${d.file} ${d.rule}`);
    expect(rules).toContain(`${copy} id/duplicate`);
    expect(rules).toContain(`${copy} link/missing`);
    git(dir, 'rm', '-q', '--cached', copy);
    rmSync(join(dir, copy));
  });

  it('ignores staged files outside the knowledge base', () => {
    writeFileSync(join(dir, 'notes.md'), 'no frontmatter here\n');
    git(dir, 'add', 'notes.md');
    expect(commit(dir, 'notes').code).toBe(0);
  });

  it('uninstall removes the hook file it created', async () => {
    const r = await runCli(dir, ['hooks', 'uninstall', '--json']);
    expect(JSON.parse(r.stdout).hooks[0]).toMatchObject({ hook: 'pre-commit', action: 'removed' });
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(false);
  });
});

describe('existing hooks', () => {
  const theirs = '#!/bin/sh\necho theirs-ran >> hook-ran.txt\n';

  it('are never clobbered: install refuses without --chain', async () => {
    const dir = tempRepo({ 'a.txt': 'a\n' }, { commit: true });
    const hook = join(dir, '.git/hooks/pre-commit');
    writeFileSync(hook, theirs);
    const r = await runCli(dir, ['hooks', 'install']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hooks/conflict');
    expect(r.stderr).toContain('--chain');
    expect(readFileSync(hook, 'utf8')).toBe(theirs);
  });

  it('are chained with --chain (both run) and restored byte for byte by uninstall', async () => {
    const { dir, file } = await repoWithRecord();
    const hook = join(dir, '.git/hooks/pre-commit');
    writeFileSync(hook, theirs);
    chmodSync(hook, 0o755);
    const r = await runCli(dir, ['hooks', 'install', '--chain', '--json']);
    expect(JSON.parse(r.stdout).hooks[0].action).toBe('chained');
    expect((await runCli(dir, ['hooks', 'status', '--json'])).stdout).toContain('"chained": true');
    // A bad record: ours refuses before theirs runs.
    const good = readFileSync(join(dir, file), 'utf8');
    writeFileSync(join(dir, file), good.replace(/^agent: .*$/m, 'agent: [1, 2]'));
    git(dir, 'add', '-A');
    expect(commit(dir, 'bad').code).not.toBe(0);
    expect(existsSync(join(dir, 'hook-ran.txt'))).toBe(false);
    // Fixed: ours passes and theirs still runs.
    writeFileSync(join(dir, file), good);
    git(dir, 'add', '-A');
    expect(commit(dir, 'good').code).toBe(0);
    expect(readFileSync(join(dir, 'hook-ran.txt'), 'utf8')).toBe('theirs-ran\n');
    await runCli(dir, ['hooks', 'uninstall']);
    expect(readFileSync(hook, 'utf8')).toBe(theirs);
  });

  it('install into core.hooksPath when it is set', async () => {
    const dir = tempRepo({ 'a.txt': 'a\n' }, { commit: true });
    mkdirSync(join(dir, '.githooks'));
    git(dir, 'config', 'core.hooksPath', '.githooks');
    const r = await runCli(dir, ['hooks', 'install', '--post-commit', '--json']);
    expect(JSON.parse(r.stdout).hooks.map((h: { path: string }) => h.path)).toEqual(['.githooks/pre-commit', '.githooks/post-commit']);
    expect(readFileSync(join(dir, '.githooks/post-commit'), 'utf8')).toContain('capture git-commit');
    // The post-commit hook never fails a commit, whatever capture does.
    writeFileSync(join(dir, 'b.txt'), 'b\n');
    git(dir, 'add', 'b.txt');
    expect(commit(dir, 'with post-commit').code).toBe(0);
  });

  it('outside a Git repository is a usage error', async () => {
    const { tempDir } = await import('../helpers/repo.js');
    expect((await runCli(tempDir(), ['hooks', 'install'])).code).toBe(2);
  });
});
