/**
 * Scoring formulas (seed Task 2). Pure functions; every formula is documented in the README
 * ("Scoring") so an agent can predict its score. Scores an agent gives are always kept.
 */
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config-definition.js';

/** The four score-card dimensions, each 0-100. */
export interface Scores {
  accuracy: number;
  efficiency: number;
  reusability: number;
  surprise: number;
}

/** A score-card dimension. */
export type ScoreName = keyof Scores;
/** The dimensions in their canonical order. */
export const SCORE_NAMES: readonly ScoreName[] = ['accuracy', 'efficiency', 'reusability', 'surprise'];

/** A dimension that may be left unmeasured (accuracy always follows from the outcome). */
export type OptionalScoreName = Exclude<ScoreName, 'accuracy'>;

/**
 * The scores an execution carries: accuracy always, the others only where something measured
 * them (an import leaves out what its source does not record rather than inventing a default).
 */
export type MeasuredScores = Pick<Scores, 'accuracy'> & Partial<Pick<Scores, OptionalScoreName>>;

/** The scores that were measured, in canonical order. */
export function measuredValues(scores: MeasuredScores): number[] {
  const out: number[] = [];
  for (const name of SCORE_NAMES) {
    const v = scores[name];
    if (typeof v === 'number') out.push(v);
  }
  return out;
}

/** "accuracy 61.7, efficiency not measured, …": every dimension, for text output. */
export function describeScores(scores: MeasuredScores): string {
  return SCORE_NAMES.map((name) => `${name} ${typeof scores[name] === 'number' ? scores[name] : 'not measured'}`).join(', ');
}

/** The seed's reflection thresholds (config `reflection_triggers.thresholds`). */
export type Thresholds = ResolvedConfig['thresholds'];

/** The seed's defaults, 60 / 90 / 70 (from the config definition; a copy of its own). */
export const DEFAULT_THRESHOLDS: Thresholds = { ...DEFAULT_CONFIG.thresholds };

/** A reflection action the score card can trigger. */
export type TriggerAction = 'mandatory_reflection' | 'extract_template' | 'update_architecture';

/** The seed's (action, reason) pair; both null when nothing fires. */
export interface TriggerDecision {
  action: TriggerAction | null;
  reason: string | null;
}

/** The seed's reasons, verbatim. */
export const TRIGGER_REASONS: Record<TriggerAction, string> = {
  mandatory_reflection: 'Low performance - root cause analysis required',
  extract_template: 'High performance - extract as best practice',
  update_architecture: 'High surprise factor - review assumptions',
};

/**
 * overall = the mean of the scores, rounded half up to two decimals (seed: sum / len): of all
 * four, or of those measured when some are left out. The sum is taken in hundredths first:
 * scores with decimals (35.6, 1.01) are not exact in binary, and rounding `sum / 4 * 100`
 * directly turns a mean of 1.005 into 1.
 */
export function computeOverall(scores: MeasuredScores): number {
  const values = measuredValues(scores);
  const sum = values.reduce((a, b) => a + b, 0);
  return Math.round(Math.round(sum * 100) / values.length) / 100;
}

/**
 * The seed's trigger rule, in its order: overall < low -> mandatory_reflection;
 * overall > high -> extract_template; else surprise > high_surprise -> update_architecture
 * (only when surprise was measured).
 */
export function decideTrigger(scores: MeasuredScores, t: Thresholds = DEFAULT_THRESHOLDS): TriggerDecision {
  const overall = computeOverall(scores);
  let action: TriggerAction | null = null;
  if (overall < t.low_performance) action = 'mandatory_reflection';
  else if (overall > t.high_performance) action = 'extract_template';
  else if (scores.surprise !== undefined && scores.surprise > t.high_surprise) action = 'update_architecture';
  return { action, reason: action ? TRIGGER_REASONS[action] : null };
}

/** Evidence available to compute missing scores. */
export interface ScoreEvidence {
  outcome: 'success' | 'partial' | 'failure';
  duration_s: number;
  checks?: { passed?: number; failed?: number };
  errors?: readonly string[];
  reused?: readonly string[];
  produced?: readonly string[];
  deviations?: readonly string[];
  discoveries?: readonly string[];
  /** Durations (seconds) of comparable earlier executions, for the efficiency baseline. */
  comparableDurations?: readonly number[];
}

const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

/** Base accuracy by outcome. */
export const OUTCOME_ACCURACY = { success: 90, partial: 60, failure: 20 } as const;

/**
 * accuracy = outcome base (success 90, partial 60, failure 20), averaged 50/50 with the check
 * pass rate (x100) when checks ran, minus 5 per reported error (at most 20).
 */
export function accuracyFrom(e: ScoreEvidence): number {
  let value: number = OUTCOME_ACCURACY[e.outcome];
  const passed = e.checks?.passed ?? 0;
  const total = passed + (e.checks?.failed ?? 0);
  if (total > 0) value = 0.5 * value + (0.5 * (100 * passed)) / total;
  value -= Math.min(20, 5 * (e.errors?.length ?? 0));
  return clamp(value);
}

/** Median of a list (0 for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The resolution of a timed run, in seconds: durations closer than this to the median count as
 * equal. Timing a run includes start-up jitter of a fraction of a second, so without it a
 * 0.14 s test run would score half of a 0.1 s one and trigger a root-cause analysis.
 */
export const DURATION_RESOLUTION_S = 1;

/**
 * efficiency compares this duration with the median of comparable earlier executions, the same
 * way at any duration: within {@link DURATION_RESOLUTION_S} of the median it scores 70 (as fast
 * as its peers); slower, 70 x (median + 1 s) / duration; faster, 70 x median / (duration + 1 s);
 * capped to 0..100 (twice as slow as a 300 s median: 35; twice as fast: 100). The second is
 * always given in the run's favour. With no comparable history it is `fallback` (config
 * `scoring.default_efficiency`, default 70).
 */
export function efficiencyFrom(e: ScoreEvidence, fallback = 70): number {
  if (!e.comparableDurations?.length) return clamp(fallback);
  const base = Math.max(0, median(e.comparableDurations));
  const d = Math.max(0, e.duration_s);
  const r = DURATION_RESOLUTION_S;
  if (d > base + r) return clamp((70 * (base + r)) / d);
  if (d < base - r) return clamp((70 * base) / (d + r));
  return 70;
}

/**
 * reusability = 50 + 20 per reused item (at most 2) + 5 per produced artefact (at most 2).
 * The neutral base keeps a routine success that reports nothing else out of the
 * low-performance band: 90 + 70 + 50 + 30 = 60 overall, no reflection.
 */
export function reusabilityFrom(e: ScoreEvidence): number {
  return clamp(50 + 20 * Math.min(2, e.reused?.length ?? 0) + 5 * Math.min(2, e.produced?.length ?? 0));
}

/** surprise = 30 (nothing unexpected reported) + 20 per discovery + 10 per deviation, capped at 100. */
export function surpriseFrom(e: ScoreEvidence): number {
  return clamp(30 + 20 * (e.discoveries?.length ?? 0) + 10 * (e.deviations?.length ?? 0));
}

/**
 * Completes a partial score set: given scores are kept as they are; missing ones are computed
 * from the evidence, except those named in `unmeasured` (nothing measures them: an imported
 * history that records no reuse, no surprises or no comparable runs), which are left out.
 * Returns the scores and the names of those that were computed.
 */
export function completeScores(given: Partial<Scores>, e: ScoreEvidence, fallbackEfficiency = 70, unmeasured: readonly OptionalScoreName[] = []): { scores: MeasuredScores; computed: ScoreName[] } {
  const computed: ScoreName[] = [];
  const scores: MeasuredScores = { accuracy: typeof given.accuracy === 'number' ? given.accuracy : accuracyFrom(e) };
  if (typeof given.accuracy !== 'number') computed.push('accuracy');
  const formulas: Record<OptionalScoreName, () => number> = {
    efficiency: () => efficiencyFrom(e, fallbackEfficiency),
    reusability: () => reusabilityFrom(e),
    surprise: () => surpriseFrom(e),
  };
  for (const name of ['efficiency', 'reusability', 'surprise'] as const) {
    const v = given[name];
    if (typeof v === 'number') scores[name] = v;
    else if (!unmeasured.includes(name)) {
      scores[name] = formulas[name]();
      computed.push(name);
    }
  }
  return { scores, computed };
}
