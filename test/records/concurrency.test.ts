/**
 * Concurrency: many `record --commit` processes in one work tree, and many agents (clones)
 * pushing to one bare remote at once. Real Git, real processes (run `npm run build:ts` first).
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLockError, isLostStage } from '../../scripts/io/git.js';
import { cleanupTemp, git, runCli, spawnCli, spawnNode, tempDir, tempRepo, REPO_ROOT } from '../helpers/repo.js';

afterAll(cleanupTemp);

function executionFiles(kb: string): string[] {
  const root = join(kb, 'memory', 'short-term', 'executions');
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) out.push(e.name);
    }
  };
  walk(root);
  return out.sort();
}

const runNode = (args: string[]) => spawnNode(args);

describe('record under concurrency', () => {
  it('retries a commit whose freshly added path another commit dropped from the index', () => {
    // Seen under load with 60 agents: `commit --only` then says the path is unknown to Git.
    expect(isLostStage(new Error("error: pathspec 'learning-loop/x.md' did not match any file(s) known to git"))).toBe(true);
    expect(isLostStage(new Error('fatal: Unable to create index.lock: File exists'))).toBe(false);
    expect(isLockError(new Error('fatal: Unable to create index.lock: File exists'))).toBe(true);
  });

  it('20 `record --commit` processes started at once in one repo: 20 commits, 20 files, no failure', { timeout: 900_000 }, async () => {
    const repo = tempRepo();
    expect((await runCli(repo, ['init'])).code).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        spawnCli(repo, [
          'record',
          '--json',
          '--commit',
          '--task-id',
          `T-${i}`,
          '--type',
          'component',
          '--component',
          'booking-form',
          '--agent',
          `agent-${i % 4}`,
          '--outcome',
          i % 3 ? 'success' : 'failure',
          '--duration',
          String(100 + i),
        ]),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const results = runs.map((r) => JSON.parse(r.stdout) as { id: string; commit: string; path: string; reflection?: { path: string } });
    expect(new Set(results.map((r) => r.id)).size).toBe(20);
    expect(new Set(results.map((r) => r.commit)).size).toBe(20);
    expect(executionFiles(join(repo, 'learning-loop'))).toHaveLength(20);
    const subjects = git(repo, 'log', '--format=%s').trim().split('\n');
    expect(subjects.filter((s) => s.startsWith('learning-loop: record '))).toHaveLength(20);
    // Each commit holds exactly its own record (and its reflection), nothing from another agent.
    for (const r of results) {
      const files = git(repo, 'show', '--name-only', '--format=', r.commit).trim().split('\n').sort();
      expect(files).toEqual([r.path, ...(r.reflection ? [r.reflection.path] : [])].sort());
    }
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect((await runCli(repo, ['validate'])).code).toBe(0);
  });

  it('10 agents in separate clones each record 10 executions with --commit --push against one bare remote', { timeout: 1_800_000 }, async () => {
    const remote = tempDir();
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    const seed = tempRepo();
    expect((await runCli(seed, ['init'])).code).toBe(0);
    // Ten agents pushing back to back saturate one branch: each push races nine others, so the
    // retry budget is raised as docs/recording.md advises (about 10 x the number of agents).
    appendFileSync(join(seed, 'learning-loop', 'config', 'triggers.yaml'), '\ngit:\n  push_retries: 100\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'init');
    git(seed, 'remote', 'add', 'origin', remote);
    git(seed, 'push', '-q', 'origin', 'main');
    const agents = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
    const clones = agents.map((name) => {
      const dir = join(tempDir(), name);
      git(REPO_ROOT, 'clone', '-q', remote, dir);
      git(dir, 'config', 'user.email', `${name}@example.com`);
      git(dir, 'config', 'user.name', name);
      git(dir, 'config', 'commit.gpgsign', 'false');
      return dir;
    });
    const started = performance.now();
    const worker = join(REPO_ROOT, 'test', 'records', 'agent-worker.mjs');
    const runs = await Promise.all(clones.map((dir, i) => runNode([worker, dir, agents[i]!, '10'])));
    const wallMs = performance.now() - started;
    const lines = runs.flatMap((r) =>
      r.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { code: number; ok: boolean; id: string; pushed: boolean; pushRetries: number }),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(lines).toHaveLength(100);
    expect(lines.every((l) => l.ok && l.pushed)).toBe(true);
    const retries = lines.reduce((n, l) => n + l.pushRetries, 0);
    // Figures for the report (records, push retries, wall time).
    process.stdout.write(`[concurrency] 10 agents x 10 records: ${lines.length} records, ${retries} push retries, ${(wallMs / 1000).toFixed(1)} s\n`);

    const check = join(tempDir(), 'check');
    git(REPO_ROOT, 'clone', '-q', remote, check);
    const files = executionFiles(join(check, 'learning-loop'));
    expect(files).toHaveLength(100);
    expect(new Set(files).size).toBe(100);
    expect(files.sort()).toEqual(lines.map((l) => `${l.id}.md`).sort());
    const v = await runCli(check, ['validate', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout).summary).toMatchObject({ error: 0, warning: 0 });
  });
});
