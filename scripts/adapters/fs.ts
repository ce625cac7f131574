/**
 * Filesystem adapter: atomic writes (temp file + rename/link) so a crash or a concurrent agent
 * never leaves a half-written record, and "never overwrite" is enforced by the OS, not a race.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseTempFileName, tempFileName } from '../records/kb-files.js';

/**
 * A path for the temporary file of a write into `target`'s folder. Its name carries this
 * process's id, so a later run can tell a leftover of a killed writer (swept, see
 * `sweepStaleTemps`) from a file being written right now; readers skip both (`isIgnoredKbFile`).
 */
export function tempPath(target: string): string {
  return join(dirname(target), tempFileName(process.pid, randomBytes(6).toString('hex')));
}

/** A temporary file older than this is stale even when a process with its writer's id runs (ids are reused). */
export const STALE_TEMP_MS = 60 * 60 * 1000;
/** Older-style temporary names carry no process id: stale after this long. */
export const STALE_LEGACY_TEMP_MS = 10 * 60 * 1000;

function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

/**
 * Whether a temporary file was left by a writer that is gone (killed mid-write): its process no
 * longer runs, or it is older than any write takes. `now` and `runs` are for tests.
 */
export function isStaleTemp(name: string, mtimeMs: number, now = Date.now(), runs: (pid: number) => boolean = processRuns): boolean {
  const t = parseTempFileName(name);
  if (!t) return false;
  const age = now - mtimeMs;
  if (t.pid === undefined) return age > STALE_LEGACY_TEMP_MS;
  return age > STALE_TEMP_MS || !runs(t.pid);
}

const swept = new Set<string>();

/**
 * Removes the stale temporary files of one folder (leftovers of writers killed mid-write), once
 * per folder per process: a write into the folder calls it, so leftovers go with the next write
 * there. Returns the names removed. Never throws.
 */
export function sweepStaleTemps(dir: string, opts: { force?: boolean } = {}): string[] {
  if (!opts.force && swept.has(dir)) return [];
  swept.add(dir);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!parseTempFileName(name)) continue;
    const abs = join(dir, name);
    try {
      if (isStaleTemp(name, statSync(abs).mtimeMs)) {
        unlinkSync(abs);
        removed.push(name);
      }
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

function writeTemp(target: string, content: string | Buffer): string {
  mkdirSync(dirname(target), { recursive: true });
  sweepStaleTemps(dirname(target));
  const tmp = tempPath(target);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Writes a file atomically, replacing any existing file. */
export function writeFileAtomic(target: string, content: string | Buffer): void {
  const tmp = writeTemp(target, content);
  try {
    renameSync(tmp, target);
  } catch (error) {
    safeUnlink(tmp);
    throw error;
  }
}

/**
 * Writes a new file atomically and never overwrites: returns false (writing nothing) when the
 * target already exists, even if another process creates it at the same instant.
 */
export function writeFileExclusive(target: string, content: string | Buffer): boolean {
  const tmp = writeTemp(target, content);
  try {
    linkSync(tmp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    safeUnlink(tmp);
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Converts an OS path to a POSIX relative path. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Lists every file below `root` (POSIX paths relative to root), skipping dot-folders. Sorted. */
export function walkFiles(root: string): string[] {
  const out: string[] = [];
  if (!existsSync(root)) return out;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') && entry.isDirectory()) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile()) out.push(toPosix(relative(root, full)));
    }
  }
  return out.sort();
}

/** True when `path` is an existing directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
