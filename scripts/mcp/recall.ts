/**
 * Compact rows for the MCP `recall` and `similar` tools: one line per record (id, kind,
 * insight, why it matched). The answers come from the recall engine (`scripts/core/recall/`) over the
 * build folder; when that cannot be used (e.g. the build folder is not writable) the same engine
 * answers over a store built in memory from the records table, so the order is the same.
 */
import type { Workspace } from '../core/workspace.js';
import type { RecordRow } from '../core/records/table.js';
import { fieldsOf, type ExecutionRecord } from '../core/records/kinds.js';
import { answer, type Insight } from '../core/recall/answer.js';
import { openIndex } from '../index/api.js';
import { storeOfRows } from '../core/recall/memory.js';
import { analyze } from '../core/recall/terms.js';

/** One compact answer row (tens of tokens). */
export interface CompactRow {
  id: string;
  kind: string;
  insight: string;
  why: string;
  /** Derived from the history by the learning engine (a pattern, theme or effect): not a record, not for `recalled`. */
  derived?: true;
}

function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The one-line insight of a record. */
export function insightOf(row: RecordRow): string {
  const d = fieldsOf(row.data);
  if (row.kind === 'execution') {
    const e = row.data as ExecutionRecord;
    const err = e.errors?.[0] ? `; error: ${e.errors[0]}` : '';
    return clip(`${e.outcome} ${e.task_type}${e.component ? ` on ${e.component}` : ''} by ${e.agent}, overall ${e.overall}${err}`);
  }
  const text = d.statement ?? d.summary ?? d.title ?? d.description;
  if (typeof text === 'string' && text.trim()) return clip(`${typeof d.status === 'string' ? `[${d.status}] ` : ''}${text}`);
  const first = row.body.split('\n').find((l) => l.trim() && !l.startsWith('#'));
  return clip(first ?? row.id);
}

/** One recall-engine insight as a compact row. */
export function rowFromInsight(i: Insight): CompactRow {
  let line: string;
  if (i.kind === 'execution') {
    const err = i.errors?.[0] ? `; error: ${i.errors[0]}` : '';
    const cause = i.root_cause ? `; root cause: ${i.root_cause.text}` : '';
    line = `${i.outcome ?? ''} ${i.task_type ?? ''}${i.component ? ` on ${i.component}` : ''}${i.agent ? ` by ${i.agent}` : ''}${i.overall !== undefined ? `, overall ${i.overall}` : ''}${err}${cause}`;
  } else line = `${i.proposed ? '[proposed] ' : ''}${i.action ?? i.what ?? i.title}`;
  return { id: i.id, kind: i.kind, insight: clip(line.trim() || i.title), why: clip(i.why.join('; ') || 'matched the question', 120), ...(i.derived ? { derived: true as const } : {}) };
}

/** Ranked compact rows for a question: the recall engine, or the local ranker as a fallback. */
export async function recallRows(ws: Workspace, rows: readonly RecordRow[], question: string, max: number): Promise<CompactRow[]> {
  try {
    const a = await openIndex(ws).recall(question, { limit: max, budget: 20_000 });
    return a.insights.map(rowFromInsight);
  } catch {
    return localRecallRows(rows, question, max);
  }
}

/** The same engine over a store built in memory from the records (no build folder needed). */
export function localRecallRows(rows: readonly RecordRow[], question: string, max: number): CompactRow[] {
  return answer(storeOfRows(rows), question, { limit: max, budget: 20_000 }).insights.map(rowFromInsight);
}

/** Past executions (and the guidance that applies) for a task, as compact rows. */
export async function similarTaskRows(ws: Workspace, rows: readonly RecordRow[], q: SimilarQuery, max: number): Promise<CompactRow[]> {
  if (q.task_type) {
    try {
      const r = await openIndex(ws).similar({ type: q.task_type, ...(q.component ? { component: q.component } : {}), ...(q.domains ? { domains: q.domains } : {}) }, { limit: max });
      const out: CompactRow[] = r.executions.map((e) => ({
        id: e.id,
        kind: 'execution',
        insight: clip(
          `${e.outcome ?? ''} ${e.task_type ?? ''}${e.component ? ` on ${e.component}` : ''}${e.overall !== undefined ? `, overall ${e.overall}` : ''}${e.errors?.[0] ? `; error: ${e.errors[0]}` : ''}`.trim() ||
            e.title,
        ),
        why: `similarity ${e.similarity.toFixed(2)}${e.component && e.component === q.component ? `; same component ${e.component}` : ''}${e.task_type === q.task_type ? `; same task_type ${e.task_type}` : ''}`,
      }));
      for (const g of r.guidance)
        out.push({
          id: g.id,
          kind: g.kind,
          insight: clip(`${g.status && g.status !== 'accepted' ? `[${g.status}] ` : ''}${g.text}`),
          why: 'applies to this kind of task',
          ...(g.derived ? { derived: true as const } : {}),
        });
      return out;
    } catch {
      // fall through to the local ranker
    }
  }
  return similarRows(rows, q);
}

/** What `similar` compares on. */
export interface SimilarQuery {
  task_type?: string;
  component?: string;
  domains?: string[];
  description?: string;
}

/** Past executions comparable to a task, best first (deterministic). */
export function similarRows(rows: readonly RecordRow[], q: SimilarQuery): CompactRow[] {
  const words = new Set(analyze(q.description ?? ''));
  const out: Array<{ row: RecordRow; score: number; why: string[] }> = [];
  for (const row of rows) {
    if (row.kind !== 'execution') continue;
    const e = row.data as ExecutionRecord;
    const why: string[] = [];
    let score = 0;
    if (q.task_type && e.task_type === q.task_type) {
      score += 3;
      why.push(`same task_type ${e.task_type}`);
    }
    if (q.component && e.component === q.component) {
      score += 4;
      why.push(`same component ${e.component}`);
    }
    const shared = (q.domains ?? []).filter((d) => (e.domains ?? []).includes(d));
    if (shared.length) {
      score += 2 * shared.length;
      why.push(`shared domains ${shared.join(', ')}`);
    }
    if (words.size) {
      const have = new Set(analyze(`${e.task_id} ${(e.errors ?? []).join(' ')} ${row.body}`));
      const hit = [...words].filter((w) => have.has(w));
      if (hit.length) {
        score += hit.length;
        why.push(`words ${hit.sort().join(', ')}`);
      }
    }
    if (score > 0) out.push({ row, score, why });
  }
  out.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? 1 : a.row.id > b.row.id ? -1 : 0));
  return out.map(({ row, why }) => ({ id: row.id, kind: row.kind, insight: insightOf(row), why: why.join('; ') }));
}
