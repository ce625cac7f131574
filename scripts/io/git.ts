/**
 * The Git adapter: every Git command learning-loop runs goes through `git`, `gitSync` or
 * `gitBuffers` here (the `git` program through Node's child_process: the build needs synchronous
 * listings, which no Git library offers, so one runner serves both).
 *
 * Many agents record at once: several processes in one work tree (they race for `index.lock`
 * and the `HEAD` ref lock) and several clones pushing to one remote (they race for the remote
 * branch). Within one process every Git call for a repository goes through one queue; across
 * processes lock failures are retried with jittered backoff; a push rejected because the
 * remote moved is rebased onto the remote and retried, a bounded number of times.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { CATEGORY_DIRS } from '../core/records/kinds.js';
import type { Workspace } from '../core/workspace.js';

/** A Git command that failed; the message is what Git wrote on stderr (lock and race checks read it). */
export class GitError extends Error {
  /** Creates the error for `git <args>` that exited with `code`. */
  constructor(
    readonly args: readonly string[],
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(stderr.trim() || `git ${args[0] ?? ''} failed (${String(code)})`);
    this.name = 'GitError';
  }
}

/** Options of one Git command. */
export interface GitRunOptions {
  /** Largest output accepted (bytes); default 64 MiB. */
  maxBuffer?: number;
}

const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

function gitErrorOf(args: readonly string[], error: unknown): GitError {
  const e = error as { status?: number | null; code?: number | string | null; stderr?: Buffer | string; message?: string };
  const stderr = e.stderr === undefined ? '' : typeof e.stderr === 'string' ? e.stderr : e.stderr.toString('utf8');
  return new GitError(args, e.status ?? e.code ?? null, stderr || String(e.message ?? error));
}

/** Runs `git <args>` in `cwd`; resolves its stdout (UTF-8), rejects with a {@link GitError}. */
export function git(cwd: string, args: readonly string[], opts: GitRunOptions = {}): Promise<string> {
  return new Promise((ok, fail) => {
    execFile('git', args, { cwd, encoding: 'utf8', maxBuffer: opts.maxBuffer ?? DEFAULT_MAX_BUFFER }, (error, stdout, stderr) => {
      if (error) fail(gitErrorOf(args, Object.assign(error, { stderr })));
      else ok(stdout);
    });
  });
}

/** Runs `git <args>` in `cwd` and waits; returns its stdout (bytes), throws a {@link GitError}. */
export function gitSync(cwd: string, args: readonly string[], opts: GitRunOptions = {}): Buffer {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: opts.maxBuffer ?? DEFAULT_MAX_BUFFER });
  } catch (error) {
    throw gitErrorOf(args, error);
  }
}

/** `gitSync` decoded as UTF-8. */
export function gitSyncText(cwd: string, args: readonly string[], opts: GitRunOptions = {}): string {
  return gitSync(cwd, args, opts).toString('utf8');
}

/** A running Git command whose stdout (bytes) is awaited, and which can be stopped. */
export interface GitRun {
  output: Promise<Buffer>;
  kill: () => void;
}

/** Starts `git <args>` in `cwd` without waiting (several run side by side); `kill` stops it. */
export function gitStart(cwd: string, args: readonly string[], opts: GitRunOptions = {}): GitRun {
  let kill = () => {};
  const output = new Promise<Buffer>((ok, fail) => {
    const child = execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: opts.maxBuffer ?? DEFAULT_MAX_BUFFER }, (error, stdout, stderr) => {
      if (error) fail(gitErrorOf(args, Object.assign(error, { stderr })));
      else ok(stdout);
    });
    kill = () => void child.kill();
  });
  return { output, kill };
}

/** Serialises Git work per repository within this process. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task queued for the same repository has settled. */
export function withRepoQueue<T>(repoRoot: string, task: () => Promise<T>): Promise<T> {
  const prev = queues.get(repoRoot) ?? Promise.resolve();
  const run = prev.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(repoRoot, settled);
  void settled.then(() => {
    if (queues.get(repoRoot) === settled) queues.delete(repoRoot);
  });
  return run;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for failures caused by another process holding a lock (index, HEAD or a ref). */
export function isLockError(error: unknown): boolean {
  return /index\.lock|\.lock'?: File exists|Unable to create .*\.lock|cannot lock ref|unable to lock|is at [0-9a-f]+ but expected/i.test(message(error));
}

/** True when a push was refused because the remote branch moved (or its ref was locked). */
export function isPushRace(error: unknown): boolean {
  return /rejected|non-fast-forward|fetch first|failed to (update|lock) ref|cannot lock ref|stale info|incorrect old value/i.test(message(error));
}

/**
 * A Git lock file no running process holds: left by a Git process that was killed (kill -9, a
 * crash, a power cut). Git never removes such a lock itself, so waiting for it is pointless:
 * the caller reports it at once, naming the file to remove.
 */
export class StaleLockError extends Error {
  /**
   * Creates the error for a lock file (absolute path) and the repository it is in; `others` are
   * further stale locks the same kill left (a commit holds the index and HEAD locks at once), named
   * in the same message so one clean-up is enough.
   */
  constructor(
    readonly lockPath: string,
    readonly repoRoot: string,
    readonly others: readonly string[] = [],
  ) {
    const shown = (p: string) => (p.startsWith(repoRoot + sep) ? p.slice(repoRoot.length + 1) : p);
    const all = [lockPath, ...others].map(shown);
    const named = all.map((p) => `\`${p}\``).join(' and ');
    super(
      `${named} ${all.length > 1 ? 'are' : 'is'} left over from a Git process that was killed: ${all.length > 1 ? 'they exist' : 'it exists'}, but no running process has ${all.length > 1 ? 'them' : 'it'} open and no Git process runs in this repository. ` +
        `Remove ${all.length > 1 ? 'them' : 'it'} (\`rm ${all.join(' ')}\`) and run the command again; that is safe because nothing is writing what ${all.length > 1 ? 'they lock' : 'it locks'}.`,
    );
    this.name = 'StaleLockError';
  }
}

/** Lock files Git may leave in a repository's Git folder when killed (the refs' locks are found by walking refs/). */
const GIT_LOCKS = ['index.lock', 'HEAD.lock', 'ORIG_HEAD.lock', 'packed-refs.lock', 'config.lock'];

/** Every lock file in the Git folder of the lock `first` (the folder it is in, or the one above refs/). */
function lockFilesNear(first: string): string[] {
  const gitDir = first.includes(`${sep}refs${sep}`) ? first.slice(0, first.indexOf(`${sep}refs${sep}`)) : first.slice(0, first.lastIndexOf(sep));
  const found = GIT_LOCKS.map((n) => join(gitDir, n)).filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs, depth + 1);
      else if (e.name.endsWith('.lock')) found.push(abs);
    }
  };
  walk(join(gitDir, 'refs'), 0);
  return found.filter((p) => p !== first).sort();
}

/** The lock file a Git lock error names (absolute), if it names one. */
export function lockPathOf(error: unknown, repoRoot: string): string | undefined {
  const m = /Unable to create '([^']+\.lock)'/i.exec(message(error));
  if (!m) return undefined;
  return isAbsolute(m[1]!) ? m[1]! : resolve(repoRoot, m[1]!);
}

/** What the process table says about a lock: some process may hold it, none does, or it cannot be told. */
export type LockHolders = 'held' | 'free' | 'unknown';

/**
 * Whether any running process may hold `lockPath`: one that has it open, or a Git process
 * working in `repoRoot` or in the folder of the lock (Git keeps some locks without an open file,
 * e.g. while an editor is open for a commit message). Read from /proc (Linux); 'unknown' where
 * there is none, or when a Git process's folder cannot be read.
 */
export function lockHolders(lockPath: string, repoRoot: string, procDir = '/proc'): LockHolders {
  let pids: string[];
  try {
    pids = readdirSync(procDir).filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return 'unknown';
  }
  const inside = (dir: string) => dir === repoRoot || dir.startsWith(repoRoot + sep) || lockPath.startsWith(dir + sep);
  let unsure = false;
  for (const pid of pids) {
    const base = join(procDir, pid);
    let comm = '';
    try {
      comm = readFileSync(join(base, 'comm'), 'utf8').trim();
    } catch {
      continue; // exited meanwhile
    }
    if (comm === 'git' || comm.startsWith('git-')) {
      try {
        if (inside(readlinkSync(join(base, 'cwd')))) return 'held';
      } catch {
        unsure = true; // a Git process we may not look into
      }
    }
    let fds: string[];
    try {
      fds = readdirSync(join(base, 'fd'));
    } catch {
      continue; // not ours to look into: it cannot be writing our repository's files either
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(join(base, 'fd', fd)) === lockPath) return 'held';
      } catch {
        // closed meanwhile
      }
    }
  }
  return unsure ? 'unknown' : 'free';
}

/** Without a process table, a lock untouched for this long is taken for a leftover. */
export const STALE_LOCK_MS = 60_000;

/**
 * The stale lock behind a Git lock error, or undefined when the lock may be held (then the
 * caller waits and retries). A lock is stale when it exists, no process holds it, and it is the
 * same file before and after looking (not one a new Git process just took).
 */
export function staleLock(error: unknown, repoRoot: string, now = Date.now()): StaleLockError | undefined {
  const lockPath = lockPathOf(error, repoRoot);
  if (!lockPath) return undefined;
  const id = () => {
    try {
      const st = statSync(lockPath);
      return { key: `${st.ino}:${st.mtimeMs}:${st.size}`, mtimeMs: st.mtimeMs };
    } catch {
      return undefined;
    }
  };
  const before = id();
  if (!before) return undefined; // released meanwhile: try again
  let holders: LockHolders;
  try {
    // The process table shows real paths.
    holders = lockHolders(realpathSync(lockPath), realpathSync(repoRoot));
  } catch {
    return undefined; // released meanwhile
  }
  if (holders === 'held') return undefined;
  if (holders === 'unknown' && now - before.mtimeMs < STALE_LOCK_MS) return undefined;
  const after = id();
  if (!after || after.key !== before.key) return undefined;
  // The same kill may have left more (a commit holds the index and HEAD locks): name them all at once.
  const others = lockFilesNear(lockPath).filter((p) => {
    try {
      const h = lockHolders(realpathSync(p), realpathSync(repoRoot));
      return h === 'free' || (h === 'unknown' && now - statSync(p).mtimeMs >= STALE_LOCK_MS);
    } catch {
      return false;
    }
  });
  return new StaleLockError(lockPath, repoRoot, others);
}

/**
 * Sleeps for a jittered delay that grows slowly with the attempt (uniform in 0..min(1000,
 * 40 x (attempt + 1)) ms). Used while another local process holds a lock.
 */
export function backoff(attempt: number, random: () => number = Math.random): Promise<void> {
  const cap = Math.min(1000, 40 * (attempt + 1));
  return new Promise((resolve) => setTimeout(resolve, random() * cap));
}

/**
 * The wait before pushing again after losing a race: full jitter over a window measured in
 * push cycles (`cycleMs`, how long the last push + rebase took), so contenders spread out
 * whatever the machine's speed. The window SHRINKS as an agent keeps losing (2 cycles after the
 * first loss, a quarter cycle after many), so an agent that has waited long retries sooner than
 * newcomers and nobody starves.
 */
export function raceDelay(retry: number, cycleMs: number, random: () => number = Math.random): number {
  const cycles = Math.max(0.25, 2 - 0.25 * (retry - 1));
  return random() * cycles * Math.max(20, cycleMs);
}

/** Result of a commit. */
export interface CommitResult {
  /** The new commit id. */
  sha: string;
  /** How many times a lock held by another process made us wait. */
  lockRetries: number;
}

/** Maximum attempts when another process holds a Git lock. */
export const LOCK_ATTEMPTS = 60;

/**
 * Commits exactly `paths` (repo-relative) with `msg`: `git add` then `git commit --only`, so
 * files other processes staged at the same moment are never swept into this commit.
 * Retries while another process holds `index.lock` or the `HEAD` lock.
 */
export function commitPaths(repoRoot: string, paths: readonly string[], msg: string): Promise<CommitResult> {
  return withRepoQueue(repoRoot, async () => {
    // Thousands of paths (an imported history) would overflow the command line: they go through
    // a NUL-separated pathspec file instead, in the same one `add` and one `commit`.
    const listFile = paths.length > PATHSPEC_FILE_AT ? join(tmpdir(), `learning-loop-paths-${randomBytes(6).toString('hex')}`) : undefined;
    if (listFile) writeFileSync(listFile, paths.map((p) => `${p}\0`).join(''));
    const spec = listFile ? [`--pathspec-from-file=${listFile}`, '--pathspec-file-nul'] : ['--', ...paths];
    let lockRetries = 0;
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await git(repoRoot, ['add', ...spec]);
          await git(repoRoot, ['commit', '-q', '--no-verify', '--only', '-m', msg, ...spec]);
          // Not `rev-parse HEAD`: another process may already have committed on top of ours.
          const sha = (await git(repoRoot, ['rev-list', '-1', 'HEAD', '--', paths[0]!])).trim();
          return { sha, lockRetries };
        } catch (error) {
          if (!(isLockError(error) || isLostStage(error)) || attempt >= LOCK_ATTEMPTS) throw error;
          const stale = isLockError(error) ? staleLock(error, repoRoot) : undefined;
          if (stale) throw stale;
          lockRetries += 1;
          await backoff(attempt);
        }
      }
    } finally {
      if (listFile) rmSync(listFile, { force: true });
    }
  });
}

/** Above this many paths `commitPaths` passes them in a pathspec file, not as arguments. */
export const PATHSPEC_FILE_AT = 200;

/**
 * True when `commit --only` found the path unstaged although it was just added: under load,
 * another process's commit can write the index back without our entry between our `add` and
 * our `commit` (seen with 20+ agents committing in one work tree). Adding again fixes it.
 */
export function isLostStage(error: unknown): boolean {
  return /did not match any file\(s\) known to git/i.test(message(error));
}

/** Result of a push. */
export interface PushResult {
  pushed: boolean;
  /** Pushes refused because the remote moved, each followed by a rebase. */
  retries: number;
  /** Git's message when the push finally failed. */
  error?: string;
  /** A lock file left by a killed Git process that stopped the push (absolute path). */
  staleLock?: string;
}

/** `git config user.name` in a folder (undefined when it is unset or Git cannot tell). */
export async function gitUserName(cwd: string): Promise<string | undefined> {
  try {
    const name = (await git(cwd, ['config', '--get', 'user.name'])).trim();
    return name || undefined;
  } catch {
    return undefined;
  }
}

/** The current branch name (undefined when HEAD is detached). */
export async function currentBranch(repoRoot: string): Promise<string | undefined> {
  const name = (await git(repoRoot, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  return name && name !== 'HEAD' ? name : undefined;
}

/**
 * Pushes the current branch to `remote`. When the push is refused because the remote moved,
 * fetches, rebases the local commits onto it and tries again, at most `maxRetries` times.
 * Never throws for a refused push: the result says what happened.
 */
export function pushWithRetry(repoRoot: string, opts: { remote: string; branch?: string; maxRetries: number }): Promise<PushResult> {
  return withRepoQueue(repoRoot, async () => {
    const branch = opts.branch ?? (await currentBranch(repoRoot));
    if (!branch) return { pushed: false, retries: 0, error: 'HEAD is detached; check out a branch to push.' };
    let retries = 0;
    let rebaseMs = 0;
    for (;;) {
      const pushStart = Date.now();
      try {
        await git(repoRoot, ['push', '--quiet', opts.remote, `HEAD:refs/heads/${branch}`]);
        return { pushed: true, retries };
      } catch (error) {
        if (!isPushRace(error) || retries >= opts.maxRetries) return { pushed: false, retries, error: message(error) };
        retries += 1;
        // One push cycle = push + rebase, measured, so the wait scales with the machine's speed.
        const cycleMs = Date.now() - pushStart + rebaseMs;
        // Wait first, then rebase and push at once: the remote is read as late as possible.
        await new Promise((resolve) => setTimeout(resolve, raceDelay(retries, cycleMs)));
        const rebaseStart = Date.now();
        try {
          await rebaseOnto(repoRoot, opts.remote, branch);
        } catch (rebaseError) {
          // A lock held by another local process: try the whole round again.
          if (!isLockError(rebaseError)) return { pushed: false, retries, error: message(rebaseError) };
          const stale = staleLock(rebaseError, repoRoot);
          if (stale) return { pushed: false, retries, error: stale.message, staleLock: stale.lockPath };
        }
        rebaseMs = Date.now() - rebaseStart;
      }
    }
  });
}

async function rebaseOnto(repoRoot: string, remote: string, branch: string): Promise<void> {
  try {
    await git(repoRoot, ['pull', '--quiet', '--rebase', '--no-autostash', remote, branch]);
  } catch (error) {
    // Leave the work tree usable: a failed rebase is aborted before the error is reported.
    await git(repoRoot, ['rebase', '--abort']).catch(() => undefined);
    throw error;
  }
}

/**
 * How many commits touched each file under `paths` (repo-relative), from one `git log`;
 * undefined when Git fails.
 */
export async function commitCountsPerFile(repoRoot: string, paths: readonly string[]): Promise<Map<string, number> | undefined> {
  try {
    const out = await git(repoRoot, ['log', '--format=', '--name-only', '--no-renames', '--', ...paths]);
    const counts = new Map<string, number>();
    for (const line of out.split('\n')) {
      const f = line.trim();
      if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    return counts;
  } catch {
    return undefined;
  }
}

/**
 * Commits touching each file under the pattern folders. Undefined when the workspace is not a
 * Git repository or Git fails (pattern stability is then reported as unavailable).
 */
export function patternCommitCounts(ws: Workspace): Promise<Map<string, number> | undefined> {
  if (!ws.inGit) return Promise.resolve(undefined);
  return commitCountsPerFile(
    ws.repoRoot,
    Object.values(CATEGORY_DIRS).map((d) => `${ws.kbPrefix}${d}`),
  );
}
