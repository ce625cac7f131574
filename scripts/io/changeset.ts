/**
 * Writing several knowledge-base files as one change: all of them or, after a crash, all of them
 * at the next start. Each file is written atomically, but a synthesis writes a report, proposed
 * patterns and rules together; killed between two of them, the next run saw half a change and
 * wrote a different report than a run never killed. So the whole set is first written to a
 * journal in the build folder (atomically: it is there whole or not at all; named for its
 * process, so concurrent writers never share one), then the files, then the journal is removed.
 *
 * A journal whose writer is gone (killed, or failed half way) is finished (rolled forward) when
 * the workspace is opened, before anything reads the knowledge base, and said so. It is trusted
 * only as far as a commit would be: it writes Markdown files inside the knowledge base (no path
 * out of it, no symbolic link on the way), nothing else, and only over files whose content is
 * what it was when the change began (a file edited or pulled since is not overwritten: the
 * journal is left and reported instead).
 */
import { createHash, randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { exists, fileInfo, listDir, processRuns, readText, realPath, removeFile, safeRepoPath, STALE_TEMP_MS, writeFileAtomic } from './fs.js';

/** One file of a change: its path relative to the knowledge-base root and its new content. */
export interface ChangedFile {
  path: string;
  content: string;
}

interface JournalEntry extends ChangedFile {
  /** sha1 of what the file held when the change began; null when it did not exist. */
  before: string | null;
}

interface Journal {
  /** The knowledge base the change is for (a journal of another root is left alone). */
  kbRoot: string;
  changes: JournalEntry[];
}

const JOURNAL_NAME = /^pending-change-(\d+)-[0-9a-f]{8}\.json$/;

/** A new journal's path in the build folder: named for this process, unique. */
export function journalPath(outDir: string, pid = process.pid): string {
  return join(outDir, `pending-change-${pid}-${randomBytes(4).toString('hex')}.json`);
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function currentText(abs: string): string | null {
  return exists(abs) ? readText(abs) : null;
}

/** Writes the files whose content differs; returns the KB-relative paths written. */
function writeFiles(kbRoot: string, changes: readonly ChangedFile[]): string[] {
  const written: string[] = [];
  for (const c of changes) {
    const abs = join(kbRoot, c.path);
    if (currentText(abs) === c.content) continue;
    writeFileAtomic(abs, c.content);
    written.push(c.path);
  }
  return written;
}

/**
 * Applies a change to the knowledge base: every file whose content differs is written; unchanged
 * files are not touched (a repeated run leaves Git clean). Returns the KB-relative paths written.
 * A write that fails leaves the journal, so the next start finishes the change (or says why not).
 */
export function applyChangeSet(kbRoot: string, outDir: string, changes: readonly ChangedFile[]): string[] {
  const todo: JournalEntry[] = [];
  // One entry per file, the last one winning: a journal with two entries for one file could
  // never be finished (the second entry's `before` is the first one's result).
  const last = new Map(changes.map((c) => [c.path, c]));
  for (const c of last.values()) {
    const now = currentText(join(kbRoot, c.path));
    if (now !== c.content) todo.push({ path: c.path, content: c.content, before: now === null ? null : sha1(now) });
  }
  // One file is atomic already; a journal is for two or more.
  if (todo.length < 2) return writeFiles(kbRoot, todo);
  const journal = journalPath(outDir);
  writeFileAtomic(journal, JSON.stringify({ kbRoot: realOrResolved(kbRoot), changes: todo } satisfies Journal));
  const written = writeFiles(kbRoot, todo);
  removeFile(journal);
  return written;
}

/** A folder's real path (symbolic links resolved), or the resolved one when it does not exist. */
function realOrResolved(dir: string): string {
  try {
    return realPath(dir);
  } catch {
    return resolve(dir);
  }
}

/** A path a journal may write: a Markdown file strictly inside the knowledge base, with no symbolic link on the way. */
function safeTarget(kbRoot: string, path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.endsWith('.md') || path.includes('\0') || path.includes('\\') || isAbsolute(path)) return undefined;
  if (path.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return undefined;
  const abs = resolve(kbRoot, path);
  if (!abs.startsWith(resolve(kbRoot) + sep)) return undefined;
  // A link inside the knowledge base could lead the write anywhere: refuse any link on the way.
  if (!exists(kbRoot) || !safeRepoPath(kbRoot, path).abs) return undefined;
  let cur = path;
  while (cur.includes('/')) {
    cur = cur.slice(0, cur.lastIndexOf('/'));
    if (fileInfo(join(kbRoot, cur), { followLinks: false })?.isSymlink) return undefined;
  }
  return fileInfo(abs, { followLinks: false })?.isSymlink ? undefined : abs;
}

/** The journal's changes when it is well formed and every path is one it may write. */
function readJournal(text: string, kbRoot: string): { changes: JournalEntry[] } | { problem: string } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  const j = data as Partial<Journal> | null;
  if (!j || typeof j !== 'object' || typeof j.kbRoot !== 'string' || !isAbsolute(j.kbRoot) || !Array.isArray(j.changes)) return { problem: 'it is not a change journal' };
  if (realOrResolved(j.kbRoot) !== realOrResolved(kbRoot)) return undefined; // another knowledge base's: not ours to finish
  for (const c of j.changes as unknown[]) {
    const e = c as Partial<JournalEntry> | null;
    if (!e || typeof e.content !== 'string' || !(e.before === null || typeof e.before === 'string')) return { problem: 'an entry is malformed' };
    if (!safeTarget(kbRoot, e.path)) return { problem: `it names \`${String(e.path)}\`, which is not a Markdown file inside the knowledge base` };
  }
  return { changes: j.changes as JournalEntry[] };
}

/** Finishes one journal; what to say about it. */
function finishOne(kbRoot: string, file: string, display: string): Diagnostic | undefined {
  const read = readJournal(readText(file), kbRoot);
  if (!read) return undefined;
  const hint = `Compare it with the knowledge base, then remove ${display} (the change is discarded) or run the command that made it again.`;
  if ('problem' in read) return diag('kb/pending-change', display, `An unfinished change was left here, but ${read.problem}; nothing was written and it was left in place.`, { hint });
  const list = (paths: string[]): string => `${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`;
  // Only over files that still hold what they held when the change began (or already the new text).
  const moved = read.changes.filter((c) => {
    const now = currentText(join(kbRoot, c.path));
    return now !== c.content && (now === null ? null : sha1(now)) !== c.before;
  });
  if (moved.length) {
    return diag(
      'kb/pending-change',
      display,
      `A change its writer left unfinished (killed, or failed half way) was not finished: ${list(moved.map((c) => c.path))} changed since; nothing was written.`,
      { hint },
    );
  }
  try {
    const written = writeFiles(kbRoot, read.changes);
    removeFile(file);
    if (!written.length) return undefined;
    return diag('kb/pending-change', display, `Finished a change its writer left unfinished (killed, or failed half way): wrote ${list(written)}.`, {
      hint: 'Nothing to do: the change is whole now. Review it with `git status` / `git diff` before committing.',
    });
  } catch (error) {
    return diag('kb/pending-change', display, `A change its writer left unfinished could not be finished: ${(error as Error).message}`, { hint });
  }
}

/** This process's start, for telling its own journals from a dead namesake's (process ids are reused). */
const STARTED_MS = Date.now() - process.uptime() * 1000;

/**
 * Whether a journal's writer is gone: no process has its id, or the journal is older than this
 * process while naming this process's id (a container or a reboot hands ids out again), or it is
 * older than any change takes.
 */
function writerGone(file: string, pid: number): boolean {
  const mtime = fileInfo(file)?.mtimeMs;
  if (mtime === undefined) return false;
  if (Date.now() - mtime > STALE_TEMP_MS) return true;
  if (pid === process.pid) return mtime < STARTED_MS;
  return !processRuns(pid);
}

/**
 * Finishes the changes their writers left unfinished (journals of running processes are
 * theirs to finish; another root's are left alone). Never throws: what it did or could not do
 * comes back as `kb/pending-change` diagnostics, `displayDir` naming the build folder.
 */
export function finishPendingChanges(kbRoot: string, outDir: string, displayDir: string = outDir): Diagnostic[] {
  const out: Diagnostic[] = [];
  try {
    return finishAll(kbRoot, outDir, displayDir, out);
  } finally {
    unreported.push(...out);
  }
}

/** What finishing journals said in this process and nobody has shown yet (see takeRecoveryReport). */
const unreported: Diagnostic[] = [];

/**
 * What finishing journals said since the last call, once: an entry point shows it whatever
 * command ran and however it opened the workspace.
 */
export function takeRecoveryReport(): Diagnostic[] {
  return unreported.splice(0);
}

function finishAll(kbRoot: string, outDir: string, displayDir: string, out: Diagnostic[]): Diagnostic[] {
  const names = listDir(outDir)
    .filter((e) => e.isFile && JOURNAL_NAME.test(e.name))
    .map((e) => e.name);
  for (const name of names) {
    if (!writerGone(join(outDir, name), Number(JOURNAL_NAME.exec(name)![1]))) continue; // its writer is still at it
    try {
      const d = finishOne(kbRoot, join(outDir, name), `${displayDir}/${name}`);
      if (d) out.push(d);
    } catch (error) {
      // Gone meanwhile: another command finished it at the same moment.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      out.push(diag('kb/pending-change', `${displayDir}/${name}`, `An unfinished change could not be read: ${(error as Error).message}`));
    }
  }
  return out;
}
