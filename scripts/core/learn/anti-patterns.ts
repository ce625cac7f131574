/**
 * Anti-pattern monitors (the seed's "Anti-Pattern Monitoring"). Pure: history + config → flags.
 * Each flag names its evidence; a quiet history gives no flags.
 */
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../config.js';
import { fingerprint } from './fingerprint.js';
import { ID_PREFIX, looksLikeRecordId } from '../records/ids.js';
import { byTime, evidenceIds, ms, round } from './stats.js';
import { durationSeries, runnersClause } from './patterns.js';
import { formatP } from './effect.js';
import type { AntiPatternFlag, ExtractedPattern } from './types.js';
import { pushTo } from '../dict.js';

/** Errors (and high surprise) count towards "N times" within this many days of the newest execution. */
export const ERROR_WINDOW_DAYS = 30;
/** Reuse rate is measured over the newest executions (this many)... */
export const REUSE_WINDOW = 50;
/** ...and only when there are at least this many. */
export const REUSE_MIN_EXECUTIONS = 10;

/** Counts of a field over executions, most first (ties by name). */
function tally(executions: readonly ExecutionRecord[], pick: (e: ExecutionRecord) => string | undefined): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const e of executions) {
    const v = pick(e);
    if (v) m.set(v, (m.get(v) ?? 0) + 1);
  }
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Where a set of executions happened: components, task types and agents with counts. */
export function whereOf(executions: readonly ExecutionRecord[]): NonNullable<AntiPatternFlag['where']> {
  return { components: tally(executions, (e) => e.component), task_types: tally(executions, (e) => e.task_type), agents: tally(executions, (e) => e.agent) };
}

/** "in components a (3), b (1); task types …; agents …" (the first five of each). */
export function describeWhere(w: NonNullable<AntiPatternFlag['where']>): string {
  const part = (label: string, list: Array<[string, number]>) =>
    list.length
      ? `${label} ${list
          .slice(0, 5)
          .map(([v, n]) => `${v} (${n})`)
          .join(', ')}${list.length > 5 ? `, … ${list.length - 5} more` : ''}`
      : '';
  return [
    part(w.components.length === 1 ? 'component' : 'components', w.components),
    part(w.task_types.length === 1 ? 'task type' : 'task types', w.task_types),
    part(w.agents.length === 1 ? 'agent' : 'agents', w.agents),
  ]
    .filter(Boolean)
    .join('; ');
}

/** Same error fingerprint ≥ repeated_error_count times in the window → architecture review. */
export function repeatedErrors(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const ordered = byTime(history);
  if (!ordered.length) return [];
  const since = ms(ordered[ordered.length - 1]!.started_at) - ERROR_WINDOW_DAYS * 86400000;
  const groups = new Map<string, { text: string; executions: ExecutionRecord[] }>();
  for (const e of ordered) {
    if (ms(e.started_at) < since) continue;
    for (const fp of new Map(
      (e.errors ?? []).map((m) => {
        const f = fingerprint(m);
        return [f.id, f.text] as const;
      }),
    )) {
      let g = groups.get(fp[0]);
      if (!g) groups.set(fp[0], (g = { text: fp[1], executions: [] }));
      g.executions.push(e);
    }
  }
  const n = config.anti_patterns.repeated_error_count;
  return [...groups]
    .filter(([, g]) => g.executions.length >= n)
    .map(([id, g]) => {
      const where = whereOf(g.executions);
      return {
        id: `flag-repeated-error-${id}`,
        monitor: 'repeated_error' as const,
        action: 'architecture_review' as const,
        subject: g.text,
        message: `The same error ("${g.text}") occurred in ${g.executions.length} executions in the last ${ERROR_WINDOW_DAYS} days (threshold ${n}), in ${describeWhere(where)}: review the architecture around it instead of patching each occurrence.`,
        value: g.executions.length,
        threshold: n,
        evidence: evidenceIds(g.executions),
        where,
      };
    });
}

/**
 * Duration trending up for a task type, each agent and model compared with itself (stratified
 * Mann–Kendall significant after FDR control, Sen's slope ≥ threshold of the median) → bloat
 * check. Names the agents/models that slow down; a model that is merely slower is not bloat.
 */
export function risingDurations(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const min = config.anti_patterns.rising_duration_min_slope;
  return durationSeries(history, config)
    .filter((s) => s.dimension === 'task_type' && s.significant && s.relative > 0)
    .map((s) => ({
      id: `flag-rising-duration-${s.value}`,
      monitor: 'rising_duration' as const,
      action: 'bloat_check' as const,
      subject: s.value,
      message: `Execution time for task type ${s.value} rises by ${round(s.relative * 100, 1)}% of its median per execution over the last ${s.executions.length} executions (Sen's slope ${round(s.t.slope ?? 0, 1)}s; Mann–Kendall p ${formatP(s.t.p_value)}, q ${formatP(s.q)})${runnersClause(s)}: check for memory/complexity bloat.`,
      value: round(s.relative, 3),
      threshold: min,
      evidence: evidenceIds(s.executions),
      where: whereOf(s.executions),
    }));
}

/**
/**
 * True when an execution built on earlier work: a template (`tpl-…`) or a component, library or
 * other artefact named freely in `reused`. A rule, pattern or reflection (any other record id)
 * is knowledge applied, not work reused: the seed's over-specialization is about templates and
 * components nobody builds on.
 */
export function reusedWork(e: ExecutionRecord): boolean {
  return (e.reused ?? []).some((x) => !looksLikeRecordId(x) || x.startsWith(`${ID_PREFIX.template}-`));
}

/**
 * Share of the newest executions that reused a template or component below low_reuse_rate →
 * over-specialization. Only executions that measured reuse count (an imported history that
 * records none says nothing).
 */
export function lowReuse(history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const recent = byTime(history.filter((e) => e.scores.reusability !== undefined)).slice(-REUSE_WINDOW);
  if (recent.length < REUSE_MIN_EXECUTIONS) return [];
  const reused = recent.filter(reusedWork).length;
  const rate = reused / recent.length;
  const min = config.anti_patterns.low_reuse_rate;
  if (rate >= min) return [];
  return [
    {
      id: 'flag-low-reuse-all',
      monitor: 'low_reuse',
      action: 'over_specialization',
      subject: 'all',
      message: `Only ${reused} of the last ${recent.length} executions reused a template or component (${Math.round(rate * 100)}%, threshold ${Math.round(min * 100)}%; rules and other learnings applied do not count): work is over-specialized; extract templates and recall before tasks.`,
      value: round(rate),
      threshold: min,
      evidence: evidenceIds(recent.filter((e) => !reusedWork(e))),
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
  const high = (e: ExecutionRecord): boolean => (e.scores.surprise ?? 0) > config.thresholds.high_surprise;
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

/**
 * A recurring theme (a phrase failures keep saying, themes.ts) counts like a repeated error:
 * used by `repeated_error_count`+ failures in the window → architecture review.
 */
export function recurringThemes(themes: readonly ExtractedPattern[], history: readonly ExecutionRecord[], config: ResolvedConfig): AntiPatternFlag[] {
  const ordered = byTime(history);
  if (!ordered.length) return [];
  const since = ms(ordered[ordered.length - 1]!.started_at) - ERROR_WINDOW_DAYS * 86400000;
  const byId = new Map(ordered.map((e) => [e.id, e]));
  const n = config.anti_patterns.repeated_error_count;
  const out: AntiPatternFlag[] = [];
  for (const t of themes) {
    const recent = t.evidence.map((id) => byId.get(id)).filter((e): e is ExecutionRecord => Boolean(e) && ms(e!.started_at) >= since);
    if (recent.length < n) continue;
    const where = whereOf(recent);
    const phrase = String(t.definition.theme);
    out.push({
      id: `flag-repeated-theme-${t.id.replace(/^pat-theme-/, '')}`,
      monitor: 'repeated_error',
      action: 'architecture_review',
      subject: `theme: ${phrase}`,
      message: `The same cause ("${phrase}") recurs in what ${recent.length} failures in the last ${ERROR_WINDOW_DAYS} days say (threshold ${n}), in ${describeWhere(where)}: review the architecture around it instead of patching each occurrence. ${t.statement}`,
      value: recent.length,
      threshold: n,
      evidence: evidenceIds(recent),
      where,
    });
  }
  return out;
}

/**
 * One flag per fact: flags of one monitor with the same evidence (two errors that always occur
 * together) are merged into one that names every subject.
 */
export function mergeSameEvidence(flags: readonly AntiPatternFlag[]): AntiPatternFlag[] {
  const groups = new Map<string, AntiPatternFlag[]>();
  for (const f of flags) {
    const k = `${f.monitor}\u0000${f.evidence.join(',')}`;
    pushTo(groups, k, f);
  }
  const out: AntiPatternFlag[] = [];
  for (const list of groups.values()) {
    if (list.length === 1) {
      out.push(list[0]!);
      continue;
    }
    const sorted = [...list].sort((a, b) => (a.subject < b.subject ? -1 : 1));
    const first = sorted[0]!;
    const subjects = sorted.map((f) => f.subject);
    const message =
      first.monitor === 'repeated_error'
        ? `The same errors (${subjects.map((x) => `"${x}"`).join('; ')}) occurred together in ${first.value} executions in the last ${ERROR_WINDOW_DAYS} days (threshold ${first.threshold})${first.where ? `, in ${describeWhere(first.where)}` : ''}: one cause, not ${subjects.length}; review the architecture around it instead of patching each occurrence.`
        : `${first.message} (Also: ${sorted
            .slice(1)
            .map((f) => f.subject)
            .join(', ')}, with the same executions.)`;
    out.push({
      ...first,
      id: sorted
        .map((f) => f.id)
        .join('+')
        .slice(0, 200),
      subject: subjects.join(' | '),
      message,
    });
  }
  return out;
}

/** All monitors, flags sorted by monitor then subject; flags with the same evidence merged. `themes` feed the repeated-error monitor. */
export function detectAntiPatterns(history: readonly ExecutionRecord[], config: ResolvedConfig, themes: readonly ExtractedPattern[] = []): AntiPatternFlag[] {
  const order = { repeated_error: 0, rising_duration: 1, low_reuse: 2, repeated_surprise: 3 } as const;
  return mergeSameEvidence([
    ...repeatedErrors(history, config),
    ...recurringThemes(themes, history, config),
    ...risingDurations(history, config),
    ...lowReuse(history, config),
    ...repeatedSurprise(history, config),
  ]).sort((a, b) => order[a.monitor] - order[b.monitor] || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}
