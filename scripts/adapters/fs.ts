/**
 * Filesystem adapter: atomic writes (temp file + rename/link) so a crash or a concurrent agent
 * never leaves a half-written record, and "never overwrite" is enforced by the OS, not a race.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink } from 'node:fs/promises';

function tempPath(target: string): string {
  return join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
}

function writeTemp(target: string, content: string | Buffer): string {
  mkdirSync(dirname(target), { recursive: true });
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
