/**
 * A change of several files (a synthesis: report, metrics, proposed patterns and rules) is all or
 * nothing: a kill between two of its files leaves a journal that the next command finishes before
 * it reads the knowledge base. (The kill -9 suite found a synthesis killed half way whose next run
 * wrote a different report than a run never killed.) A journal is trusted no further than a
 * commit: Markdown files inside the knowledge base only, never over a file changed since.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyChangeSet, finishPendingChanges, journalPath } from '../../scripts/io/changeset.js';
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
  if (existsSync(dir)) walk(dir);
  return out;
}

/** The id of a process that has ended: its journals are leftovers. */
const DEAD_PID = spawnSync(process.execPath, ['-e', '']).pid!;
const sha1 = (t: string): string => createHash('sha1').update(t).digest('hex');
const journals = (out: string): string[] => (existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('pending-change-')) : []);

/** A knowledge base and build folder, and a planted journal of a killed process. */
function planted(changes: unknown[], kbRoot?: string): { kb: string; out: string; journal: string } {
  const dir = tempDir();
  const kb = join(dir, 'kb');
  const out = join(dir, 'out');
  mkdirSync(kb, { recursive: true });
  mkdirSync(out, { recursive: true });
  const journal = journalPath(out, DEAD_PID);
  writeFileSync(journal, JSON.stringify({ kbRoot: kbRoot ?? kb, changes }));
  return { kb, out, journal };
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
    expect(journals(out)).toEqual([]);
    // Unchanged files are not written again.
    expect(
      applyChangeSet(kb, out, [
        { path: 'a/one.md', content: '1' },
        { path: 'b/two.md', content: '3' },
      ]),
    ).toEqual(['b/two.md']);
  });

  it('a write that fails leaves the journal first, so the change can be finished once the obstacle is gone', () => {
    const dir = tempDir();
    const kb = join(dir, 'kb');
    const out = join(dir, 'out');
    mkdirSync(kb, { recursive: true });
    writeFileSync(join(kb, 'b'), 'a file where a folder is needed');
    expect(() =>
      applyChangeSet(kb, out, [
        { path: 'a/one.md', content: '1' },
        { path: 'b/two.md', content: '2' },
      ]),
    ).toThrow();
    const [name] = journals(out);
    expect(JSON.parse(readFileSync(join(out, name!), 'utf8')).changes.map((c: { path: string }) => c.path)).toEqual(['a/one.md', 'b/two.md']);
    // While its writer runs (this process), nobody else finishes it.
    expect(finishPendingChanges(kb, out)).toEqual([]);
    renameSync(join(out, name!), join(out, name!.replace(`-${process.pid}-`, `-${DEAD_PID}-`)));
    rmSync(join(kb, 'b'));
    const said = finishPendingChanges(kb, out, 'out');
    expect(said.map((d) => [d.rule, d.severity, d.message])).toEqual([['kb/pending-change', 'warning', 'Finished a change its writer left unfinished (killed, or failed half way): wrote b/two.md.']]);
    expect(readFileSync(join(kb, 'b', 'two.md'), 'utf8')).toBe('2');
    expect(journals(out)).toEqual([]);
  });

  it('left half written by a kill: finished at the next start, once', () => {
    const { kb, out } = planted([
      { path: 'a/one.md', content: '1', before: null },
      { path: 'b/two.md', content: '2', before: null },
    ]);
    mkdirSync(join(kb, 'a'));
    writeFileSync(join(kb, 'a', 'one.md'), '1');
    expect(finishPendingChanges(kb, out).map((d) => d.message)).toEqual(['Finished a change its writer left unfinished (killed, or failed half way): wrote b/two.md.']);
    expect(readFileSync(join(kb, 'b', 'two.md'), 'utf8')).toBe('2');
    expect(journals(out)).toEqual([]);
    expect(finishPendingChanges(kb, out)).toEqual([]);
  });

  it('never over a file changed since the change began: left, and said', () => {
    const { kb, out } = planted([
      { path: 'a/one.md', content: 'new', before: sha1('old') },
      { path: 'b/two.md', content: '2', before: null },
    ]);
    mkdirSync(join(kb, 'a'));
    writeFileSync(join(kb, 'a', 'one.md'), 'edited by hand since');
    const [d] = finishPendingChanges(kb, out);
    expect(d?.message).toBe('A change its writer left unfinished (killed, or failed half way) was not finished: a/one.md changed since; nothing was written.');
    expect(readFileSync(join(kb, 'a', 'one.md'), 'utf8')).toBe('edited by hand since');
    expect(existsSync(join(kb, 'b', 'two.md'))).toBe(false);
    expect(journals(out)).toHaveLength(1);
    // The file as it was when the change began: the change goes through.
    writeFileSync(join(kb, 'a', 'one.md'), 'old');
    expect(finishPendingChanges(kb, out).map((x) => x.message)).toEqual(['Finished a change its writer left unfinished (killed, or failed half way): wrote a/one.md, b/two.md.']);
  });

  it.each([
    ['a path out of the knowledge base', [{ path: '../escaped.md', content: 'x', before: null }], 'names `../escaped.md`, which is not a Markdown file inside the knowledge base'],
    ['an absolute path', [{ path: '/tmp/escaped.md', content: 'x', before: null }], 'names `/tmp/escaped.md`'],
    ['a file that is not Markdown', [{ path: '.git/hooks/post-checkout', content: 'x', before: null }], 'names `.git/hooks/post-checkout`'],
    ['an entry without content', [{ path: 'a.md' }], 'an entry is malformed'],
    ['an entry that is not an object', [null], 'an entry is malformed'],
  ])('a journal naming %s writes nothing, is left, and is reported', (_name, changes, says) => {
    const { kb, out } = planted(changes);
    const [d] = finishPendingChanges(kb, out, 'out');
    expect(d?.rule).toBe('kb/pending-change');
    expect(d?.message).toContain(says);
    expect(d?.hint).toContain('remove out/pending-change-');
    expect([...tree(kb)]).toEqual([]);
    expect(existsSync(join(kb, '..', 'escaped.md'))).toBe(false);
    expect(journals(out)).toHaveLength(1);
  });

  it('never through a symbolic link inside the knowledge base (it could lead the write anywhere)', () => {
    const { kb, out } = planted([{ path: 'up/escaped.md', content: 'x', before: null }]);
    const outside = join(kb, '..', 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(kb, 'up'));
    const [d] = finishPendingChanges(kb, out);
    expect(d?.message).toContain('names `up/escaped.md`, which is not a Markdown file inside the knowledge base');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a journal named for this process but older than it is a dead namesake’s (process ids are reused): finished', () => {
    const dir = tempDir();
    const kb = join(dir, 'kb');
    const out = join(dir, 'out');
    mkdirSync(kb, { recursive: true });
    mkdirSync(out, { recursive: true });
    const journal = journalPath(out, process.pid);
    writeFileSync(
      journal,
      JSON.stringify({
        kbRoot: kb,
        changes: [
          { path: 'a.md', content: '1', before: null },
          { path: 'b.md', content: '2', before: null },
        ],
      }),
    );
    expect(finishPendingChanges(kb, out)).toEqual([]); // written by this process: its own, still at it
    const longAgo = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(journal, longAgo, longAgo);
    expect(finishPendingChanges(kb, out).map((d) => d.message)).toEqual(['Finished a change its writer left unfinished (killed, or failed half way): wrote a.md, b.md.']);
  });

  it('one entry per file (the last wins), and a long change is named by its first files and a count', () => {
    const dir = tempDir();
    const kb = join(dir, 'kb');
    expect(
      applyChangeSet(kb, join(dir, 'out'), [
        { path: 'q.md', content: '1' },
        { path: 'r.md', content: '2' },
        { path: 'q.md', content: '3' },
      ]),
    ).toEqual(['q.md', 'r.md']);
    expect(readFileSync(join(kb, 'q.md'), 'utf8')).toBe('3');
    const many = Array.from({ length: 30 }, (_, i) => ({ path: `m/${String(i).padStart(2, '0')}.md`, content: 'x', before: null }));
    const p = planted(many);
    expect(finishPendingChanges(p.kb, p.out)[0]?.message).toBe(
      'Finished a change its writer left unfinished (killed, or failed half way): wrote m/00.md, m/01.md, m/02.md, m/03.md, m/04.md and 25 more.',
    );
  });

  it('a journal that is not JSON is reported and left; another knowledge base’s is left alone', () => {
    const { kb, out, journal } = planted([{ path: 'a.md', content: 'x', before: null }], '/somewhere/else/kb');
    expect(finishPendingChanges(kb, out)).toEqual([]);
    expect(existsSync(journal)).toBe(true);
    writeFileSync(journal, '{"kbRoot": "cut sho');
    expect(finishPendingChanges(kb, out)[0]?.message).toContain('it is not valid JSON');
    expect(existsSync(journal)).toBe(true);
  });

  it('a synthesis killed after its first file: the next `synthesize` says so and leaves exactly what a run never killed leaves', async () => {
    const base = tempRepo();
    cpSync(join(REPO_ROOT, 'learning-loop'), join(base, 'learning-loop'), { recursive: true });
    writeFileSync(join(base, '.gitignore'), '.learning-loop/\n');
    git(base, 'add', '-A');
    git(base, 'commit', '-q', '-m', 'example');
    const args = ['synthesize', '--period', 'week', '--date', '2026-11-01', '--json'];
    const clean = join(tempDir(), 'clean');
    cpSync(base, clean, { recursive: true });
    const before = tree(join(clean, 'learning-loop'));
    expect((await runCli(clean, args)).code).toBe(0);
    const after = tree(join(clean, 'learning-loop'));
    const change = [...after].filter(([f, text]) => before.get(f) !== text).map(([path, content]) => ({ path, content, before: before.has(path) ? sha1(before.get(path)!) : null }));
    expect(change.length).toBeGreaterThan(2);

    const killed = join(tempDir(), 'killed');
    cpSync(base, killed, { recursive: true });
    const kb = join(killed, 'learning-loop');
    const out = join(killed, '.learning-loop', 'build');
    mkdirSync(out, { recursive: true });
    writeFileSync(journalPath(out, DEAD_PID), JSON.stringify({ kbRoot: kb, changes: change }));
    const first = change[0]!;
    mkdirSync(join(kb, first.path, '..'), { recursive: true });
    writeFileSync(join(kb, first.path), first.content);

    const next = await runCli(killed, args);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('Finished a change its writer left unfinished');
    expect([...tree(kb)]).toEqual([...after]);
    expect(journals(out)).toEqual([]);
  });
});
