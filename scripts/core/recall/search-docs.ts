/**
 * Search documents: the display-ready view of a record (short: title, summary, action, facets)
 * that recall shows, and the full text it is found by. What is *shown* is clipped; what is
 * *searched* is everything the record says: every text field of its frontmatter and its whole
 * Markdown body (`indexText`).
 */
import type { RecordRow } from '../records/table.js';
import { fieldsOf, kindModule } from '../records/kinds.js';
import { clip } from '../kinds/contract.js';
import type { SearchDoc } from './search-doc.js';

export type { SearchDoc } from './search-doc.js';

/**
 * The text a record is found by, in three weighted fields (BM25F-style, see recall/terms.ts):
 * the title; the lead (summary, statement, action, root cause, errors); and the rest (every
 * other text value of the frontmatter, at any depth, and the whole body). Nothing is clipped.
 */
export interface IndexText {
  title: string;
  lead: string;
  rest: string;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Builds the search document of a row: the fields every record has, then its kind's own. */
export function toSearchDoc(row: RecordRow): SearchDoc {
  const d = fieldsOf(row.data);
  const base: SearchDoc = {
    id: row.id,
    kind: row.kind,
    file: row.file,
    title: clip(typeof d.title === 'string' ? d.title : '', 200),
    summary: '',
    domains: list(d.domains),
    tags: list(d.tags),
    date: String(d.created_at ?? ''),
  };
  if (typeof d.status === 'string') base.status = d.status;
  // The kind's own fields: its module says what recall shows of it (kinds/<kind>.ts).
  kindModule(row.data.kind).search(row.data as never, base, row.body);
  return base;
}

/**
 * Marks the search document of a derived record (a pattern, theme or effect the learning engine
 * found): no review status, and its evidence and figures (its `derived` field, see
 * learn/derived.ts) kept for `recall --json` and `explain`.
 */
export function markDerived(doc: SearchDoc, row: RecordRow): void {
  const facts = fieldsOf(row.data).derived as { evidence?: unknown; figures?: unknown } | undefined;
  doc.derived = true;
  delete doc.status;
  const evidence = list(facts?.evidence);
  if (evidence.length) {
    doc.evidence = evidence;
    delete doc.links; // the first 20 of the same ids
  }
  if (facts?.figures && typeof facts.figures === 'object') doc.figures = { ...(facts.figures as Record<string, number | string | null>) };
}

// Frontmatter keys whose values are not words to search: machine values, dates and the fields
// already in the title or lead (counted there with their own weight).
const NOT_TEXT = new Set([
  'kind',
  'created_at',
  'started_at',
  'status',
  'outcome',
  'overall',
  'trigger',
  'computed',
  'scores',
  'duration_s',
  'exit_code',
  'commit',
  'usage',
  'title',
  'statement',
  'summary',
  'reason',
  'root_cause',
  'derived',
]);

function collectText(value: unknown, out: string[], depth: number): void {
  if (depth > 20) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectText(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectText(v, out, depth + 1);
}

/** Everything a record says, in the three weighted fields recall indexes (see `IndexText`). */
export function indexText(row: RecordRow, doc: SearchDoc): IndexText {
  const d = fieldsOf(row.data);
  const lead: string[] = [doc.summary, doc.action ?? ''];
  for (const k of ['statement', 'summary', 'reason', 'root_cause'] as const) if (typeof d[k] === 'string' && !lead.includes(d[k] as string)) lead.push(d[k] as string);
  if (row.data.kind === 'execution') for (const e of row.data.errors ?? []) lead.push(e);
  const rest: string[] = [];
  for (const [k, v] of Object.entries(d)) if (!NOT_TEXT.has(k)) collectText(v, rest, 0);
  rest.push(row.body);
  return { title: doc.title, lead: lead.filter(Boolean).join('\n'), rest: rest.join('\n') };
}
