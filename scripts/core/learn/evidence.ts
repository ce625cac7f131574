/**
 * Derived evidence for recalled records: whether recalling a rule, pattern, template or
 * reflection helps, computed from the immutable executions that recalled it *like for like*
 * (the stratified estimate of `effect.ts`: executions that recalled it against comparable ones
 * that did not), never stored as mutable numbers and never from the raw success rate of the
 * executions that recalled it (those are the harder tasks). Pure.
 */
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../config.js';
import { learningEffectsOf, type Verdict } from './effect.js';
import { pushTo } from '../dict.js';

/** Evidence for one recalled record. */
export interface RecallEvidence {
  id: string;
  /** Executions that recalled it (sorted). */
  recalled_by: string[];
  /** Comparisons within comparable work where the execution that recalled it succeeded and one that did not failed. */
  helpful: number;
  /** The reverse: it was recalled and the execution failed where a comparable one without it succeeded. */
  harmful: number;
  /** helps / harms when significant after false-discovery-rate control, unclear otherwise. */
  verdict: Verdict;
  odds_ratio: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  q_value: number | null;
  /** The sentence explaining the verdict. */
  reason: string;
}

/** Evidence for every id recalled by any execution (sorted by id). */
export function recallEvidence(history: readonly ExecutionRecord[], config: ResolvedConfig): Map<string, RecallEvidence> {
  const by = new Map<string, string[]>();
  for (const e of history) for (const id of new Set(e.recalled ?? [])) pushTo(by, id, e.id);
  const out = new Map<string, RecallEvidence>();
  for (const l of learningEffectsOf(history, config)) {
    out.set(l.id, {
      id: l.id,
      recalled_by: [...(by.get(l.id) ?? [])].sort(),
      helpful: l.helpful,
      harmful: l.harmful,
      verdict: l.verdict,
      odds_ratio: l.odds_ratio,
      ci_low: l.ci_low,
      ci_high: l.ci_high,
      p_value: l.p_value,
      q_value: l.q_value,
      reason: l.reason,
    });
  }
  return out;
}

/** Significant harm (after FDR control): the only ground to propose archiving a recalled learning. */
export function turnedBad(r: RecallEvidence): boolean {
  return r.verdict === 'harms';
}

/** Significant help (after FDR control): ground to propose promoting a learning. */
export function provedGood(r: RecallEvidence): boolean {
  return r.verdict === 'helps';
}

/** Whether one execution's own outcome speaks for or against what it recalled (for a reflection's wording only). */
export function verdict(e: ExecutionRecord, config: ResolvedConfig): 'helpful' | 'harmful' | 'neutral' {
  if (e.outcome === 'failure' || e.overall < config.patterns.failure_score) return 'harmful';
  if (e.outcome === 'success' && e.overall >= config.thresholds.low_performance) return 'helpful';
  return 'neutral';
}
