/**
 * Edge: applies planned file changes to the knowledge base as one change (io/changeset.ts: all
 * files or, after a crash, all of them at the next start; unchanged files are not touched, so a
 * repeated run leaves Git clean).
 */
import type { Workspace } from '../core/workspace.js';
import { applyChangeSet } from '../io/changeset.js';
import type { FileChange } from '../core/learn/pattern-records.js';

/** Writes every change whose content differs from the file on disk; returns the repo-relative paths written. */
export function applyChanges(ws: Workspace, changes: readonly FileChange[]): string[] {
  return applyChangeSet(ws.kbRoot, ws.outDir, changes).map((p) => `${ws.kbPrefix}${p}`);
}
