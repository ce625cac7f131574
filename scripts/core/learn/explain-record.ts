/**
 * Why a record exists and what backs it, for `learning-loop explain <id>`: its statement and
 * status, the records it links to, the records that point at it, and — for anything agents
 * recall — the executions that recalled it and whether they went well (derived, never stored).
 * Pure: rows in, a plain explanation out.
 */
import type { RecordRow } from '../records/table.js';
import { executionsInOrder } from '../records/table.js';
import type { ResolvedConfig } from '../config.js';
import { recallEvidence } from './evidence.js';
import { matchingDerived } from './reflection.js';
import { fieldsOf, LINK_FIELDS, linkIds, type ExecutionRecord } from '../records/kinds.js';
import type { ExtractedPattern } from './types.js';
import { plural } from '../diagnostics/words.js';
import { markDerived, toSearchDoc, type SearchDoc } from '../recall/search-docs.js';
import { patternRow } from './derived.js';

/** What `explain` says about one record. */
export interface RecordExplanation {
  id: string;
  kind: string;
  file: string;
  title: string;
  /** The record's own words: statement, summary, root cause or task. */
  statement: string;
  status?: string;
  /** The review decision, when people decided. */
  review?: { decided_at?: string; by?: string; reason?: string };
  /** Links the record holds, by field (`from_patterns`, `evidence`, ...). */
  links: Array<{ field: string; ids: string[] }>;
  /** Records that link to this one. */
  referenced_by: string[];
  /**
   * Executions that recalled it and the like-for-like evidence (see evidence.ts): comparisons
   * with comparable executions that did not recall it, and the verdict with its p and q values.
   */
  recall: { recalled_by: string[]; helpful: number; harmful: number; verdict: 'helps' | 'harms' | 'unclear'; reason: string };
  /** For an execution: its score card. */
  score?: { overall: number; trigger: string | null; scores: Record<string, number>; computed: string[] };
  /** For an execution: the patterns and themes derived from the history it is evidence of or matches. */
  derived?: Array<{ id: string; pattern_type: string; statement: string }>;
}

/**
 * What `explain` says about derived knowledge (a pattern, theme or effect the learning engine
 * found in the history, which recall shows marked derived): it has no file, so no path; its
 * evidence is the executions it was derived from.
 */
export interface DerivedExplanation {
  id: string;
  /** `pattern` (patterns and themes) or `effect`. */
  kind: string;
  derived: true;
  path: null;
  title: string;
  statement: string;
  pattern_type?: string;
  /** Execution ids it was derived from (the newest 50). */
  evidence: string[];
  /** Support, confidence and lift of a pattern; verdict, comparisons, odds ratio, interval and p-value of an effect. */
  figures: Record<string, number | string | null>;
  /** Committed records that link to it (e.g. a rule's `from_patterns`). */
  referenced_by: string[];
}

/** The document of a derived pattern from the last learning snapshot, as recall would hold it. */
export function derivedDocOf(p: ExtractedPattern): SearchDoc {
  const row = patternRow(p, p.last_seen);
  const doc = toSearchDoc(row);
  markDerived(doc, row);
  return doc;
}

/** Explains derived knowledge from its search document (recall's derived store, or `derivedDocOf`). */
export function explainDerived(doc: SearchDoc, rows: readonly RecordRow[]): DerivedExplanation {
  const referenced_by = rows
    .filter((r) => LINK_FIELDS[r.kind].some((f) => linkIds(r.data, f).includes(doc.id)))
    .map((r) => r.id)
    .sort();
  return {
    id: doc.id,
    kind: doc.kind,
    derived: true,
    path: null,
    title: doc.title,
    statement: doc.summary,
    ...(doc.pattern_type && doc.kind === 'pattern' ? { pattern_type: doc.pattern_type } : {}),
    evidence: doc.evidence ?? [],
    figures: doc.figures ?? {},
    referenced_by,
  };
}

function figure(v: number | string | null): string {
  if (v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v >= 1e-3 ? String(Math.round(v * 1000) / 1000) : v.toExponential(2);
  return v;
}

/** The explanation of derived knowledge as text. */
export function renderDerivedExplanation(x: DerivedExplanation): string {
  const from = x.kind === 'effect' ? '`learning-loop effect`' : '`learning-loop patterns`';
  const lines = [`${x.id}  (${x.kind}${x.pattern_type && x.pattern_type !== x.kind ? `, ${x.pattern_type}` : ''}, derived from the history: not a committed record, no file)`, `  ${x.title}`];
  if (x.statement && x.statement !== x.title) lines.push(`  ${x.statement}`);
  const figures = Object.entries(x.figures);
  if (figures.length) lines.push(`  figures: ${figures.map(([k, v]) => `${k.replace(/_/g, ' ')} ${figure(v)}`).join(' · ')}`);
  lines.push(x.evidence.length ? `  evidence: ${plural(x.evidence.length, 'execution')}: ${x.evidence.join(', ')}` : '  evidence: none listed');
  if (x.referenced_by.length) lines.push(`  referenced by: ${x.referenced_by.join(', ')}`);
  lines.push(`  Found by ${from} in the execution history; it changes as the history does.`);
  return `${lines.join('\n')}\n`;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Explains the record `id` (undefined when no valid record has it). */
export function explainRecord(rows: readonly RecordRow[], id: string, config: ResolvedConfig, derived: readonly ExtractedPattern[] = []): RecordExplanation | undefined {
  const row = rows.find((r) => r.id === id);
  if (!row) return undefined;
  const d = fieldsOf(row.data);
  const links = LINK_FIELDS[row.kind].map((f) => ({ field: f.path.join('.'), ids: linkIds(d, f) })).filter((l) => l.ids.length);
  const referenced_by = rows
    .filter((r) => r.id !== id && LINK_FIELDS[r.kind].some((f) => linkIds(r.data, f).includes(id)))
    .map((r) => r.id)
    .sort();
  const ev = recallEvidence(executionsInOrder(rows), config).get(id);
  const out: RecordExplanation = {
    id,
    kind: row.kind,
    file: row.file,
    title: text(d.title) || text(d.statement) || text(d.summary) || text(d.task_id) || id,
    statement:
      text(d.statement) ||
      text(d.summary) ||
      text(d.root_cause) ||
      text(d.reason) ||
      (row.kind === 'execution' ? `${text(d.task_id)} (${text(d.task_type)}${d.component ? ` / ${text(d.component)}` : ''}, ${text(d.outcome)})` : ''),
    links,
    referenced_by,
    recall: { recalled_by: ev?.recalled_by ?? [], helpful: ev?.helpful ?? 0, harmful: ev?.harmful ?? 0, verdict: ev?.verdict ?? 'unclear', reason: ev?.reason ?? 'Not recalled yet.' },
  };
  if (typeof d.status === 'string') out.status = d.status;
  if (d.review && typeof d.review === 'object') out.review = d.review as RecordExplanation['review'];
  if (row.kind === 'execution') {
    const scores = d.scores as Record<string, number>;
    out.score = { overall: d.overall as number, trigger: (d.trigger as string | null | undefined) ?? null, scores, computed: (d.computed as string[] | undefined) ?? [] };
    const found = matchingDerived(row.data as ExecutionRecord, derived);
    if (found.length) out.derived = found.map((p) => ({ id: p.id, pattern_type: p.pattern_type, statement: p.statement }));
  }
  return out;
}

/** The explanation as text, one fact per line. */
export function renderExplanation(x: RecordExplanation): string {
  const lines = [`${x.id}  (${x.kind}${x.status ? `, ${x.status}` : ''})  ${x.file}`, `  ${x.title}`];
  if (x.statement && x.statement !== x.title) lines.push(`  ${x.statement}`);
  if (x.review) lines.push(`  review: ${[x.review.decided_at?.slice(0, 10), x.review.by, x.review.reason].filter(Boolean).join(' · ')}`);
  if (x.score)
    lines.push(
      `  score: overall ${x.score.overall} (${Object.entries(x.score.scores)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}${x.score.computed.length ? `; computed: ${x.score.computed.join(', ')}` : ''}), trigger ${x.score.trigger ?? 'none'}`,
    );
  for (const l of x.links) lines.push(`  ${l.field}: ${l.ids.join(', ')}`);
  const r = x.recall;
  if (r.recalled_by.length) {
    lines.push(`  evidence: recalled by ${plural(r.recalled_by.length, 'execution')} (${r.recalled_by.slice(0, 8).join(', ')}${r.recalled_by.length > 8 ? ', …' : ''})`);
    lines.push(`  like for like: ${r.verdict} — ${r.reason}`);
  } else if (x.kind !== 'execution') lines.push('  evidence: no execution has recalled it yet');
  if (x.referenced_by.length) lines.push(`  referenced by: ${x.referenced_by.join(', ')}`);
  for (const p of x.derived ?? []) lines.push(`  ${p.pattern_type} pattern (derived from the history) ${p.id}: ${p.statement}`);
  return `${lines.join('\n')}\n`;
}
