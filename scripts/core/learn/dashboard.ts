/**
 * Dashboard metrics (seed Task 6) and the seed's success criteria. Pure: executions + config
 * (+ pattern file change counts read from Git by the caller) → report. Formulas: docs/learning.md.
 */
import type { ExecutionRecord, RecordByKind } from '../records/kinds.js';
import type { RecordRow } from '../records/table.js';
import type { ResolvedConfig } from '../config.js';
import { median } from '../score/formulas.js';
import { byTime, mean, round, weekStart, wilson, addDays } from './stats.js';
import { agentCost } from './cost.js';
import { byEvidence, effectOfRecall, formatP, type EffectReport } from './effect.js';
import { mannKendall, MIN_TREND_POINTS } from './tests.js';
import type { AgentEffectiveness, DashboardMetrics, DashboardReport, EffectSummary, SuccessCriterion, WeekPoint, AntiPatternFlag, ExtractedPattern, TrendSummary } from './types.js';
import { plural } from '../diagnostics/words.js';
import { pushTo } from '../dict.js';

/** Executions per week needed before a weekly figure counts for a criterion. */
export const MIN_WEEK_EXECUTIONS = 3;

/** Weeks between two Mondays (YYYY-MM-DD). */
function weeksBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (7 * 86400000));
}

/**
 * Tests a weekly series for a trend (Mann–Kendall, Sen's slope per week; weeks placed at their
 * real distance, so a gap does not look like a jump). `unit` names the slope's unit; `basis` says
 * what the series was made from when it is too short (e.g. "1 execution in 1 week, none with 3+").
 */
export function weeklyTrend(points: ReadonlyArray<{ week: string; value: number }>, alpha: number, unit: string, digits = 2, basis?: string): TrendSummary {
  const t = mannKendall(
    points.map((p) => p.value),
    points.map((p) => (points.length ? weeksBetween(points[0]!.week, p.week) : 0)),
    alpha,
  );
  const f = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${round(x, digits)}`);
  const detail =
    t.n < MIN_TREND_POINTS
      ? `Too few weeks to test a trend: ${basis ?? plural(t.n, 'week')}; a trend needs ${MIN_TREND_POINTS} weeks.`
      : `Mann–Kendall over ${t.n} weeks: S = ${t.s}, p = ${formatP(t.p_value)} (${t.method}); Sen's slope ${f(t.slope)} ${unit} per week (95% ${f(t.slope_low)} to ${f(t.slope_high)})${t.trend === 'flat' ? '; not significant' : ''}.`;
  return {
    n: t.n,
    s: t.s,
    p_value: t.p_value,
    slope: t.slope === null ? null : round(t.slope, 4),
    slope_low: t.slope_low === null ? null : round(t.slope_low, 4),
    slope_high: t.slope_high === null ? null : round(t.slope_high, 4),
    method: t.method,
    detail,
  };
}

function direction(t: TrendSummary, alpha: number): 'up' | 'down' | 'flat' | 'unknown' {
  if (t.n < MIN_TREND_POINTS || t.p_value === null) return 'unknown';
  return t.p_value < alpha ? (t.s > 0 ? 'up' : 'down') : 'flat';
}

/** What a weekly series of mean scores was made from, in words (for a series too short to test). */
function weeksBasis(executions: number, weeks: number, counted: number): string {
  if (!executions) return 'no executions yet';
  const spread = `${plural(executions, 'execution')} in ${plural(weeks, 'week')}`;
  if (counted === weeks) return spread;
  const which = weeks === 1 ? `which has fewer than ${MIN_WEEK_EXECUTIONS} executions` : `${counted || 'none'} of them with ${MIN_WEEK_EXECUTIONS}+ executions`;
  return `${spread}, ${which} (weeks with fewer are not counted)`;
}

/** True for an API / integration execution (task type or domain mentions integration or api). */
export function isIntegration(e: ExecutionRecord): boolean {
  const words = [e.task_type, ...(e.domains ?? [])].join(' ');
  return /integration|(^|[-_ ])api([-_ ]|$)/.test(words);
}

/**
 * Whether an execution says anything about reuse: `record` always scores reusability; an import
 * from a source that records no reuse (a benchmark leaderboard) leaves it out, and such a run is
 * not a run that reused nothing.
 */
export function measuresReuse(e: ExecutionRecord): boolean {
  return e.scores.reusability !== undefined;
}

/** Share of the executions that measured reuse which reused something; null when none measured it. */
function reuseRate(list: readonly ExecutionRecord[]): number | null {
  const measured = list.filter(measuresReuse);
  return measured.length ? round(measured.filter((e) => e.reused?.length).length / measured.length) : null;
}

/** Weekly aggregates (weeks start Monday UTC), with week-over-week change of mean overall. */
export function weeklyPoints(executions: readonly ExecutionRecord[]): WeekPoint[] {
  const groups = new Map<string, ExecutionRecord[]>();
  for (const e of byTime(executions)) {
    const w = weekStart(e.started_at);
    let list = groups.get(w);
    if (!list) groups.set(w, (list = []));
    list.push(e);
  }
  const out: WeekPoint[] = [];
  let prev: number | null = null;
  for (const [week, list] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const m = round(mean(list.map((e) => e.overall)), 2);
    out.push({ week, executions: list.length, mean_overall: m, reuse_rate: reuseRate(list), change: prev === null ? null : round(m - prev, 2) });
    prev = m;
  }
  return out;
}

/** Inputs beyond the executions. */
export interface DashboardInputs {
  /** Accepted pattern files → number of commits that touched each (from Git); undefined outside Git. */
  patternCommits?: ReadonlyMap<string, number>;
  /** Accepted pattern files (repo-relative), to count the ones Git never saw. */
  acceptedPatternFiles?: readonly string[];
  /** Extracted patterns (for the "at least 3 recurring patterns" criterion). */
  patterns?: readonly ExtractedPattern[];
  /** Anti-pattern flags (recommendations name them). */
  flags?: readonly AntiPatternFlag[];
  /** Synthesis records (for "weekly synthesis generates actionable improvements"). */
  syntheses?: ReadonlyArray<RecordByKind['synthesis']>;
}

/**
 * Duration of API and integration executions: mean, median and weekly medians, with the trend
 * tested over the weekly medians (robust to one slow task).
 */
function apiIntegrationTime(ordered: readonly ExecutionRecord[], alpha: number): DashboardMetrics['api_integration_time'] {
  const api = ordered.filter(isIntegration);
  const apiWeeks = new Map<string, number[]>();
  for (const e of api) {
    const w = weekStart(e.started_at);
    pushTo(apiWeeks, w, e.duration_s);
  }
  const weeklyMedian = [...apiWeeks].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([week, d]) => ({ week, median_s: round(median(d), 1) }));
  const apiTest = weeklyTrend(
    weeklyMedian.map((w) => ({ week: w.week, value: w.median_s })),
    alpha,
    's',
    2,
    api.length ? `${plural(api.length, 'API or integration execution')} in ${plural(weeklyMedian.length, 'week')}` : 'no API or integration executions',
  );
  const apiDir = direction(apiTest, alpha);
  return {
    executions: api.length,
    mean_s: api.length ? round(mean(api.map((e) => e.duration_s)), 1) : null,
    median_s: api.length ? round(median(api.map((e) => e.duration_s)), 1) : null,
    weekly_median_s: weeklyMedian,
    trend: apiDir === 'up' ? 'slower' : apiDir === 'down' ? 'faster' : apiDir,
    test: apiTest,
  };
}

/** One row per agent (mean overall, success rate with its interval, cost), best first. */
function agentEffectiveness(ordered: readonly ExecutionRecord[]): AgentEffectiveness[] {
  const agents = new Map<string, ExecutionRecord[]>();
  for (const e of ordered) pushTo(agents, e.agent, e);
  return [...agents]
    .map(([agent, list]) => {
      const successes = list.filter((e) => e.outcome === 'success').length;
      return { agent, executions: list.length, mean_overall: round(mean(list.map((e) => e.overall)), 2), successes, success_rate: wilson(successes, list.length), ...agentCost(list) };
    })
    .sort((a, b) => b.mean_overall - a.mean_overall || (a.agent < b.agent ? -1 : 1));
}

/** How many accepted patterns changed after they were accepted (from Git; unavailable outside it). */
function patternStability(inputs: DashboardInputs): DashboardMetrics['pattern_stability'] {
  const accepted = inputs.acceptedPatternFiles ?? [];
  if (!inputs.patternCommits) return { accepted: accepted.length, changed: 0, changes: 0, stability: null, source: 'unavailable' };
  const counts = accepted.map((f) => inputs.patternCommits!.get(f) ?? 0);
  const changed = counts.filter((c) => c > 1).length;
  return { accepted: accepted.length, changed, changes: counts.reduce((s, c) => s + Math.max(0, c - 1), 0), stability: accepted.length ? round(1 - changed / accepted.length) : null, source: 'git' };
}

/** Computes the five metrics. Trends are stated only when a Mann–Kendall test at `alpha` says so. */
export function computeMetrics(history: readonly ExecutionRecord[], inputs: DashboardInputs = {}, alpha = 0.05): DashboardMetrics {
  const ordered = byTime(history);
  const weeks = weeklyPoints(ordered);
  const measured = ordered.filter(measuresReuse);
  const reused = measured.filter((e) => e.reused?.length).length;
  // Weeks with too few executions say little about their mean: only weeks with MIN_WEEK_EXECUTIONS.
  const counted = weeks.filter((w) => w.executions >= MIN_WEEK_EXECUTIONS);
  const basis = weeksBasis(ordered.length, weeks.length, counted.length);
  const scoreTest = weeklyTrend(
    counted.map((w) => ({ week: w.week, value: w.mean_overall })),
    alpha,
    'points',
    2,
    basis,
  );
  // A week's reuse rate rests on the executions that measured reuse: test weeks with enough of those.
  const measuredIn = new Map<string, number>();
  for (const e of measured) measuredIn.set(weekStart(e.started_at), (measuredIn.get(weekStart(e.started_at)) ?? 0) + 1);
  const reuseWeeks = weeks.filter((w) => w.reuse_rate !== null && (measuredIn.get(w.week) ?? 0) >= MIN_WEEK_EXECUTIONS);
  const reuseTest = weeklyTrend(
    reuseWeeks.map((w) => ({ week: w.week, value: w.reuse_rate! })),
    alpha,
    '',
    3,
    weeksBasis(measured.length, measuredIn.size, reuseWeeks.length),
  );
  return {
    component_reuse_rate: {
      rate: measured.length ? round(reused / measured.length) : null,
      reused,
      executions: measured.length,
      first_week: weeks.length ? weeks[0]!.reuse_rate : null,
      latest_week: weeks.length ? weeks[weeks.length - 1]!.reuse_rate : null,
      trend: direction(reuseTest, alpha),
      test: reuseTest,
    },
    api_integration_time: apiIntegrationTime(ordered, alpha),
    agent_effectiveness: agentEffectiveness(ordered),
    pattern_stability: patternStability(inputs),
    overall_improvement: {
      weeks,
      slope_per_week: scoreTest.slope === null ? null : round(scoreTest.slope, 2),
      trend: direction(scoreTest, alpha),
      last_change: weeks.length >= 2 ? weeks[weeks.length - 1]!.change : null,
      test: scoreTest,
    },
  };
}

/** Reuse rate in the first 7 days of history and in days 22-28 (the fourth week). */
function firstMonthReuse(ordered: readonly ExecutionRecord[]): { first: ExecutionRecord[]; fourth: ExecutionRecord[]; span: number } {
  if (!ordered.length) return { first: [], fourth: [], span: 0 };
  const start = ordered[0]!.started_at.slice(0, 10);
  const inRange = (e: ExecutionRecord, from: number, to: number): boolean => {
    const d = e.started_at.slice(0, 10);
    return d >= addDays(start, from) && d < addDays(start, to);
  };
  const span = (new Date(ordered[ordered.length - 1]!.started_at).getTime() - new Date(ordered[0]!.started_at).getTime()) / 86400000;
  // Executions that did not measure reuse say nothing about it: the weeks compare the others.
  const measured = ordered.filter(measuresReuse);
  return { first: measured.filter((e) => inRange(e, 0, 7)), fourth: measured.filter((e) => inRange(e, 21, 28)), span };
}

/** Learnings the dashboard and the site show (the tested ones, by evidence: see `byEvidence`). */
export const SUMMARY_LEARNINGS = 40;

/** The dashboard's view of an effect report: the learnings tested (up to SUMMARY_LEARNINGS), and the counts. */
export function summarizeEffect(r: EffectReport): EffectSummary {
  const tested = r.learnings.filter((l) => l.q_value !== null);
  const shown = [...tested].sort(byEvidence).slice(0, SUMMARY_LEARNINGS);
  return { ...r, learnings: shown, learnings_recalled: r.learnings.length, learnings_tested: tested.length };
}

function metadataCaptured(ordered: readonly ExecutionRecord[]): SuccessCriterion {
  const n = ordered.length;
  const withMeta = ordered.filter((e) => e.pre && e.post).length;
  return {
    id: 'metadata-captured',
    title: 'Orchestrator captures metadata for all executions',
    status: n === 0 ? 'not_enough_data' : withMeta === n ? 'met' : 'not_met',
    detail: `${withMeta} of ${plural(n, 'execution')} ${withMeta === 1 ? 'has' : 'have'} pre and post metadata.`,
  };
}

function scoringFeedback(ordered: readonly ExecutionRecord[]): SuccessCriterion {
  const n = ordered.length;
  return {
    id: 'scoring-feedback',
    title: 'Scoring system provides quantifiable feedback',
    status: n === 0 ? 'not_enough_data' : 'met',
    detail: n ? `${plural(n, 'execution')} ${n === 1 ? 'carries' : 'carry'} four scores and an overall (mean ${round(mean(ordered.map((e) => e.overall)), 1)}).` : 'No executions yet.',
  };
}

function recurringPatterns(n: number, inputs: DashboardInputs, config: ResolvedConfig): SuccessCriterion {
  // A recurring pattern is a set of executions: patterns over the same ones count once.
  const pats = inputs.patterns ?? [];
  const distinct = new Set(pats.map((p) => p.evidence.join(','))).size;
  return {
    id: 'recurring-patterns',
    title: 'Pattern extraction identifies at least 3 recurring patterns',
    status: distinct >= 3 ? 'met' : n < 10 ? 'not_enough_data' : 'not_met',
    detail: `${distinct} distinct ${distinct === 1 ? 'set' : 'sets'} of executions (${plural(pats.length, 'pattern')}) with support ≥ ${config.patterns.min_support} and lift ≥ ${config.patterns.min_lift} from ${plural(n, 'execution')}.`,
  };
}

function queryRelevant(ordered: readonly ExecutionRecord[], config: ResolvedConfig, effectReport?: EffectReport): SuccessCriterion {
  // Relevance of recall, like for like: the stratified effect of recalling learnings (effect.ts),
  // never the naive with/without split (the executions that recall are on harder work).
  const effect = (effectReport ?? effectOfRecall(ordered, config)).overall;
  const comparisons = effect.helpful + effect.harmful;
  return {
    id: 'query-relevant',
    title: 'Query interface returns relevant past learnings',
    status: effect.verdict === 'helps' ? 'met' : effect.verdict === 'harms' ? 'not_met' : comparisons < 10 ? 'not_enough_data' : 'not_met',
    detail: `Effect of recall like for like (\`learning-loop effect\`): ${effect.reason}`,
  };
}

function synthesisActionable(inputs: DashboardInputs): SuccessCriterion {
  const syn = inputs.syntheses ?? [];
  const actionable = syn.filter((s) => (s.proposed?.length ?? 0) + (s.archived?.length ?? 0) > 0);
  return {
    id: 'synthesis-actionable',
    title: 'Weekly synthesis generates actionable improvements',
    status: syn.length === 0 ? 'not_enough_data' : actionable.length ? 'met' : 'not_met',
    detail: `${actionable.length} of ${plural(syn.length, 'synthesis report')} proposed changes.`,
  };
}

function reuseUp20(ordered: readonly ExecutionRecord[]): SuccessCriterion {
  const fm = firstMonthReuse(ordered);
  const r1 = fm.first.filter((e) => e.reused?.length).length / Math.max(1, fm.first.length);
  const r4 = fm.fourth.filter((e) => e.reused?.length).length / Math.max(1, fm.fourth.length);
  const enough = fm.span >= 21 && fm.first.length >= MIN_WEEK_EXECUTIONS && fm.fourth.length >= MIN_WEEK_EXECUTIONS;
  return {
    id: 'reuse-up-20',
    title: 'Component reuse rate increases by 20% within first month',
    status: !enough ? 'not_enough_data' : (r1 === 0 ? r4 > 0 : r4 >= r1 * 1.2) ? 'met' : 'not_met',
    detail: enough
      ? `Reuse rate ${Math.round(r1 * 100)}% in the first week (${plural(fm.first.length, 'execution')}) → ${Math.round(r4 * 100)}% in the fourth week (${fm.fourth.length}); needs +20% relative.`
      : `Needs ${MIN_WEEK_EXECUTIONS}+ executions in the first and the fourth week of history (have ${fm.first.length} and ${fm.fourth.length}).`,
  };
}

function scoresTrendUp(metrics: DashboardMetrics): SuccessCriterion {
  const trendTest = metrics.overall_improvement.test;
  return {
    id: 'scores-trend-up',
    title: 'Average execution scores trend upward week-over-week',
    status: trendTest.n < MIN_TREND_POINTS ? 'not_enough_data' : metrics.overall_improvement.trend === 'up' ? 'met' : 'not_met',
    detail:
      trendTest.n < MIN_TREND_POINTS
        ? `Needs ${MIN_TREND_POINTS}+ weeks with ${MIN_WEEK_EXECUTIONS}+ executions to test a trend (have ${trendTest.n}).`
        : `Weekly mean overall ${metrics.overall_improvement.weeks
            .filter((w) => w.executions >= MIN_WEEK_EXECUTIONS)
            .map((w) => w.mean_overall)
            .join(' → ')}. ${trendTest.detail}`,
  };
}

/** The seed's success criteria, each met / not met / not enough data, with the numbers. */
export function successCriteria(history: readonly ExecutionRecord[], metrics: DashboardMetrics, inputs: DashboardInputs, config: ResolvedConfig, effectReport?: EffectReport): SuccessCriterion[] {
  const ordered = byTime(history);
  return [
    metadataCaptured(ordered),
    scoringFeedback(ordered),
    recurringPatterns(ordered.length, inputs, config),
    queryRelevant(ordered, config, effectReport),
    synthesisActionable(inputs),
    reuseUp20(ordered),
    scoresTrendUp(metrics),
  ];
}

/** Recommendations: one sentence each, naming what they rest on. */
export function recommendations(metrics: DashboardMetrics, inputs: DashboardInputs): string[] {
  const out: string[] = [];
  for (const f of inputs.flags ?? []) out.push(`${f.action.replace(/_/g, ' ')}: ${f.message} Evidence: ${f.evidence.slice(0, 5).join(', ')}${f.evidence.length > 5 ? ', …' : ''}.`);
  const weakest = metrics.agent_effectiveness.filter((a) => a.executions >= 5 && a.success_rate.high !== null && a.success_rate.high < 0.5);
  for (const a of weakest)
    out.push(
      `Agent ${a.agent} succeeds in at most ${Math.round(a.success_rate.high! * 100)}% of tasks (95% interval, ${plural(a.executions, 'execution')}): pair it with recalled rules or reassign its task types.`,
    );
  if (metrics.overall_improvement.trend === 'down')
    out.push(`Mean scores fall by ${Math.abs(metrics.overall_improvement.slope_per_week ?? 0)} points per week (${metrics.overall_improvement.test.detail}): review the open root-cause reflections.`);
  if (metrics.api_integration_time.trend === 'slower') out.push('API integration time is rising: extract a template from the fastest integration and recall it before the next one.');
  for (const p of (inputs.patterns ?? []).filter((p) => p.pattern_type === 'failure').slice(0, 3)) out.push(`Turn failure pattern ${p.id} into a rule: ${p.statement}`);
  return out;
}

/** The dashboard report for a history. */
export function dashboardReport(history: readonly ExecutionRecord[], config: ResolvedConfig, inputs: DashboardInputs = {}): DashboardReport {
  const metrics = computeMetrics(history, inputs, config.statistics.alpha);
  const effect = effectOfRecall(byTime(history), config);
  return {
    metrics,
    effect: summarizeEffect(effect),
    trends: { overall: metrics.overall_improvement.trend, reuse: metrics.component_reuse_rate.trend, api_integration_time: metrics.api_integration_time.trend },
    recommendations: recommendations(metrics, inputs),
    success_criteria: successCriteria(history, metrics, inputs, config, effect),
  };
}

/**
 * The seed's `LearningDashboard`: `metrics`, `updateMetrics(execution)` after each execution,
 * `generateReport()` → {metrics, trends, recommendations} (+ success criteria).
 */
export class LearningDashboard {
  /** The seed's five metrics, current for the executions seen so far. */
  metrics: DashboardMetrics;
  private readonly executions: ExecutionRecord[];

  /** Starts from a history (records-table rows or executions) and the config. */
  constructor(
    history: ReadonlyArray<ExecutionRecord | RecordRow> = [],
    private readonly config: ResolvedConfig,
    private readonly inputs: DashboardInputs = {},
  ) {
    this.executions = history
      .map((h) => ('data' in h && 'kind' in h && (h as RecordRow).file !== undefined ? (h as RecordRow).data : (h as ExecutionRecord)))
      .filter((r): r is ExecutionRecord => r.kind === 'execution');
    this.metrics = computeMetrics(this.executions, this.inputs, config.statistics.alpha);
  }

  /** Adds an execution and recomputes the metrics. */
  updateMetrics(execution: ExecutionRecord): void {
    this.executions.push(execution);
    this.metrics = computeMetrics(this.executions, this.inputs, this.config.statistics.alpha);
  }

  /** The weekly improvement report. */
  generateReport(): DashboardReport {
    return dashboardReport(this.executions, this.config, this.inputs);
  }
}
