/**
 * Loads the records table (core/records/table.ts) from the incremental, Git-keyed build.
 */
import type { Workspace } from '../core/workspace.js';
import type { RecordsTable } from '../core/records/table.js';
import { refreshTable, type RefreshOptions } from './incremental.js';

/**
 * Loads the records table for a workspace: the same rows and diagnostics as a full
 * `checkKnowledgeBase`, served from the Git-blob-keyed cache in `ws.outDir/cache` so only files
 * that changed since the last run are parsed (and the cache is refreshed as a side effect).
 */
export function loadTable(ws: Workspace, opts: RefreshOptions = {}): RecordsTable {
  const r = refreshTable(ws, opts);
  return { rows: r.rows, diagnostics: r.diagnostics };
}
