/**
 * The records table: the normalised, validated records every later stage (recall, learning,
 * site, exports) reads. This module is the contract between stages; how the table is produced
 * (full parse or the incremental Git-keyed build) is behind `loadTable`.
 */
import type { AnyRecord, ExecutionRecord, Kind, RecordByKind } from '../records/kinds.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Workspace } from '../adapters/workspace.js';
import { checkKnowledgeBase } from '../records/check-kb.js';

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
 * Loads the records table for a workspace. Baseline implementation: a full parse and check
 * of the knowledge base (the build stage replaces it with the incremental, cached path).
 */
export function loadTable(ws: Workspace): RecordsTable {
  const check = checkKnowledgeBase(ws);
  const rows: RecordRow[] = check.records.map((r) => ({ id: r.record.id, kind: r.record.kind, file: r.file, data: r.record, body: r.body }));
  return { rows: sortRows(rows), diagnostics: check.diagnostics };
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
