/**
 * Derived counters: helpful / harmful evidence for recalled records, computed from the immutable
 * executions that recalled them (never stored as mutable numbers). Pure.
 */
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../adapters/config.js';

/** Evidence for one recalled record. */
export interface RecallEvidence {
  id: string;
  /** Executions that recalled it. */
  recalled_by: string[];
  /** Of those, executions that scored above `patterns.success_score` or succeeded. */
  helpful: string[];
  /** Of those, executions that scored below `patterns.failure_score` or failed. */
  harmful: string[];
}

/** Whether an execution counts as helpful / harmful evidence for what it recalled. */
export function verdict(e: ExecutionRecord, config: ResolvedConfig): 'helpful' | 'harmful' | 'neutral' {
  if (e.outcome === 'failure' || e.overall < config.patterns.failure_score) return 'harmful';
  if (e.outcome === 'success' && e.overall >= config.thresholds.low_performance) return 'helpful';
  return 'neutral';
}

/** Evidence for every id recalled by any execution (sorted by id). */
export function recallEvidence(history: readonly ExecutionRecord[], config: ResolvedConfig): Map<string, RecallEvidence> {
  const out = new Map<string, RecallEvidence>();
  for (const e of history) {
    const v = verdict(e, config);
    for (const id of e.recalled ?? []) {
      let r = out.get(id);
      if (!r) out.set(id, (r = { id, recalled_by: [], helpful: [], harmful: [] }));
      r.recalled_by.push(e.id);
      if (v === 'helpful') r.helpful.push(e.id);
      if (v === 'harmful') r.harmful.push(e.id);
    }
  }
  for (const r of out.values()) for (const l of [r.recalled_by, r.helpful, r.harmful]) l.sort();
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** Evidence turned bad: at least 3 harmful cases and more harmful than helpful. */
export function turnedBad(r: RecallEvidence): boolean {
  return r.harmful.length >= 3 && r.harmful.length > r.helpful.length;
}
