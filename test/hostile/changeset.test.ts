/**
 * A change of several files (a synthesis: report, metrics, proposed patterns and rules) is all or
 * nothing: a kill between two of its files leaves a journal that the next command finishes before
 * it reads the knowledge base. (The kill -9 suite found a synthesis killed half way whose next run
 * wrote a different report than a run never killed.)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyChangeSet, finishPendingChange, journalPath } from '../../scripts/io/changeset.js';
import { cleanupTemp, git, REPO_ROOT, runCli, tempDir, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

/** Every file below `dir`, relative, with its text. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const abs = join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(relative(dir, abs), readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('a change of several files', () => {
  it('is written whole, and its journal is gone after', () => {
    const dir = tempDir();
    const kb = join(dir, 'kb');
    const out = join(dir, 'out');
    expect(
      applyChangeSet(kb, out, [
        { path: 'a/one.md', content: '1' },
        { path: 'b/two.md', content: '2' },
      ]),
    ).toEqual(['a/one.md', 'b/two.md']);
    expect([...tree(kb)]).toEqual([
      ['a/one.md', '1'],
      ['b/two.md', '2'],
    ]);
    expect(existsSync(journalPath(out))).toBe(false);
    // Unchanged files are not written again.
    expect(
      applyChangeSet(kb, out, [
        { path: 'a/one.md', content: '1' },
        { path: 'b/two.md', content: '3' },
      ]),
    ).toEqual(['b/two.md']);
  });

  it('left half written by a kill is finished by the next start; a journal of another root or an unreadable one is left alone', () => {
    const dir = tempDir();
    const kb = join(dir, 'kb');
    const out = join(dir, 'out');
    mkdirSync(join(kb, 'a'), { recursive: true });
    mkdirSync(out, { recursive: true });
    // What a kill after the first file leaves: the journal and one of its two files.
    writeFileSync(join(kb, 'a', 'one.md'), '1');
    const journal = JSON.stringify({
      kbRoot: kb,
      changes: [
        { path: 'a/one.md', content: '1' },
        { path: 'b/two.md', content: '2' },
      ],
    });
    writeFileSync(journalPath(out), journal);
    expect(finishPendingChange(join(dir, 'other-kb'), out)).toEqual([]);
    expect(existsSync(journalPath(out))).toBe(true);
    expect(finishPendingChange(kb, out)).toEqual(['b/two.md']);
    expect(readFileSync(join(kb, 'b', 'two.md'), 'utf8')).toBe('2');
    expect(existsSync(journalPath(out))).toBe(false);
    expect(finishPendingChange(kb, out)).toEqual([]);
    writeFileSync(journalPath(out), '{"kbRoot": "cut sho');
    expect(finishPendingChange(kb, out)).toEqual([]);
    expect(existsSync(journalPath(out))).toBe(true);
  });

  it('a synthesis killed after its first file: the next `synthesize` leaves exactly what a run never killed leaves', async () => {
    const base = tempRepo();
    cpSync(join(REPO_ROOT, 'learning-loop'), join(base, 'learning-loop'), { recursive: true });
    git(base, 'add', '-A');
    git(base, 'commit', '-q', '-m', 'example');
    const args = ['synthesize', '--period', 'week', '--date', '2026-11-01', '--json'];
    const clean = join(tempDir(), 'clean');
    cpSync(base, clean, { recursive: true });
    const before = tree(join(clean, 'learning-loop'));
    expect((await runCli(clean, args)).code).toBe(0);
    const after = tree(join(clean, 'learning-loop'));
    const change = [...after].filter(([f, text]) => before.get(f) !== text).map(([path, content]) => ({ path, content }));
    expect(change.length).toBeGreaterThan(2);

    const killed = join(tempDir(), 'killed');
    cpSync(base, killed, { recursive: true });
    const kb = join(killed, 'learning-loop');
    mkdirSync(join(killed, '.learning-loop', 'build'), { recursive: true });
    writeFileSync(journalPath(join(killed, '.learning-loop', 'build')), JSON.stringify({ kbRoot: kb, changes: change }));
    const first = change[0]!;
    mkdirSync(join(kb, first.path, '..'), { recursive: true });
    writeFileSync(join(kb, first.path), first.content);

    const next = await runCli(killed, args);
    expect(next.code, next.stderr).toBe(0);
    expect([...tree(kb)]).toEqual([...after]);
  });
});
