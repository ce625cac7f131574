/**
 * The records table: the normalised, validated records every later stage (recall, learning,
 * site, exports) reads. This module is the contract between stages; how the table is produced
 * (full parse or the incremental Git-keyed build) is behind `loadTable`.
 */
import type { AnyRecord, ExecutionRecord, Kind, RecordByKind } from '../core/records/kinds.js';
import type { Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { Workspace } from '../io/workspace.js';
import { refreshTable, type RefreshOptions } from './incremental.js';

/** One valid record with its location and Markdown body. */
export interface RecordRow<R extends AnyRecord = AnyRecord> {
  id: string;
  kind: R['kind'];
  /** Repo-relative path (POSIX). */
  file: string;
  /** The frontmatter, validated against the kind's schema. */
  data: R;
  /** Markdown body (untrusted agent text: sanitise before rendering as HTML). */
  body: string;
}

/** All valid records plus the diagnostics found while loading. Rows sorted by (kind, id). */
export interface RecordsTable {
  rows: RecordRow[];
  diagnostics: Diagnostic[];
}

/** Stable row order: kind, then id. */
export function sortRows<T extends RecordRow>(rows: T[]): T[] {
  return rows.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Loads the records table for a workspace: the same rows and diagnostics as a full
 * `checkKnowledgeBase`, served from the Git-blob-keyed cache in `ws.outDir/cache` so only files
 * that changed since the last run are parsed (and the cache is refreshed as a side effect).
 */
export function loadTable(ws: Workspace, opts: RefreshOptions = {}): RecordsTable {
  const r = refreshTable(ws, opts);
  return { rows: r.rows, diagnostics: r.diagnostics };
}

/** Rows of one kind, typed. */
export function rowsOf<K extends Kind>(table: RecordsTable | readonly RecordRow[], kind: K): Array<RecordRow<RecordByKind[K]>> {
  const rows = Array.isArray(table) ? table : (table as RecordsTable).rows;
  return (rows as RecordRow[]).filter((r) => r.kind === kind) as Array<RecordRow<RecordByKind[K]>>;
}

/** Executions in time order (started_at, then id). */
export function executionsInOrder(table: RecordsTable | readonly RecordRow[]): ExecutionRecord[] {
  return rowsOf(table, 'execution')
    .map((r) => r.data)
    .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
