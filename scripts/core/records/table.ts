/**
 * The records table: the normalised, validated records every later stage (recall, learning,
 * site, exports) reads. This module is the contract between stages; how the table is produced
 * (the incremental Git-keyed build) is the derived index's business (`openIndex(ws).table()`).
 */
import type { AnyRecord, ExecutionRecord, Kind, RecordByKind } from './kinds.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

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
