/**
 * Derived knowledge as records recall can search: the patterns and themes the engine finds in
 * the history and the effects of memory it measures, shaped as (synthetic, never written)
 * pattern records so the same documents, terms and ranking serve them. Pure.
 */
import type { PatternRecord } from '../records/kinds.js';
import type { RecordRow } from '../records/table.js';
import type { EffectEstimate, EffectReport } from './effect.js';
import type { ExtractedPattern } from './types.js';

/**
 * Up to this many executions, derived knowledge is computed whenever it is needed (after a build,
 * for a root-cause stub); it takes about 0.2 s at this size. Above it, the last learning snapshot
 * is used (`build --learn`, `site build`).
 */
export const LEARN_INLINE_MAX = 2000;

/** Where derived records say they live (they have no file). */
export const DERIVED_PATH = '(derived: learning-loop patterns / effect)';

const TYPE_WORDS: Record<string, string> = {
  success: 'success pattern: what worked',
  failure: 'failure pattern: what failed',
  performance: 'performance pattern: duration trend',
  dependency: 'dependency pattern: a dependency that goes with failures or surprises',
  theme: 'recurring theme: what failures keep saying',
};

function row(data: PatternRecord, body: string): RecordRow {
  return { id: data.id, kind: 'pattern', file: DERIVED_PATH, data, body };
}

/** A pattern found in the history, as a record (unless a committed record has its id). */
export function patternRow(p: ExtractedPattern, asOf: string): RecordRow {
  const definition = Object.entries(p.definition)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
  const data = {
    kind: 'pattern',
    id: p.id,
    created_at: asOf,
    title: `${TYPE_WORDS[p.pattern_type] ?? p.pattern_type}${p.pattern_type === 'theme' ? ` — "${String(p.definition.theme)}"` : ''}`,
    pattern_type: p.pattern_type,
    category: p.category,
    ...(p.domain ? { domain: p.domain, domains: [p.domain] } : {}),
    statement: p.statement,
    definition: p.definition,
    evidence: p.evidence,
    support: p.support,
    confidence: p.confidence,
    lift: p.lift,
  } as unknown as PatternRecord;
  return row(data, `Derived from the execution history by the learning engine (${definition}). Evidence: ${p.evidence.slice(0, 20).join(', ')}${p.evidence.length > 20 ? ', …' : ''}.`);
}

function effectRow(id: string, title: string, e: EffectEstimate, asOf: string, extra = ''): RecordRow {
  const data = {
    kind: 'pattern',
    id,
    created_at: asOf,
    title,
    pattern_type: 'effect',
    category: 'architectural-decision',
    statement: e.reason,
    tags: ['effect', 'memory', 'recall'],
  } as unknown as PatternRecord;
  return row(data, `Measured like for like (\`learning-loop effect\`): ${e.helpful} helpful vs ${e.harmful} harmful comparisons over ${e.informative} groups of comparable work. ${extra}`.trim());
}

/** The effect of memory as records: overall, per task type, and each learning with a verdict. */
export function effectRows(r: EffectReport, asOf: string): RecordRow[] {
  const out = [effectRow('effect-recall-overall', `Effect of recall on success, like for like: ${r.overall.verdict}`, r.overall, asOf, r.disagreement ?? '')];
  for (const t of r.task_types ?? []) out.push(effectRow(`effect-recall-${t.task_type}`.slice(0, 128), `Effect of recall on ${t.task_type}: ${t.overall.verdict}`, t.overall, asOf, t.arms ? `Agents with memory vs without: ${t.arms.verdict} (${t.arms.reason})` : ''));
  for (const l of r.learnings.filter((x) => x.verdict !== 'unclear')) out.push(effectRow(`effect-of-${l.id}`.slice(0, 128), `Effect of recalling ${l.id}: ${l.verdict}`, l, asOf, `Recalled ${l.recalled} times.`));
  return out;
}

/** Every derived record: patterns not committed under their id, themes, effects. */
export function derivedRows(patterns: readonly ExtractedPattern[], effect: EffectReport | undefined, committed: ReadonlySet<string>, asOf: string): RecordRow[] {
  const rows = patterns.filter((p) => !committed.has(p.id)).map((p) => patternRow(p, asOf));
  if (effect && effect.recalling > 0) rows.push(...effectRows(effect, asOf));
  return rows;
}
