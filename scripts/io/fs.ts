/**
 * Filesystem adapter: atomic writes (temp file + rename/link) so a crash or a concurrent agent
 * never leaves a half-written record, and "never overwrite" is enforced by the OS, not a race.
 */
import {
  appendFileSync,
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { parseTempFileName, tempFileName } from '../core/records/kb-files.js';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';

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

/** Whether a process with this id runs (this process always does). */
export function processRuns(pid: number): boolean {
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

/**
 * {@link writeFileExclusive} without blocking: the same temporary file + hard link, so many
 * files can be written at once (their fsyncs overlap instead of queueing one after another).
 */
export async function writeFileExclusiveAsync(target: string, content: string | Buffer): Promise<boolean> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPath(target);
  const handle = await open(tmp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(tmp, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
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

/**
 * Lists every regular file below `root` (POSIX paths relative to root), skipping dot-folders.
 * Sorted. Symbolic links (to files or folders) are never followed; with `links`, their paths
 * are collected there (sorted) so callers can report them.
 */
export function walkFiles(root: string, links?: string[]): string[] {
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
      else if (entry.isSymbolicLink()) links?.push(toPosix(relative(root, full)));
    }
  }
  links?.sort();
  return out.sort();
}

/** What reading a file of the knowledge base found. */
export type SafeRead =
  | { kind: 'file'; buf: Buffer }
  | { kind: 'too-large'; size: number }
  /**
   * A symbolic link (the file itself, or `link`, a folder on its way): what it says (`target`,
   * as written in the link) and whether that path, taken as written, is inside the repository.
   */
  | { kind: 'link'; link: string; target: string; inside: boolean }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

// Real paths of folders, kept for a moment: one scan of 10,000 files asks for the same few
// folders thousands of times, while a long-lived process (watch) must notice a folder that has
// become a link since; two seconds is both.
const REAL_TTL_MS = 2000;
const realCache = new Map<string, { path: string; at: number }>();
function real(path: string): string {
  const now = Date.now();
  const hit = realCache.get(path);
  if (hit && now - hit.at < REAL_TTL_MS) return hit.path;
  if (realCache.size > 10_000) realCache.clear();
  const r = realpathSync.native(path);
  realCache.set(path, { path: r, at: now });
  return r;
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * What a link says and whether it points inside `repoRoot`, judged from the link's own text
 * (so the verdict, like the link's Git blob, changes only when the link does).
 */
function linkInfo(abs: string, link: string, repoRoot: string): SafeRead {
  let target: string;
  try {
    target = readlinkSync(abs);
  } catch {
    return { kind: 'link', link, target: '?', inside: false };
  }
  return { kind: 'link', link, target, inside: within(resolve(dirname(abs), target), resolve(repoRoot)) };
}

/**
 * Reads a file below `root` without ever going through a symbolic link (neither the file nor a
 * folder on its way from `root`), and without reading more than `maxBytes`: the size is checked
 * on the open file before anything is read, so a 3 GiB file costs nothing. A named pipe or
 * device is refused without blocking. `repoRoot` decides whether a link's target is inside the
 * repository (for the message).
 */
export function readFileSafe(root: string, rel: string, maxBytes: number, repoRoot: string = root): SafeRead {
  const abs = join(root, rel);
  // A folder on the way that is a link: its real path differs from the lexical one.
  const dir = dirname(abs);
  try {
    const realDir = real(dir);
    const expected = join(real(root), relative(root, dir));
    if (realDir !== expected) {
      // Name the outermost folder that is a link.
      let at = root;
      for (const part of relative(root, dir).split(sep)) {
        at = join(at, part);
        if (lstatSync(at).isSymbolicLink()) break;
      }
      return linkInfo(at, toPosix(relative(root, at)), repoRoot);
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: (error as Error).message };
  }
  let fd: number;
  try {
    // O_NOFOLLOW: the open fails on a link instead of following it (no window between check and read).
    fd = openSync(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP' || code === 'EMLINK') return linkInfo(abs, rel, repoRoot);
    return { kind: 'error', message: (error as Error).message };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      // Where O_NOFOLLOW is not available, a link shows here.
      if (lstatSync(abs).isSymbolicLink()) return linkInfo(abs, rel, repoRoot);
      return { kind: 'error', message: `\`${rel}\` is not a regular file.` };
    }
    if (constants.O_NOFOLLOW === undefined && lstatSync(abs).isSymbolicLink()) return linkInfo(abs, rel, repoRoot);
    if (st.size > maxBytes) return { kind: 'too-large', size: st.size };
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, buf.length - at, at);
      if (n === 0) break;
      at += n;
    }
    // A file that grew meanwhile is read up to its size at open; one that shrank, to its end.
    return { kind: 'file', buf: at === buf.length ? buf : buf.subarray(0, at) };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** True when `path` is an existing directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

// ---- plain file access for the command layers ---------------------------------------------------

/** True when something exists at `path` (links followed). */
export function exists(path: string): boolean {
  return existsSync(path);
}

/** A file's text (UTF-8). Throws the file system's error when it cannot be read. */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A file's bytes. Throws the file system's error when it cannot be read. */
export function readBytes(path: string): Buffer {
  return readFileSync(path);
}

/**
 * Writes a file that is not a record (a hook script, a report, a page-data file), creating its
 * folder. Not atomic: records and derived outputs go through `writeFileAtomic`.
 */
export function writeText(path: string, text: string | Buffer, opts: { mode?: number } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, opts.mode === undefined ? undefined : { mode: opts.mode });
}

/** Appends text to a file (created when missing). */
export function appendText(path: string, text: string): void {
  appendFileSync(path, text);
}

/** Creates a folder and its parents (nothing when it exists). */
export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** Removes a file; nothing when it is already gone. */
export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/** Removes a folder and everything in it; nothing when it is already gone. */
export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Copies a file (overwriting the target). */
export function copyFile(from: string, to: string): void {
  copyFileSync(from, to);
}

/** Makes a file executable by everyone and writable by its owner (0755: hook scripts). */
export function makeExecutable(path: string): void {
  chmodSync(path, 0o755);
}

/** One entry of a folder. */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
  isSymlink: boolean;
}

/** The entries of a folder, sorted by name (links are reported, not followed); empty when it cannot be read. */
export function listDir(path: string): DirEntry[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .map((e) => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile(), isSymlink: e.isSymbolicLink() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** What a path is; undefined when nothing is there. */
export interface FileInfo {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
  isFile: boolean;
  isSymlink: boolean;
}

/** Facts about a path; `followLinks: false` describes a link itself. Undefined when it does not exist. */
export function fileInfo(path: string, opts: { followLinks?: boolean } = {}): FileInfo | undefined {
  try {
    const st = opts.followLinks === false ? lstatSync(path) : statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs, isDirectory: st.isDirectory(), isFile: st.isFile(), isSymlink: st.isSymbolicLink() };
  } catch {
    return undefined;
  }
}

/** The canonical absolute path (links resolved). Throws when it does not exist. */
export function realPath(path: string): string {
  return realpathSync(path);
}

/** Reads a file as strict UTF-8 within a size limit; returns a diagnostic when it cannot. */
export function readUtf8(abs: string, display: string, maxBytes: number): { text?: string; diagnostic?: Diagnostic } {
  try {
    const size = statSync(abs).size;
    if (size > maxBytes) return { diagnostic: diag('file/too-large', display, `The file is ${size} bytes; the limit is ${maxBytes}.`, { line: 1, column: 1 }) };
    try {
      return { text: STRICT_UTF8.decode(readFileSync(abs)) };
    } catch {
      return { diagnostic: diag('file/encoding', display, 'The file is not valid UTF-8.', { line: 1, column: 1 }) };
    }
  } catch (error) {
    return { diagnostic: diag('file/unreadable', display, (error as Error).message) };
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The installed package's root (the nearest folder with a package.json above this module: works from `scripts/` and `dist/scripts/`). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

function isInside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Resolves a repo-relative path and checks that it, and every existing folder on the way,
 * stays inside the repository once symlinks are followed. Returns the absolute path or a reason.
 */
export function safeRepoPath(repoRoot: string, rel: string): { abs?: string; reason?: string } {
  const root = realpathSync(repoRoot);
  const abs = resolve(root, rel);
  if (!isInside(root, abs)) return { reason: `\`${rel}\` resolves outside the repository.` };
  // Walk from the file up to the root: an existing entry that is a symlink must point inside.
  let cur = abs;
  while (cur !== root && isInside(root, cur)) {
    let st: Stats;
    try {
      st = lstatSync(cur);
    } catch {
      cur = dirname(cur);
      continue;
    }
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(cur);
      } catch {
        return { reason: `\`${relative(root, cur)}\` is a dangling symlink.` };
      }
      if (!isInside(root, real)) return { reason: `\`${relative(root, cur)}\` is a symlink pointing outside the repository.` };
    }
    cur = dirname(cur);
  }
  return { abs };
}
