/**
 * Anti-pattern monitors (the seed's "Anti-Pattern Monitoring"). Pure: history + config → flags.
 * Each flag names its evidence; a quiet history gives no flags.
 */
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../adapters/config.js';
import { fingerprint } from './fingerprint.js';
import { byTime, evidenceIds, ms, round } from './stats.js';
import { durationSeries, MIN_TREND_R2 } from './patterns.js';
import type { AntiPatternFlag } from './types.js';

/** Errors (and high surprise) count towards "N times" within this many days of the newest execution. */
export const ERROR_WINDOW_DAYS = 30;
/** Reuse rate is measured over the newest executions (this many)... */
export const REUSE_WINDOW = 50;
/** ...and only when there are at least this many. */
export const REUSE_MIN_EXECUTIONS = 10;

/** Same error fingerprint ≥ repeated_error_count times in the window → architecture review. */
export function repeatedErrors(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const ordered = byTime(history);
  if (!ordered.length) return [];
  const since = ms(ordered[ordered.length - 1]!.started_at) - ERROR_WINDOW_DAYS * 86400000;
  const groups = new Map<string, { text: string; executions: ExecutionRecord[] }>();
  for (const e of ordered) {
    if (ms(e.started_at) < since) continue;
    for (const fp of new Map((e.errors ?? []).map((m) => { const f = fingerprint(m); return [f.id, f.text] as const; }))) {
      let g = groups.get(fp[0]);
      if (!g) groups.set(fp[0], (g = { text: fp[1], executions: [] }));
      g.executions.push(e);
    }
  }
  const n = config.anti_patterns.repeated_error_count;
  return [...groups]
    .filter(([, g]) => g.executions.length >= n)
    .map(([id, g]) => ({
      id: `flag-repeated-error-${id}`,
      monitor: 'repeated_error' as const,
      action: 'architecture_review' as const,
      subject: g.text,
      message: `The same error ("${g.text}") occurred in ${g.executions.length} executions in the last ${ERROR_WINDOW_DAYS} days (threshold ${n}): review the architecture around it instead of patching each occurrence.`,
      value: g.executions.length,
      threshold: n,
      evidence: evidenceIds(g.executions),
    }));
}

/** Duration trending up for a task type (relative slope ≥ threshold, R² ≥ 0.5) → bloat check. */
export function risingDurations(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const min = config.anti_patterns.rising_duration_min_slope;
  return durationSeries(history, config)
    .filter((s) => s.dimension === 'task_type' && s.t.relative >= min && s.t.r2 >= MIN_TREND_R2)
    .map((s) => ({
      id: `flag-rising-duration-${s.value}`,
      monitor: 'rising_duration' as const,
      action: 'bloat_check' as const,
      subject: s.value,
      message: `Execution time for task type ${s.value} rises by ${round(s.t.relative * 100, 1)}% of its mean per execution over the last ${s.executions.length} executions (R² ${round(s.t.r2, 2)}): check for memory/complexity bloat.`,
      value: round(s.t.relative, 3),
      threshold: min,
      evidence: evidenceIds(s.executions),
    }));
}

/** Share of the newest executions that reused anything below low_reuse_rate → over-specialization. */
export function lowReuse(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const recent = byTime(history).slice(-REUSE_WINDOW);
  if (recent.length < REUSE_MIN_EXECUTIONS) return [];
  const reused = recent.filter((e) => (e.reused?.length ?? 0) > 0).length;
  const rate = reused / recent.length;
  const min = config.anti_patterns.low_reuse_rate;
  if (rate >= min) return [];
  return [
    {
      id: 'flag-low-reuse-all',
      monitor: 'low_reuse',
      action: 'over_specialization',
      subject: 'all',
      message: `Only ${reused} of the last ${recent.length} executions reused a template, component or rule (${Math.round(rate * 100)}%, threshold ${Math.round(min * 100)}%): work is over-specialized; extract templates and recall before tasks.`,
      value: round(rate),
      threshold: min,
      evidence: evidenceIds(recent.filter((e) => !(e.reused?.length))),
    },
  ];
}

/**
 * Surprise > high_surprise in ≥ repeated_surprise_count executions of a domain within the window
 * (ERROR_WINDOW_DAYS before the newest execution), and more often than across all domains →
 * domain review. The second condition keeps a busy domain from being flagged for its size alone.
 */
export function repeatedSurprise(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const ordered = byTime(history);
  if (!ordered.length) return [];
  const since = ms(ordered[ordered.length - 1]!.started_at) - ERROR_WINDOW_DAYS * 86400000;
  const recent = ordered.filter((e) => ms(e.started_at) >= since);
  const high = (e: ExecutionRecord): boolean => e.scores.surprise > config.thresholds.high_surprise;
  const overallRate = recent.filter(high).length / Math.max(1, recent.length);
  const byDomain = new Map<string, ExecutionRecord[]>();
  for (const e of recent) {
    for (const d of e.domains ?? []) {
      let list = byDomain.get(d);
      if (!list) byDomain.set(d, (list = []));
      list.push(e);
    }
  }
  const n = config.anti_patterns.repeated_surprise_count;
  const out: AntiPatternFlag[] = [];
  for (const [domain, list] of [...byDomain].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const hits = list.filter(high);
    if (hits.length < n || hits.length / list.length <= overallRate) continue;
    out.push({
      id: `flag-repeated-surprise-${domain}`,
      monitor: 'repeated_surprise',
      action: 'domain_review',
      subject: domain,
      message: `${hits.length} of ${list.length} executions in domain ${domain} in the last ${ERROR_WINDOW_DAYS} days had surprise above ${config.thresholds.high_surprise} (threshold ${n}; ${Math.round(overallRate * 100)}% across all domains): domain understanding is incomplete; review the working assumptions.`,
      value: hits.length,
      threshold: n,
      evidence: evidenceIds(hits),
    });
  }
  return out;
}

/** All monitors, flags sorted by monitor then subject. */
export function detectAntiPatterns(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const order = { repeated_error: 0, rising_duration: 1, low_reuse: 2, repeated_surprise: 3 } as const;
  return [...repeatedErrors(history, config), ...risingDurations(history, config), ...lowReuse(history, config), ...repeatedSurprise(history, config)].sort(
    (a, b) => order[a.monitor] - order[b.monitor] || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
}
