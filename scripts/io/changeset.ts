/**
 * Writing several knowledge-base files as one change: all of them or, after a crash, all of them
 * at the next start. Each file is written atomically, but a synthesis writes a report, proposed
 * patterns and rules together; killed between two of them, the next run saw half a change and
 * wrote a different report than a run never killed. So the whole set is first written to a
 * journal in the build folder (atomically: it is there whole or not at all), then the files, then
 * the journal is removed. A journal found when the workspace is opened is finished (rolled
 * forward) before anything reads the knowledge base.
 */
import { join } from 'node:path';
import { exists, readText, removeFile, writeFileAtomic } from './fs.js';

/** One file of a change: its path relative to the knowledge-base root and its new content. */
export interface ChangedFile {
  path: string;
  content: string;
}

interface Journal {
  /** The knowledge base the change is for (a journal of another root is left alone). */
  kbRoot: string;
  changes: ChangedFile[];
}

/** Where a workspace's unfinished change is kept. */
export function journalPath(outDir: string): string {
  return join(outDir, 'pending-change.json');
}

/** Writes the files whose content differs; returns the KB-relative paths written. */
function writeFiles(kbRoot: string, changes: readonly ChangedFile[]): string[] {
  const written: string[] = [];
  for (const c of changes) {
    const abs = join(kbRoot, c.path);
    if (exists(abs) && readText(abs) === c.content) continue;
    writeFileAtomic(abs, c.content);
    written.push(c.path);
  }
  return written;
}

/**
 * Applies a change to the knowledge base: every file whose content differs is written; unchanged
 * files are not touched (a repeated run leaves Git clean). Returns the KB-relative paths written.
 */
export function applyChangeSet(kbRoot: string, outDir: string, changes: readonly ChangedFile[]): string[] {
  const todo = changes.filter((c) => {
    const abs = join(kbRoot, c.path);
    return !(exists(abs) && readText(abs) === c.content);
  });
  // One file is atomic already; a journal is for two or more.
  if (todo.length < 2) return writeFiles(kbRoot, todo);
  const journal = journalPath(outDir);
  writeFileAtomic(journal, JSON.stringify({ kbRoot, changes: todo } satisfies Journal));
  const written = writeFiles(kbRoot, todo);
  removeFile(journal);
  return written;
}

/**
 * Finishes a change a killed process left half written (no-op when there is none, or when it
 * belongs to another knowledge-base root). Returns the KB-relative paths it wrote.
 */
export function finishPendingChange(kbRoot: string, outDir: string): string[] {
  const journal = journalPath(outDir);
  if (!exists(journal)) return [];
  let pending: Journal;
  try {
    pending = JSON.parse(readText(journal)) as Journal;
  } catch {
    return []; // not ours to interpret: left for a person (it never holds a partial change: it is written atomically)
  }
  if (pending.kbRoot !== kbRoot || !Array.isArray(pending.changes)) return [];
  const written = writeFiles(kbRoot, pending.changes);
  removeFile(journal);
  return written;
}
