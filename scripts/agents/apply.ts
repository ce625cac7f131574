/**
 * Edge: applies planned file changes to the knowledge base (atomic writes; unchanged files are
 * not touched, so a repeated run leaves Git clean).
 */
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { exists, readText, writeFileAtomic } from '../io/fs.js';
import type { FileChange } from '../core/learn/pattern-records.js';

/** Writes every change whose content differs from the file on disk; returns the repo-relative paths written. */
export function applyChanges(ws: Workspace, changes: readonly FileChange[]): string[] {
  const written: string[] = [];
  for (const c of changes) {
    const abs = join(ws.kbRoot, c.path);
    if (exists(abs) && readText(abs) === c.content) continue;
    writeFileAtomic(abs, c.content);
    written.push(`${ws.kbPrefix}${c.path}`);
  }
  return written;
}
