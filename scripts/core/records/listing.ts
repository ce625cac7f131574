/**
 * Reading the memory record by record, for `show`, `list` and `status`: one summary line per
 * record, filters by kind, status and date. Pure: rows in, rows out.
 */
import { fieldsOf } from './kinds.js';
import type { RecordRow } from './table.js';

/** One record as `list` shows it. */
export interface RecordSummary {
  id: string;
  kind: string;
  status?: string;
  /** The record's date: `started_at` for an execution, else `created_at` (ISO). */
  date: string;
  title: string;
  file: string;
}

/** Filters for {@link listRecords}; every one given must hold. */
export interface ListFilter {
  kinds?: readonly string[];
  statuses?: readonly string[];
  /** ISO time: records dated at or after it. */
  since?: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The summary line of a record. */
export function summarize(row: RecordRow): RecordSummary {
  const d = fieldsOf(row.data);
  const raw = str(d.title) || str(d.statement) || str(d.summary) || str(d.task_id) || str(d.period_label) || row.id;
  const title = raw.replace(/\s+/g, ' ').trim();
  const out: RecordSummary = { id: row.id, kind: row.kind, date: str(d.started_at) || str(d.created_at), title: title.length > 100 ? `${title.slice(0, 99)}…` : title, file: row.file };
  if (typeof d.status === 'string') out.status = d.status;
  return out;
}

/** Records matching the filter, newest first (then by id), as summaries. */
export function listRecords(rows: readonly RecordRow[], filter: ListFilter = {}): RecordSummary[] {
  const since = filter.since ? Date.parse(filter.since) : undefined;
  return rows
    .map(summarize)
    .filter((s) => !filter.kinds?.length || filter.kinds.includes(s.kind))
    .filter((s) => !filter.statuses?.length || (s.status !== undefined && filter.statuses.includes(s.status)))
    .filter((s) => since === undefined || Date.parse(s.date) >= since)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Parses `--since`: a date (`2026-11-01`), a time with a zone, or a span back from `now`
 * (`12h`, `7d`, `2w`). Returns the ISO time, or undefined when the value is none of these.
 */
export function parseSince(value: string, now: Date): string | undefined {
  const span = /^(\d{1,5})([hdw])$/.exec(value.trim());
  if (span) {
    const hours = Number(span[1]) * { h: 1, d: 24, w: 168 }[span[2] as 'h' | 'd' | 'w'];
    return new Date(now.getTime() - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return `${value}T00:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  return undefined;
}
