/**
 * Derived knowledge as records recall can search: the patterns and themes the engine finds in
 * the history and the effects of memory it measures, shaped as (synthetic, never written)
 * pattern records so the same documents, terms and ranking serve them. An effect of memory is
 * answered as its own kind, `effect` (see recall/search-docs.ts), never as a pattern. Each
 * carries its evidence (execution ids) and its figures, which `recall --json` and `explain` show.
 * Pure.
 */
import type { ExecutionRecord, PatternRecord } from '../records/kinds.js';
import { EFFECT_TYPE } from '../kinds/pattern.js';
import type { RecordRow } from '../records/table.js';
import type { EffectEstimate, EffectReport } from './effect.js';
import type { ExtractedPattern } from './types.js';

/**
 * Up to this many executions, derived knowledge is computed whenever it is needed (after a build,
 * for a root-cause stub); it takes about 0.2 s at this size. Above it, the last learning snapshot
 * is used (`build --learn`, `site build`).
 */
export const LEARN_INLINE_MAX = 2000;

/** Where derived records say they live (they have no file; recall and explain show no path for them). */
export const DERIVED_PATH = '(derived: learning-loop patterns / effect)';

export { EFFECT_TYPE };

/** Figures of a derived record, as recall and explain show them. */
export type DerivedFigures = Record<string, number | string | null>;

/**
 * What a derived record carries for `recall --json` and `explain` (its `derived` field, which is
 * not searched: an effect's evidence ids are not words of it).
 */
export interface DerivedFacts {
  evidence: string[];
  figures: DerivedFigures;
}

/** At most this many evidence ids per derived record (the newest; pattern evidence is capped the same). */
const MAX_EVIDENCE = 50;

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
    derived: { evidence: p.evidence, figures: { support: p.support, confidence: p.confidence, lift: p.lift } } satisfies DerivedFacts,
  } as unknown as PatternRecord;
  return row(data, `Derived from the execution history by the learning engine (${definition}). Evidence: ${p.evidence.slice(0, 20).join(', ')}${p.evidence.length > 20 ? ', …' : ''}.`);
}

/** The figures of an effect estimate (the stable field names of `effect --json`). */
function effectFigures(e: EffectEstimate): DerivedFigures {
  return {
    verdict: e.verdict,
    helpful: e.helpful,
    harmful: e.harmful,
    informative: e.informative,
    odds_ratio: e.odds_ratio,
    ci_low: e.ci_low,
    ci_high: e.ci_high,
    risk_difference: e.risk_difference,
    p_value: e.p_value,
  };
}

function effectRow(id: string, title: string, e: EffectEstimate, asOf: string, evidence: string[], extra = ''): RecordRow {
  const data = {
    kind: 'pattern',
    id,
    created_at: asOf,
    title,
    pattern_type: EFFECT_TYPE,
    category: 'architectural-decision',
    statement: e.reason,
    tags: ['effect', 'memory', 'recall'],
    derived: { evidence, figures: effectFigures(e) } satisfies DerivedFacts,
  } as unknown as PatternRecord;
  return row(data, `Measured like for like (\`learning-loop effect\`): ${e.helpful} helpful vs ${e.harmful} harmful comparisons over ${e.informative} groups of comparable work. ${extra}`.trim());
}

/** The newest executions (history is in time order) that pass `keep`, as sorted ids. */
function newestIds(history: readonly ExecutionRecord[], keep: (e: ExecutionRecord) => boolean): string[] {
  const out: string[] = [];
  for (let i = history.length - 1; i >= 0 && out.length < MAX_EVIDENCE; i--) if (keep(history[i]!)) out.push(history[i]!.id);
  return out.sort();
}

/**
 * The effect of memory as records: overall, per task type, and each learning with a verdict.
 * Their evidence is the executions that recalled (the newest 50), from `history` when given.
 */
export function effectRows(r: EffectReport, asOf: string, history: readonly ExecutionRecord[] = []): RecordRow[] {
  const recalls = (e: ExecutionRecord) => (e.recalled?.length ?? 0) > 0;
  const out = [effectRow('effect-recall-overall', `Effect of recall on success, like for like: ${r.overall.verdict}`, r.overall, asOf, newestIds(history, recalls), r.disagreement ?? '')];
  for (const t of r.task_types ?? [])
    out.push(
      effectRow(
        `effect-recall-${t.task_type}`.slice(0, 128),
        `Effect of recall on ${t.task_type}: ${t.overall.verdict}`,
        t.overall,
        asOf,
        newestIds(history, (e) => e.task_type === t.task_type && recalls(e)),
        t.arms ? `Agents with memory vs without: ${t.arms.verdict} (${t.arms.reason})` : '',
      ),
    );
  for (const l of r.learnings.filter((x) => x.verdict !== 'unclear'))
    out.push(
      effectRow(
        `effect-of-${l.id}`.slice(0, 128),
        `Effect of recalling ${l.id}: ${l.verdict}`,
        l,
        asOf,
        newestIds(history, (e) => e.recalled?.includes(l.id) ?? false),
        `Recalled ${l.recalled} times.`,
      ),
    );
  return out;
}

/** Every derived record: patterns not committed under their id, themes, effects (with `history`, effects carry their evidence). */
export function derivedRows(
  patterns: readonly ExtractedPattern[],
  effect: EffectReport | undefined,
  committed: ReadonlySet<string>,
  asOf: string,
  history: readonly ExecutionRecord[] = [],
): RecordRow[] {
  const rows = patterns.filter((p) => !committed.has(p.id)).map((p) => patternRow(p, asOf));
  if (effect && effect.recalling > 0) rows.push(...effectRows(effect, asOf, history));
  return rows;
}
