/**
 * Search documents: the display-ready view of a record (short: title, summary, action, facets)
 * that recall shows, and the full text it is found by. What is *shown* is clipped; what is
 * *searched* is everything the record says: every text field of its frontmatter and its whole
 * Markdown body (`indexText`).
 */
import type { RecordRow } from '../records/table.js';
import type { Kind, RecordByKind } from '../records/kinds.js';
import { EFFECT_TYPE } from '../learn/derived.js';

/** One searchable document. Field names are short because the recall store holds 100k of them. */
export interface SearchDoc {
  id: string;
  kind: string;
  /** Repo-relative path of the record file. */
  file: string;
  title: string;
  /** One-paragraph summary: what happened / the statement. */
  summary: string;
  /** The actionable part: rule statement, root cause, template steps, fix. */
  action?: string;
  status?: string;
  outcome?: string;
  component?: string;
  task_type?: string;
  agent?: string;
  domains: string[];
  tags: string[];
  /** started_at for executions, created_at otherwise. */
  date: string;
  overall?: number;
  category?: string;
  pattern_type?: string;
  /** Error messages (executions). */
  errors?: string[];
  /** Linked ids (reflections of an execution, evidence of a pattern, ...). */
  links?: string[];
  /** Components and task types a rule/template applies to. */
  applies?: string[];
  /** Found by the learning engine in the history (a derived pattern, theme or effect), not committed. */
  derived?: boolean;
  /** Derived records: the executions behind them (the newest 50). */
  evidence?: string[];
  /** Derived records: their figures (support, confidence, lift; or an effect's verdict, odds ratio, interval, p-value). */
  figures?: Record<string, number | string | null>;
}

/**
 * The outcome a pattern stands for, so an outcome in the question ("patterns that worked",
 * "what failed") reads patterns as it reads executions: a theme is a recurring failure cause, a
 * dependency pattern goes with failures or surprises, a gotcha is a pitfall. Seed and performance
 * patterns have none.
 */
const PATTERN_OUTCOME: Readonly<Record<string, 'success' | 'failure'>> = { success: 'success', failure: 'failure', gotcha: 'failure', theme: 'failure', dependency: 'failure' };

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

function clip(s: string | undefined, n: number): string {
  if (!s) return '';
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

function bodyLead(body: string, n: number): string {
  // Skip headings and empty lines; the first prose is the best summary of a hand-written body.
  const lines = body.split('\n').filter((l) => l.trim() && !/^\s*#/.test(l) && !/^\s*<!--/.test(l));
  return clip(lines.join(' ').replace(/[*_`>]/g, ''), n);
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** What one kind of record puts in its search document (title, summary, action, links…): recall's fields, per kind. */
type SearchFields<K extends Kind> = (r: RecordByKind[K], base: SearchDoc, body: string) => void;

const SEARCH_FIELDS: { [K in Kind]: SearchFields<K> } = {
  execution(r, base, body) {
    base.title ||= `${r.task_type}${r.component ? ` ${r.component}` : ''}: ${r.task_id}`;
    base.outcome = r.outcome;
    if (r.component) base.component = r.component;
    base.task_type = r.task_type;
    base.agent = r.agent;
    base.date = r.started_at;
    base.overall = r.overall;
    const post = [...(r.post?.outcomes ?? []), ...(r.post?.deviations ?? []), ...(r.post?.discoveries ?? [])];
    base.summary = clip(post.join(' ') || bodyLead(body, 300), 300);
    if (r.errors?.length) base.errors = r.errors.slice(0, 5).map((e) => clip(e, 200));
  },
  reflection(r, base, body) {
    base.title ||= `${r.reflection_type.replace(/_/g, ' ')} (${r.executions.length} execution${r.executions.length === 1 ? '' : 's'})`;
    base.summary = clip(r.reason || bodyLead(body, 300), 300);
    if (r.root_cause) base.action = clip(r.root_cause, 400);
    else if (r.actions?.length) base.action = clip(r.actions.join('; '), 400);
    base.links = [...r.executions];
  },
  pattern(r, base, _body) {
    base.title ||= clip(r.statement, 200);
    base.summary = clip(r.statement, 400);
    base.category = r.category;
    base.pattern_type = r.pattern_type;
    if (PATTERN_OUTCOME[r.pattern_type]) base.outcome = PATTERN_OUTCOME[r.pattern_type];
    // An effect of memory is a measurement, not a pattern: "patterns that worked" never lists it.
    if ((r.pattern_type as string) === EFFECT_TYPE) base.kind = 'effect';
    if (r.domain) base.domains = [...new Set([r.domain, ...base.domains])];
    if (r.evidence?.length) base.links = r.evidence.slice(0, 20);
    const defn = r.definition
      ? Object.values(r.definition)
          .flat()
          .filter((v) => typeof v === 'string')
      : [];
    base.applies = defn as string[];
  },
  template(r, base, _body) {
    base.title ||= clip(r.summary, 200);
    base.summary = clip(r.summary, 400);
    if (r.steps?.length) base.action = clip(r.steps.map((s, i) => `${i + 1}. ${s}`).join(' '), 400);
    if (r.component) base.component = r.component;
    if (r.task_type) base.task_type = r.task_type;
    base.applies = [r.component, r.task_type].filter((x): x is string => Boolean(x));
    if (r.source_executions?.length) base.links = r.source_executions.slice(0, 20);
  },
  rule(r, base, _body) {
    base.title ||= clip(r.statement, 200);
    base.summary = clip(r.statement, 400);
    base.action = clip(r.statement, 400);
    base.applies = [...(r.applies_to?.components ?? []), ...(r.applies_to?.task_types ?? [])];
    if (r.topic) base.tags = [...new Set([r.topic, ...base.tags])];
  },
  assumption(r, base, _body) {
    const items = r.assumptions ?? [];
    base.title ||= clip(r.statement ?? items[0]?.statement ?? r.id, 200);
    base.summary = clip(r.statement ?? items.map((a) => a.statement).join(' '), 400);
    base.applies = [...(r.components ?? []), ...items.flatMap((a) => a.components ?? [])];
  },
  synthesis(r, base, body) {
    base.title ||= `${r.period === 'week' ? 'Weekly' : 'Monthly'} synthesis ${r.period_label ?? r.period_start}`;
    base.summary = clip((r.flags ?? []).join(' ') || bodyLead(body, 300), 300);
  },
  metrics(r, base, body) {
    base.title ||= `Metrics ${r.period_start} to ${r.period_end}`;
    base.summary = clip(bodyLead(body, 300), 300);
  },
};

/**
 * Builds the search document of a row. `reflectionsByExecution` links executions to the
 * reflections about them, so recall can show a root cause next to the failure.
 */
export function toSearchDoc(row: RecordRow): SearchDoc {
  const d = row.data as unknown as Record<string, unknown>;
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
  (SEARCH_FIELDS[row.data.kind] as SearchFields<Kind>)(row.data as never, base, row.body);
  return base;
}

/**
 * Marks the search document of a derived record (a pattern, theme or effect the learning engine
 * found): no review status, and its evidence and figures (its `derived` field, see
 * learn/derived.ts) kept for `recall --json` and `explain`.
 */
export function markDerived(doc: SearchDoc, row: RecordRow): void {
  const facts = (row.data as unknown as Record<string, unknown>).derived as { evidence?: unknown; figures?: unknown } | undefined;
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
  const d = row.data as unknown as Record<string, unknown>;
  const lead: string[] = [doc.summary, doc.action ?? ''];
  for (const k of ['statement', 'summary', 'reason', 'root_cause'] as const) if (typeof d[k] === 'string' && !lead.includes(d[k] as string)) lead.push(d[k] as string);
  if (row.data.kind === 'execution') for (const e of row.data.errors ?? []) lead.push(e);
  const rest: string[] = [];
  for (const [k, v] of Object.entries(d)) if (!NOT_TEXT.has(k)) collectText(v, rest, 0);
  rest.push(row.body);
  return { title: doc.title, lead: lead.filter(Boolean).join('\n'), rest: rest.join('\n') };
}
