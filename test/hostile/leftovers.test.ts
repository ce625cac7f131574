/**
 * What a process killed with -9 leaves behind: temporary files of atomic writes (invisible to
 * every reader, swept by the next write into their folder once their writer is gone) and a Git
 * `index.lock` no process holds (reported at once, naming the file to remove, instead of
 * waiting for it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, runCli, tempDir, writeFiles } from '../helpers/repo.js';
import { controlHistory } from '../../tools/examples/generate-history.js';
import { repoWith } from '../learn/kb.js';
import { isStaleTemp, sweepStaleTemps } from '../../scripts/io/fs.js';
import { lockHolders } from '../../scripts/io/git.js';
import { isIgnoredKbFile } from '../../scripts/core/records/kb-files.js';

afterAll(cleanupTemp);

/** A process id that ran and is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

const HALF_RECORD = '---\nkind: execution\nid: ex-half\ntask_id: t\n'; // cut off mid-write

describe('temporary files left by a killed writer', () => {
  let dir: string;
  let execDir: string;
  let dead: string;
  let legacy: string;
  let live: string;
  beforeAll(() => {
    dir = repoWith(controlHistory(20));
    execDir = join(dir, 'learning-loop/memory/short-term/executions/2026/10');
    dead = `.ll-${deadPid()}-0123456789ab.tmp`;
    legacy = '.abcdef012345.tmp';
    live = `.ll-${process.ppid}-fedcba987654.tmp`;
    for (const name of [dead, legacy, live]) writeFileSync(join(execDir, name), HALF_RECORD);
    mkdirSync(join(dir, 'learning-loop/rules'), { recursive: true });
    writeFileSync(join(dir, 'learning-loop/rules', dead), HALF_RECORD);
    // The older name carries no process id: stale once it is old.
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(execDir, legacy), old, old);
  });

  it('are invisible to validate, build, synthesize, recall and import', async () => {
    const v = await runCli(dir, ['validate', '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout).diagnostics).toEqual([]);
    const b = await runCli(dir, ['build', '--json']);
    expect(b.code, b.stdout).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ files: 20, diagnostics: [] });
    const s = await runCli(dir, ['synthesize', '--period', 'week', '--date', '2026-10-11', '--dry-run', '--json']);
    expect(s.code, s.stdout.slice(0, 2000)).toBe(0);
    expect((await runCli(dir, ['recall', 'what failed?', '--json'])).code).not.toBe(70);
    writeFiles(dir, { 'AGENTS.md': '# Rules\n\n- Run the tests before every commit.\n' });
    const imp = await runCli(dir, ['import', 'agents-md', 'AGENTS.md', '--json']);
    expect(imp.code, imp.stdout).toBe(0);
    expect(JSON.parse(imp.stdout).imported).toHaveLength(1);
  });

  it('are removed by the next write into their folder once their writer is gone (a live writer keeps its file)', async () => {
    const r = await runCli(dir, ['record', '--input', '-', '--json'], {
      stdin: JSON.stringify({ task_id: 't-next', task_type: 'component', agent: 'a', outcome: 'success', duration_s: 60, started_at: '2026-10-20T10:00:00Z' }),
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const left = readdirSync(execDir).filter((n) => n.startsWith('.'));
    expect(left).toEqual([live]);
    // The rules folder was written by the import above.
    expect(readdirSync(join(dir, 'learning-loop/rules')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('are removed by a build wherever they are (knowledge base and build folder) once their writer is gone', async () => {
    const folder = join(dir, 'learning-loop/memory/working-memory');
    mkdirSync(folder, { recursive: true });
    const gone = `.ll-${deadPid()}-00aa11bb22cc.tmp`;
    writeFileSync(join(folder, gone), HALF_RECORD);
    writeFileSync(join(dir, '.learning-loop/build/cache', gone), '{"half":');
    const b = await runCli(dir, ['build', '--json']);
    expect(b.code, b.stdout).toBe(0);
    expect(readdirSync(folder).filter((n) => n.startsWith('.ll-'))).toEqual([]);
    expect(readdirSync(join(dir, '.learning-loop/build/cache')).filter((n) => n.startsWith('.ll-'))).toEqual([]);
    expect(readdirSync(execDir).filter((n) => n.startsWith('.'))).toEqual([live]);
  });

  it('staleness: dead writer, old file, or an old name past its age; never a record', () => {
    const now = Date.now();
    const runs = (pid: number) => pid === 42;
    expect(isStaleTemp('.ll-42-0123456789ab.tmp', now, now, runs)).toBe(false);
    expect(isStaleTemp('.ll-43-0123456789ab.tmp', now, now, runs)).toBe(true);
    expect(isStaleTemp('.ll-42-0123456789ab.tmp', now - 2 * 3600_000, now, runs)).toBe(true);
    expect(isStaleTemp('.0123456789ab.tmp', now - 60_000, now, runs)).toBe(false);
    expect(isStaleTemp('.0123456789ab.tmp', now - 3600_000, now, runs)).toBe(true);
    expect(isStaleTemp('ex-1.md', 0, now, runs)).toBe(false);
    expect(isIgnoredKbFile('memory/short-term/executions/2026/10/.ll-7-0123456789ab.tmp')).toBe(true);
    expect(isIgnoredKbFile('rules/x.tmp')).toBe(false);
    const d = tempDir();
    writeFileSync(join(d, 'keep.md'), 'x');
    writeFileSync(join(d, `.ll-${deadPid()}-0123456789ab.tmp`), 'x');
    expect(sweepStaleTemps(d, { force: true })).toHaveLength(1);
    expect(readdirSync(d)).toEqual(['keep.md']);
  });
});

describe('a Git lock left by a killed Git process', () => {
  const input = (id: string) => JSON.stringify({ task_id: id, task_type: 'component', agent: 'a', outcome: 'success', duration_s: 60 });

  it('is reported at once with the file to remove and why that is safe; after removing it the commit works', async () => {
    const dir = repoWith(controlHistory(3));
    const lock = join(dir, '.git', 'index.lock');
    writeFileSync(lock, '');
    const r = await runCli(dir, ['record', '--input', '-', '--commit', '--json'], { stdin: input('t-lock') });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({ rule: 'git/stale-lock', severity: 'error' });
    expect(out.diagnostics[0].message).toContain('`.git/index.lock`');
    expect(out.diagnostics[0].message).toContain('rm .git/index.lock');
    expect(out.diagnostics[0].message).toMatch(/no running process has it open/);
    // The record itself was written (nothing lost) and is committed once the lock is gone.
    expect(existsSync(join(dir, out.path ?? out.diagnostics[0].file))).toBe(true);
    rmSync(lock);
    const again = await runCli(dir, ['record', '--input', '-', '--commit', '--json'], { stdin: input('t-after') });
    expect(again.code, again.stdout).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toContain('?? '); // the first record waits for a commit by hand
  });

  it('names every lock the same kill left (a commit holds the index and HEAD locks at once), so one clean-up is enough', async () => {
    const dir = repoWith(controlHistory(3));
    writeFileSync(join(dir, '.git', 'index.lock'), '');
    writeFileSync(join(dir, '.git', 'HEAD.lock'), '');
    const r = await runCli(dir, ['record', '--input', '-', '--commit', '--json'], { stdin: input('t-two-locks') });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0].message).toContain('`.git/index.lock` and `.git/HEAD.lock` are left over');
    expect(out.diagnostics[0].message).toContain('rm .git/index.lock .git/HEAD.lock');
    rmSync(join(dir, '.git', 'index.lock'));
    rmSync(join(dir, '.git', 'HEAD.lock'));
    const again = await runCli(dir, ['record', '--input', '-', '--commit', '--json'], { stdin: input('t-after-two') });
    expect(again.code, again.stdout).toBe(0);
  });

  it('held by a running process, is waited for and the commit goes through', async () => {
    const dir = repoWith(controlHistory(3));
    const lock = join(dir, '.git', 'index.lock');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(lock)},'wx');process.stdout.write('held\\n');setTimeout(()=>{fs.closeSync(fd);fs.unlinkSync(${JSON.stringify(lock)})},1500)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((ok) => holder.once('exit', ok));
    await new Promise<void>((ok) => holder.stdout!.once('data', () => ok()));
    const r = await runCli(dir, ['record', '--input', '-', '--commit', '--json'], { stdin: input('t-held') });
    await exited;
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('lockHolders reads who holds a lock from the process table', () => {
    const proc = tempDir();
    const repo = '/repo';
    const lock = '/repo/.git/index.lock';
    const add = (pid: number, comm: string, cwd: string, fds: string[]) => {
      mkdirSync(join(proc, String(pid), 'fd'), { recursive: true });
      writeFileSync(join(proc, String(pid), 'comm'), `${comm}\n`);
      symlinkSync(cwd, join(proc, String(pid), 'cwd'));
      for (const [i, f] of fds.entries()) symlinkSync(f, join(proc, String(pid), 'fd', String(i)));
    };
    add(100, 'bash', '/home', ['/dev/null']);
    add(101, 'git', '/elsewhere', ['/elsewhere/.git/index.lock']);
    expect(lockHolders(lock, repo, proc)).toBe('free');
    add(102, 'node', '/tmp', [lock]);
    expect(lockHolders(lock, repo, proc)).toBe('held');
    rmSync(join(proc, '102'), { recursive: true });
    add(103, 'git', '/repo/sub', []);
    expect(lockHolders(lock, repo, proc)).toBe('held');
    expect(lockHolders(lock, repo, join(proc, 'missing'))).toBe('unknown');
    expect(readFileSync(join(proc, '100', 'comm'), 'utf8')).toBe('bash\n');
  });
});
