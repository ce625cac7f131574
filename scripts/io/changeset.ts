/**
 * Writing several knowledge-base files as one change: all of them or, after a crash, all of them
 * at the next start. Each file is written atomically, but a synthesis writes a report, proposed
 * patterns and rules together; killed between two of them, the next run saw half a change and
 * wrote a different report than a run never killed. So the whole set is first written to a
 * journal in the build folder (atomically: it is there whole or not at all; named for its
 * process, so concurrent writers never share one), then the files, then the journal is removed.
 *
 * A journal whose writer is gone is finished (rolled forward) when the workspace is opened,
 * before anything reads the knowledge base, and said so. It is trusted only as far as a commit
 * would be: it writes Markdown files inside the knowledge base, nothing else, and only over
 * files that still hold what they held when the change began (a file edited, checked out or
 * pulled since is never overwritten: the journal is left and reported instead).
 */
import { createHash, randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { exists, listDir, processRuns, readText, removeFile, writeFileAtomic } from './fs.js';

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
  for (const c of changes) {
    const now = currentText(join(kbRoot, c.path));
    if (now !== c.content) todo.push({ path: c.path, content: c.content, before: now === null ? null : sha1(now) });
  }
  // One file is atomic already; a journal is for two or more.
  if (todo.length < 2) return writeFiles(kbRoot, todo);
  const journal = journalPath(outDir);
  writeFileAtomic(journal, JSON.stringify({ kbRoot: resolve(kbRoot), changes: todo } satisfies Journal));
  const written = writeFiles(kbRoot, todo);
  removeFile(journal);
  return written;
}

/** A path a journal may write: a Markdown file strictly inside the knowledge base. */
function safeTarget(kbRoot: string, path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.endsWith('.md') || path.includes('\0') || path.includes('\\') || isAbsolute(path)) return undefined;
  if (path.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return undefined;
  const abs = resolve(kbRoot, path);
  return abs.startsWith(resolve(kbRoot) + sep) ? abs : undefined;
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
  if (!j || typeof j !== 'object' || typeof j.kbRoot !== 'string' || !Array.isArray(j.changes)) return { problem: 'it is not a change journal' };
  if (resolve(j.kbRoot) !== resolve(kbRoot)) return undefined; // another knowledge base's: not ours to finish
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
  // Only over files that still hold what they held when the change began (or already the new text).
  const moved = read.changes.filter((c) => {
    const now = currentText(join(kbRoot, c.path));
    return now !== c.content && (now === null ? null : sha1(now)) !== c.before;
  });
  if (moved.length) {
    const names = moved
      .map((c) => c.path)
      .slice(0, 5)
      .join(', ');
    return diag('kb/pending-change', display, `A change a killed process left half written was not finished: ${names} changed since; nothing was written.`, { hint });
  }
  try {
    const written = writeFiles(kbRoot, read.changes);
    removeFile(file);
    if (!written.length) return undefined;
    return diag('kb/pending-change', display, `Finished a change a killed process left half written: wrote ${written.join(', ')}.`, {
      hint: 'Nothing to do: the change is whole now. Review it with `git status` / `git diff` before committing.',
    });
  } catch (error) {
    return diag('kb/pending-change', display, `A change a killed process left half written could not be finished: ${(error as Error).message}`, { hint });
  }
}

/**
 * Finishes the changes killed processes left half written (journals of running processes are
 * theirs to finish; another root's are left alone). Never throws: what it did or could not do
 * comes back as `kb/pending-change` diagnostics, `displayDir` naming the build folder.
 */
export function finishPendingChanges(kbRoot: string, outDir: string, displayDir: string = outDir): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = listDir(outDir)
    .filter((e) => e.isFile && JOURNAL_NAME.test(e.name))
    .map((e) => e.name);
  for (const name of names) {
    const pid = Number(JOURNAL_NAME.exec(name)![1]);
    if (processRuns(pid)) continue; // its writer is still at it
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
