/**
 * Dashboard and agents page data: shapes what the learning engine (`learn.json`) and the build
 * (`aggregates.json`) computed into metric cards, criteria, flags and charts. Nothing is
 * recomputed here; when an input is missing the page says "not available yet".
 */
import type { AgentEffectiveness, DashboardMetrics, DashboardReport, EffectSummary, LearnSnapshot } from '../learn/types.js';
import { formatP, formatRatio } from '../learn/effect.js';
import { barChart, forestPlot, lineChart, stackedChart } from './render-charts.js';
import { facetSlug, type ChartBlock, type LinkRef, type RecordPage, type SiteRecords } from './site-data.js';
import { plural } from '../diagnostics/words.js';

/** The parts of `aggregates.json` the site uses (the build documents the full shape). */
export interface SiteAggregates {
  by_task_type?: Record<string, { count: number; duration_s: { mean: number; median: number; p90: number } }>;
  by_week?: Record<string, { count: number; outcomes: { success: number; partial: number; failure: number }; scores: { overall: number }; reuse_rate: number }>;
  by_agent?: Record<string, { count: number; scores: { overall: number }; outcomes: { success: number; partial: number; failure: number } }>;
}

/** A dashboard metric card. */
export interface MetricCard {
  key: string;
  label: string;
  value: string;
  /** up | down | flat | faster | slower | unknown */
  trend: string;
  /** Whether the trend is good news (for colour), bad news, or neutral. */
  tone: 'good' | 'bad' | 'neutral';
  detail: string;
}

/** Dashboard page data. */
export interface DashboardData {
  available: { learn: boolean; aggregates: boolean };
  executions: number;
  latestExecution: string | null;
  metrics: MetricCard[];
  criteria: Array<{ id: string; title: string; status: string; detail: string }>;
  flags: Array<{ id: string; monitor: string; action: string; subject: string; message: string; evidence: LinkRef[] }>;
  /** Recommendation sentences split into text and links (ids in the text become links). */
  recommendations: Array<Array<{ text: string; href?: string }>>;
  latestSynthesis: Pick<RecordPage, 'id' | 'title' | 'href' | 'date' | 'badge' | 'summary' | 'bodyHtml' | 'fields'> | null;
  charts: ChartBlock[];
  agents: Array<{ agent: string; executions: number; mean: string; success: string; interval: string; cost: string; href: string }>;
  agentChart: ChartBlock | null;
  /** True when any execution reports a cost (`usage.cost_usd`). */
  hasCostData: boolean;
  topPatterns: LinkRef[];
  /** The effect of memory (the `effect/` page and the dashboard's summary); null before a learning snapshot. */
  effect: EffectPage | null;
}

/** The "Effect of memory" page: `learning-loop effect` as the site shows it. */
export interface EffectPage {
  verdict: string;
  reason: string;
  method: string;
  strata: string;
  recalling: number;
  executions: number;
  disagreement: string | null;
  arms: { withMemory: string; withoutMemory: string; verdict: string; reason: string } | null;
  taskTypes: Array<{ taskType: string; verdict: string; reason: string; arms: string | null }>;
  agents: Array<{ agent: string; verdict: string; reason: string }>;
  learningsRecalled: number;
  learningsTested: number;
  fdr: number;
  /** Forest plot of the per-learning odds ratios with their intervals, and its data table. */
  forest: ChartBlock | null;
}

const ci = (x: number | null, inf = '∞'): string => (x === null ? inf : x >= 100 ? String(Math.round(x)) : String(Number(formatRatio(x))));

/** The effect page from the snapshot's effect summary. */
export function prepareEffect(summary: EffectSummary | undefined): EffectPage | null {
  if (!summary) return null;
  const o = summary.overall;
  const rows = summary.learnings;
  return {
    verdict: o.verdict,
    reason: o.reason,
    method: o.method,
    strata: summary.strata_by.map((x) => x.replace('_', ' ')).join(' + ') || 'the whole knowledge base',
    recalling: summary.recalling,
    executions: summary.executions,
    disagreement: summary.disagreement ?? null,
    arms: summary.arms ? { withMemory: summary.arms.with_memory.join(', '), withoutMemory: summary.arms.without_memory.join(', '), verdict: summary.arms.verdict, reason: summary.arms.reason } : null,
    taskTypes: (summary.task_types ?? []).map((t) => ({
      taskType: t.task_type,
      verdict: t.overall.verdict,
      reason: t.overall.reason,
      arms: t.arms ? `Agents with memory (${t.arms.with_memory.join(', ')}) vs without (${t.arms.without_memory.join(', ')}): ${t.arms.verdict} — ${t.arms.reason}` : null,
    })),
    agents: summary.agents.map((a) => ({ agent: a.agent, verdict: a.verdict, reason: a.reason })),
    learningsRecalled: summary.learnings_recalled,
    learningsTested: summary.learnings_tested,
    fdr: summary.fdr,
    forest: rows.length
      ? {
          id: 'chart-effect-forest',
          title: 'Effect of each recalled learning (odds ratio of success, 95% interval)',
          desc: `${rows.length} learnings tested against comparable work without them, most evidence first: ${rows.filter((l) => l.verdict === 'helps').length} help and ${rows.filter((l) => l.verdict === 'harms').length} harm after false-discovery-rate control at ${summary.fdr}; the rest are unclear. Right of the dashed line at 1, recalling the learning went with success.`,
          svg: forestPlot(
            rows.map((l) => ({ label: l.id, estimate: l.odds_ratio, low: l.ci_low, high: l.ci_high, verdict: l.verdict })),
            { id: 'chart-effect-forest', title: 'Effect of each recalled learning', desc: 'Odds ratios with 95% intervals on a log scale.' },
          ),
          table: {
            head: ['Learning', 'Recalled', 'Helpful', 'Harmful', 'Odds ratio', '95% interval', 'p', 'q', 'Verdict'],
            rows: rows.map((l) => [
              l.id,
              String(l.recalled),
              String(l.helpful),
              String(l.harmful),
              ci(l.odds_ratio),
              `${ci(l.ci_low, '0')}–${ci(l.ci_high)}`,
              formatP(l.p_value),
              formatP(l.q_value),
              l.verdict,
            ]),
          },
        }
      : null,
  };
}

/** What was read from the build folder. */
export interface LearnRead {
  snapshot?: LearnSnapshot;
  aggregates?: SiteAggregates;
  /** Execution ids the dashboard links to (flag and pattern evidence): they get pages. */
  referencedExecutions: string[];
}

/** What the dashboard reads from the last learning snapshot and build (either may be absent). */
export function learnRead(snapshot: LearnSnapshot | undefined, aggregates: SiteAggregates | undefined): LearnRead {
  const referenced = new Set<string>();
  for (const f of snapshot?.flags ?? []) for (const id of f.evidence.slice(0, 20)) referenced.add(id);
  for (const p of snapshot?.patterns ?? []) for (const id of p.evidence) referenced.add(id);
  return { ...(snapshot ? { snapshot } : {}), ...(aggregates ? { aggregates } : {}), referencedExecutions: [...referenced].sort() };
}

const pct = (r: number | null | undefined): string => (r === null || r === undefined ? 'n/a' : `${Math.round(r * 100)}%`);
const num = (r: number | null | undefined, digits = 1): string => (r === null || r === undefined ? 'n/a' : String(Math.round(r * 10 ** digits) / 10 ** digits));
function dur(s: number | null | undefined): string {
  if (s === null || s === undefined) return 'n/a';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round((s / 3600) * 10) / 10} h`;
}
/** Cost per success as a table cell (older snapshots have no cost fields: "no cost data"). */
function costCell(a: Partial<Pick<AgentEffectiveness, 'cost_usd' | 'cost_per_success' | 'with_cost'>> & { executions: number }): string {
  if (a.cost_usd === null || a.cost_usd === undefined) return 'no cost data';
  const cover = a.with_cost === a.executions ? '' : ` (${a.with_cost} of ${a.executions} runs report a cost)`;
  return a.cost_per_success === null || a.cost_per_success === undefined ? `no success ($${a.cost_usd} spent)${cover}` : `$${a.cost_per_success}${cover}`;
}

const tone = (t: string, goodWhen: string[]): MetricCard['tone'] => (goodWhen.includes(t) ? 'good' : t === 'unknown' || t === 'flat' ? 'neutral' : 'bad');

/** The five metric cards of the learning snapshot. */
function metricCards(dashboard: DashboardReport): MetricCard[] {
  const m = dashboard.metrics;
  const oi = m.overall_improvement;
  const reuse = m.component_reuse_rate;
  const api = m.api_integration_time;
  const ps = m.pattern_stability;
  return [
    {
      key: 'component_reuse_rate',
      label: 'Component reuse rate',
      value: pct(reuse.rate),
      trend: dashboard.trends.reuse,
      tone: tone(dashboard.trends.reuse, ['up']),
      detail:
        reuse.rate === null
          ? 'Not measured: no execution records reuse (an imported history, such as a benchmark leaderboard, may not).'
          : `${reuse.reused} of ${plural(reuse.executions, 'execution')} that measured reuse reused a template, component or rule; first week ${pct(reuse.first_week)}, latest ${pct(reuse.latest_week)}. ${m.component_reuse_rate.test.detail}`,
    },
    {
      key: 'api_integration_time',
      label: 'API integration time',
      value: dur(api.median_s),
      trend: api.trend,
      tone: tone(api.trend, ['faster']),
      detail: `Median over ${api.executions} integration executions (mean ${dur(api.mean_s)}). ${api.test.detail}`,
    },
    {
      key: 'agent_effectiveness',
      label: 'Agent effectiveness',
      value: m.agent_effectiveness[0] ? `${m.agent_effectiveness[0].agent}` : 'n/a',
      trend: 'unknown',
      tone: 'neutral',
      detail: m.agent_effectiveness[0]
        ? `Best mean score ${num(m.agent_effectiveness[0].mean_overall)} over ${plural(m.agent_effectiveness[0].executions, 'execution')}; ${plural(m.agent_effectiveness.length, 'agent')} in total.`
        : 'No executions yet.',
    },
    {
      key: 'pattern_stability',
      label: 'Pattern stability',
      value: pct(ps.stability),
      trend: 'unknown',
      tone: 'neutral',
      detail: ps.source === 'git' ? `${ps.changed} of ${ps.accepted} accepted patterns changed (${ps.changes} changes in Git history).` : 'Git history not available.',
    },
    {
      key: 'overall_improvement',
      label: 'Overall improvement',
      value: oi.slope_per_week === null ? 'n/a' : `${oi.slope_per_week >= 0 ? '+' : ''}${num(oi.slope_per_week)}/wk`,
      trend: oi.trend,
      tone: tone(oi.trend, ['up']),
      detail: `Weekly mean scores over ${plural(oi.weeks.length, 'week')}; last week-over-week change ${oi.last_change === null ? 'n/a' : `${oi.last_change >= 0 ? '+' : ''}${num(oi.last_change)}`}. ${oi.test.detail}`,
    },
  ];
}

/** Line chart of the weekly mean overall score, with its trend. */
function scoreChart(oi: DashboardMetrics['overall_improvement']): ChartBlock {
  const weeks = oi.weeks;
  return {
    id: 'chart-score',
    title: 'Weekly mean score',
    desc: weeks.length
      ? `Mean overall score per week over ${plural(weeks.length, 'week')}, from ${num(weeks[0]!.mean_overall)} to ${num(weeks[weeks.length - 1]!.mean_overall)}; trend ${oi.trend}${oi.slope_per_week === null ? '' : ` (${num(oi.slope_per_week)} per week)`}.`
      : 'No weekly scores yet.',
    svg: lineChart(
      weeks.map((w) => ({ x: w.week, y: w.mean_overall })),
      { id: 'chart-score', title: 'Weekly mean score', desc: `Trend ${oi.trend}.`, yMax: 100, trend: true },
    ),
    table: { head: ['Week', 'Executions', 'Mean score', 'Change'], rows: weeks.map((w) => [w.week, String(w.executions), num(w.mean_overall), w.change === null ? '—' : num(w.change)]) },
  };
}

/** Line chart of the reuse rate per week. */
function reuseChart(dashboard: DashboardReport): ChartBlock {
  const weeks = dashboard.metrics.overall_improvement.weeks;
  return {
    id: 'chart-reuse',
    title: 'Reuse rate per week',
    desc: weeks.length
      ? `Share of executions that reused a template, component or rule, per week (of those that measured reuse): first ${pct(weeks[0]!.reuse_rate)}, latest ${pct(weeks[weeks.length - 1]!.reuse_rate)}.`
      : 'No executions yet.',
    svg: lineChart(
      weeks.flatMap((w) => (w.reuse_rate === null ? [] : [{ x: w.week, y: Math.round(w.reuse_rate * 1000) / 10 }])),
      { id: 'chart-reuse', title: 'Reuse rate per week', desc: `Reuse trend ${dashboard.trends.reuse}.`, yMax: 100, unit: '%', trend: true },
    ),
    table: { head: ['Week', 'Reuse rate'], rows: weeks.map((w) => [w.week, pct(w.reuse_rate)]) },
  };
}

/** A success rate's 95% interval as a table cell. */
const intervalCell = (a: AgentEffectiveness): string => (a.success_rate.low === null ? 'n/a' : `${pct(a.success_rate.low)}–${pct(a.success_rate.high)}`);

/** The agents page's rows, one per agent (best mean score first, as the snapshot orders them). */
function agentRows(eff: readonly AgentEffectiveness[]): DashboardData['agents'] {
  return eff.map((a) => ({
    agent: a.agent,
    executions: a.executions,
    mean: num(a.mean_overall),
    success: pct(a.success_rate.rate),
    interval: intervalCell(a),
    cost: costCell(a),
    href: `executions/by/agent/${facetSlug(a.agent)}/`,
  }));
}

/** Bar chart of the mean overall score per agent (the first 20), with the full table. */
function agentChartOf(eff: readonly AgentEffectiveness[]): ChartBlock {
  return {
    id: 'chart-agents',
    title: 'Agent effectiveness',
    desc: eff.length ? `Mean overall score per agent; highest ${eff[0]!.agent} at ${num(eff[0]!.mean_overall)}.` : 'No agents yet.',
    svg: barChart(
      eff.slice(0, 20).map((a) => ({ label: a.agent, value: a.mean_overall, note: `n=${a.executions}` })),
      { id: 'chart-agents', title: 'Agent effectiveness', desc: 'Mean overall score per agent.', yMax: 100 },
    ),
    table: {
      head: ['Agent', 'Executions', 'Mean score', 'Success rate', '95% interval', 'Cost per success'],
      rows: eff.map((a) => [a.agent, String(a.executions), num(a.mean_overall), pct(a.success_rate.rate), intervalCell(a), costCell(a)]),
    },
  };
}

/** Stacked chart of the outcomes per ISO week (the last 26 weeks). */
function outcomeChart(byWeek: NonNullable<SiteAggregates['by_week']>): ChartBlock {
  const weeks = Object.keys(byWeek).sort().slice(-26);
  const keys = ['success', 'partial', 'failure'];
  return {
    id: 'chart-outcomes',
    title: 'Outcome mix per week',
    desc: `Successes, partial results and failures per ISO week over the last ${plural(weeks.length, 'week')}.`,
    svg: stackedChart(
      weeks.map((w) => ({ label: w, parts: keys.map((k) => ({ key: k, value: byWeek[w]!.outcomes[k as 'success'] })) })),
      keys,
      { id: 'chart-outcomes', title: 'Outcome mix per week', desc: 'Stacked successes, partials and failures.' },
    ),
    table: { head: ['Week', 'Success', 'Partial', 'Failure'], rows: weeks.map((w) => [w, ...keys.map((k) => String(byWeek[w]!.outcomes[k as 'success']))]) },
  };
}

/** Bar chart of the median duration of the 15 most frequent task types. */
function durationChart(byTaskType: NonNullable<SiteAggregates['by_task_type']>): ChartBlock {
  const types = Object.entries(byTaskType)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, 15);
  return {
    id: 'chart-durations',
    title: 'Duration per task type',
    desc: types.length
      ? `Median duration in minutes for the ${types.length} most frequent task types; longest median ${types.slice().sort((a, b) => b[1].duration_s.median - a[1].duration_s.median)[0]![0]}.`
      : 'No executions yet.',
    svg: barChart(
      types.map(([t, s]) => ({ label: t, value: Math.round(s.duration_s.median / 6) / 10, note: `n=${s.count}` })),
      { id: 'chart-durations', title: 'Duration per task type', desc: 'Median minutes per task type.', unit: ' min' },
    ),
    table: { head: ['Task type', 'Executions', 'Median', 'Mean', 'p90'], rows: types.map(([t, s]) => [t, String(s.count), dur(s.duration_s.median), dur(s.duration_s.mean), dur(s.duration_s.p90)]) },
  };
}

/** The newest synthesis record's page fields, or null when there is none. */
function latestSynthesis(records: SiteRecords): DashboardData['latestSynthesis'] {
  const synth = records.sections.synthesis[0];
  return synth ? { id: synth.id, title: synth.title, href: synth.href, date: synth.date, badge: synth.badge, summary: synth.summary, bodyHtml: synth.bodyHtml, fields: synth.fields } : null;
}

/** Builds the dashboard data from the learning snapshot, the aggregates and the prepared records. */
export function prepareDashboard(read: LearnRead, records: SiteRecords): DashboardData {
  const snap = read.snapshot;
  const agg = read.aggregates;
  const link = (id: string): LinkRef => {
    const href = records.hrefs.get(id);
    return href ? { id, href } : { id };
  };
  const eff = snap?.dashboard.metrics.agent_effectiveness ?? [];
  const agentChart = snap ? agentChartOf(eff) : null;
  const charts: ChartBlock[] = [];
  if (snap) charts.push(scoreChart(snap.dashboard.metrics.overall_improvement), reuseChart(snap.dashboard), agentChart!);
  if (agg?.by_week) charts.push(outcomeChart(agg.by_week));
  if (agg?.by_task_type) charts.push(durationChart(agg.by_task_type));
  return {
    available: { learn: Boolean(snap), aggregates: Boolean(agg) },
    executions: snap?.executions ?? records.execRows.length,
    latestExecution: snap?.latest_execution ?? null,
    metrics: snap ? metricCards(snap.dashboard) : [],
    criteria: snap?.dashboard.success_criteria.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail })) ?? [],
    flags: (snap?.flags ?? []).map((f) => ({ id: f.id, monitor: f.monitor, action: f.action, subject: f.subject, message: f.message, evidence: f.evidence.slice(0, 20).map(link) })),
    recommendations: (snap?.dashboard.recommendations ?? []).map((r) => linkIds(r, records.hrefs)),
    latestSynthesis: latestSynthesis(records),
    charts,
    agents: agentRows(eff),
    agentChart,
    hasCostData: eff.some((a) => typeof a.cost_usd === 'number'),
    topPatterns: (snap?.patterns ?? [])
      .filter((p) => p.status !== 'rejected' && p.status !== 'archived')
      .slice(0, 6)
      .map((p) => ({ ...link(p.id), label: p.statement })),
    effect: prepareEffect(snap?.dashboard.effect),
  };
}

/** Splits text into segments, linking every token that is the id of a record with a page. */
export function linkIds(text: string, hrefs: ReadonlyMap<string, string>): Array<{ text: string; href?: string }> {
  const out: Array<{ text: string; href?: string }> = [];
  let last = 0;
  for (const m of text.matchAll(/[A-Za-z0-9][A-Za-z0-9_-]{2,127}/g)) {
    const href = hrefs.get(m[0]);
    if (!href) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], href });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
