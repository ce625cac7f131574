/**
 * The effect of memory on outcomes, like for like (`learning-loop effect`). Pure.
 *
 * Executions that recalled learnings are compared with executions that did not *within strata of
 * comparable work* (by default the same task type and component in the same ISO week; config
 * `statistics.strata`), and the strata are combined with the Mantel–Haenszel estimator (see
 * `tests.ts`). The naive split (success rate with recall vs without, over everything) is also
 * computed, and when the two disagree the report says so: the tasks that recall are usually the
 * harder ones, because only tasks that failed before have reflections to recall.
 *
 * Reported overall, per agent (an agent's recalling executions against every comparable
 * execution that did not recall), per learning (executions that recalled it against comparable
 * ones that did not; false discovery rate controlled across learnings with Benjamini–Hochberg),
 * and, when some agents recall and others never do on the same work, per memory arm (agents
 * with memory vs agents without: the with/without-memory comparison of an experiment).
 */
import type { ExecutionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../config.js';
import { isoWeek } from '../aggregates.js';
import { benjaminiHochberg, mantelHaenszel, type MantelHaenszel, type Stratum } from './tests.js';
import { plural } from '../diagnostics/words.js';

/** What an estimate concludes. */
export type Verdict = 'helps' | 'harms' | 'unclear';

/** One estimate with its verdict and the reason in words. */
export interface EffectEstimate extends MantelHaenszel {
  verdict: Verdict;
  /** One sentence: why this verdict (significance, or too little data). */
  reason: string;
}

/** The naive split, for contrast: success rates with and without recall over every execution. */
export interface NaiveSplit {
  with_recall: { executions: number; successes: number; rate: number | null };
  without_recall: { executions: number; successes: number; rate: number | null };
  /** Rate with minus rate without (null when either side is empty). */
  difference: number | null;
  /** Exact p-value of that difference (one 2x2 table, no strata). */
  p_value: number | null;
}

/** The effect of one recalled learning. */
export interface LearningEffect extends EffectEstimate {
  id: string;
  /** Executions that recalled it. */
  recalled: number;
  /** Benjamini–Hochberg q-value across the learnings tested (null when not tested). */
  q_value: number | null;
}

/** The effect of recall for one agent. */
export interface AgentEffect extends EffectEstimate {
  agent: string;
  /** The agent's executions, and those that recalled something. */
  executions: number;
  recalling: number;
}

/** Agents that use memory against agents that never recall, on the same work. */
export interface ArmComparison extends EffectEstimate {
  with_memory: string[];
  without_memory: string[];
}

/** `effect --json`: stable field names. */
export interface EffectReport {
  version: 1;
  /** What makes executions comparable (config `statistics.strata`). */
  strata_by: string[];
  alpha: number;
  fdr: number;
  executions: number;
  /** Executions that recalled at least one learning. */
  recalling: number;
  overall: EffectEstimate;
  naive: NaiveSplit;
  /** One line when the naive split and the stratified estimate point different ways (else absent). */
  disagreement?: string;
  agents: AgentEffect[];
  learnings: LearningEffect[];
  /** The learnings asked for with `--learning` (absent: every learning recalled is reported). */
  asked?: string[];
  /** Of those asked for, the ones no execution ever recalled. */
  not_recalled?: string[];
  arms?: ArmComparison;
  /** The overall estimate (and the memory arms) within each task type, when there are several. */
  task_types?: TaskTypeEffect[];
}

/** The effect within one task type (e.g. one benchmark). */
export interface TaskTypeEffect {
  task_type: string;
  executions: number;
  recalling: number;
  overall: EffectEstimate;
  arms?: ArmComparison;
}

/** An execution's outcome as a success (1) or not (0): partial counts as not a success. */
export function succeeded(e: ExecutionRecord): boolean {
  return e.outcome === 'success';
}

/** The stratum key of an execution under the configured strata. */
export function stratumOf(e: ExecutionRecord, by: readonly string[]): string {
  return by
    .map((k) => {
      switch (k) {
        case 'task_type':
          return e.task_type;
        case 'component':
          return e.component ?? '';
        case 'week':
          return isoWeek(e.started_at);
        case 'agent':
          return e.agent;
        case 'domain':
          return [...(e.domains ?? [])].sort().join(',');
        case 'sprint':
          return e.sprint ?? '';
        default:
          return '';
      }
    })
    .join('\u0001');
}

/** 2x2 strata of `treated` vs the executions in the same strata that are not treated (`control`). */
export function strataOf(
  history: readonly ExecutionRecord[],
  by: readonly string[],
  treated: (e: ExecutionRecord) => boolean,
  control: (e: ExecutionRecord) => boolean = (e) => !treated(e),
): Stratum[] {
  const groups = new Map<string, Stratum>();
  for (const e of history) {
    const t = treated(e);
    if (!t && !control(e)) continue;
    const key = stratumOf(e, by);
    let s = groups.get(key);
    if (!s) groups.set(key, (s = { a: 0, b: 0, c: 0, d: 0 }));
    const ok = succeeded(e);
    if (t) ok ? s.a++ : s.b++;
    else ok ? s.c++ : s.d++;
  }
  return [...groups.values()];
}

/**
 * Stratum keys and outcome counts computed once for a history, so that the strata of any subset
 * against its complement (a learning's recalls against everything else) cost the size of the
 * subset, not of the history.
 */
class StrataIndex {
  readonly key: string[];
  readonly ok: boolean[];
  /** Per stratum: successes and failures of every execution, and of those that recalled nothing. */
  private readonly all = new Map<string, [number, number]>();
  private readonly quiet = new Map<string, [number, number]>();

  constructor(
    readonly history: readonly ExecutionRecord[],
    by: readonly string[],
  ) {
    this.key = history.map((e) => stratumOf(e, by));
    this.ok = history.map(succeeded);
    history.forEach((e, i) => {
      add(this.all, this.key[i]!, this.ok[i]!);
      if (!(e.recalled?.length ?? 0)) add(this.quiet, this.key[i]!, this.ok[i]!);
    });
  }

  /** Strata of the executions `treated` (indexes) against the rest (`vs: 'rest'`) or those that recalled nothing (`vs: 'quiet'`). */
  strata(treated: readonly number[], vs: 'rest' | 'quiet'): Stratum[] {
    const mine = new Map<string, [number, number]>();
    for (const i of treated) add(mine, this.key[i]!, this.ok[i]!);
    const base = vs === 'rest' ? this.all : this.quiet;
    const out: Stratum[] = [];
    for (const [k, [a, b]] of mine) {
      const [s, f] = base.get(k) ?? [0, 0];
      // With 'rest' the treated are part of `all`; with 'quiet' they recalled, so are not in it.
      const c = vs === 'rest' ? s - a : s;
      const d = vs === 'rest' ? f - b : f;
      out.push({ a, b, c, d });
    }
    return out;
  }
}

function add(m: Map<string, [number, number]>, k: string, ok: boolean): void {
  let v = m.get(k);
  if (!v) m.set(k, (v = [0, 0]));
  v[ok ? 0 : 1]++;
}

/**
 * An odds ratio or interval end with 2 decimals, or as many more as it takes not to print 1.00
 * for a value that is not 1 (an interval ending at 0.997 excludes 1; "1.00" would say it touches it).
 */
export function formatRatio(x: number | null, d = 2): string {
  if (x === null) return '∞';
  let digits = d;
  while (digits < 6 && x !== 1 && Number(x.toFixed(digits)) === 1) digits++;
  return x.toFixed(digits);
}

/** Formats a p-value for people: 3 significant digits, `< 1e-300` at the floor. */
export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p === 0) return '< 1e-300';
  if (p < 0.001) return p.toExponential(2);
  return p.toFixed(p < 0.01 ? 4 : 3);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "15 helpful vs 29 harmful of 149 matched pairs" (see `MantelHaenszel.pairs`). */
function pairsText(m: MantelHaenszel): string {
  return `${m.helpful} helpful vs ${m.harmful} harmful of ${m.pairs} matched ${m.pairs === 1 ? 'pair' : 'pairs'}`;
}

/** True when an estimate has something to test: comparable work where some outcome differs. */
function testable(m: MantelHaenszel): boolean {
  return m.informative > 0 && m.helpful + m.harmful > 0 && m.p_value !== null;
}

/**
 * Which way a significant estimate points: the side of 1 its interval lies on (the p-value is
 * below alpha exactly when the interval excludes 1), else the sign of the risk difference.
 */
function pointsUp(m: MantelHaenszel): boolean {
  if (m.ci_low !== null && m.ci_low > 1) return true;
  if (m.ci_high !== null && m.ci_high < 1) return false;
  return m.risk_difference !== null && m.risk_difference !== 0 ? m.risk_difference > 0 : m.helpful > m.harmful;
}

/** Adds the verdict to an estimate: significant at `alpha` (or `q` below it), else unclear, and says why. */
export function judge(m: MantelHaenszel, alpha: number, q?: number | null): EffectEstimate {
  const p = q === undefined ? m.p_value : q;
  const what = q === undefined ? `p = ${formatP(m.p_value)}` : `q = ${formatP(q ?? null)} (p = ${formatP(m.p_value)})`;
  if (!m.informative) return { ...m, verdict: 'unclear', reason: 'No comparable work: no group of comparable executions has both executions that recalled and executions that did not.' };
  if (!testable(m) || p === null)
    return { ...m, verdict: 'unclear', reason: `No comparable pair differs in outcome (${m.informative} groups, ${m.treated} vs ${m.control} executions): nothing to tell the two apart.` };
  const interval = `odds ratio ${formatRatio(m.odds_ratio)} (95% ${formatRatio(m.ci_low)}–${formatRatio(m.ci_high)}), success ${m.risk_difference! >= 0 ? '+' : ''}${Math.round(m.risk_difference! * 100)} points`;
  if (p < alpha) {
    const verdict: Verdict = pointsUp(m) ? 'helps' : 'harms';
    return { ...m, verdict, reason: `${capitalize(interval)}, ${what} < ${alpha}; ${pairsText(m)}${p >= alpha / 10 ? ' (weak evidence: p is near the threshold)' : ''}.` };
  }
  return { ...m, verdict: 'unclear', reason: `${capitalize(interval)}, ${what} ≥ ${alpha}; ${pairsText(m)}${m.helpful + m.harmful < 10 ? ' — too few to tell' : ''}.` };
}

function naiveSplit(history: readonly ExecutionRecord[]): NaiveSplit {
  const side = (list: readonly ExecutionRecord[]) => {
    const successes = list.filter(succeeded).length;
    return { executions: list.length, successes, rate: list.length ? successes / list.length : null };
  };
  const w = side(history.filter((e) => (e.recalled?.length ?? 0) > 0));
  const wo = side(history.filter((e) => !(e.recalled?.length ?? 0)));
  const table = mantelHaenszel([{ a: w.successes, b: w.executions - w.successes, c: wo.successes, d: wo.executions - wo.successes }]);
  return { with_recall: w, without_recall: wo, difference: w.rate !== null && wo.rate !== null ? w.rate - wo.rate : null, p_value: table.p_value };
}

/**
 * One line when the naive split and the stratified estimate disagree: they point different ways,
 * or one is significant and the other is not. Each side is described as it is: a naive split that
 * is not significant is said to be so, and which way it points.
 */
function disagreementOf(naive: NaiveSplit, overall: EffectEstimate, alpha: number): string | undefined {
  if (naive.difference === null || naive.p_value === null || overall.risk_difference === null) return undefined;
  const naiveSignificant = naive.p_value < alpha;
  const naiveSays: Verdict = naiveSignificant ? (naive.difference > 0 ? 'helps' : 'harms') : 'unclear';
  if (naiveSays === overall.verdict) return undefined;
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
  const split = `The naive split (${pct(naive.with_recall.rate)} success with recall vs ${pct(naive.without_recall.rate)} without, p = ${formatP(naive.p_value)})`;
  const stratified = `like for like ${overall.verdict === 'unclear' ? 'it is unclear' : `it ${overall.verdict}`} (p = ${formatP(overall.p_value)})`;
  // Why a naive split can mislead: a lower success rate with recall is usually the harder tasks.
  const unlike = `executions that recall are not on the same work as those that do not${naive.difference < 0 ? ' (usually harder tasks, the ones that failed before)' : ''}`;
  if (naiveSignificant) return `${split} suggests recall ${naiveSays}, but ${stratified}: ${unlike}.`;
  // The naive split is not significant and the stratified estimate is.
  const sameWay = naive.difference !== 0 && naive.difference > 0 === (overall.verdict === 'helps');
  if (sameWay) return `${split} points the same way but is not significant; ${stratified}: comparing like with like removes the differences between tasks that hide it.`;
  const naiveWay = naive.difference === 0 ? 'shows no difference at all' : `is not significant and points the other way (recall ${naive.difference > 0 ? 'helps' : 'harms'})`;
  return `${split} ${naiveWay}; ${stratified}: ${unlike}.`;
}

/** Options for the analysis. */
export interface EffectOptions {
  /** Only these learnings are reported (default: every id any execution recalled). */
  learnings?: readonly string[];
}

/** The per-learning estimates alone (what derived evidence, the synthesis and exports rest on). */
export function learningEffectsOf(history: readonly ExecutionRecord[], config: ResolvedConfig): LearningEffect[] {
  return learningEffects(new StrataIndex(history, config.statistics.strata), config.statistics.alpha, config.statistics.fdr);
}

/** The full report for a history. */
export function effectOfRecall(history: readonly ExecutionRecord[], config: ResolvedConfig, opts: EffectOptions = {}): EffectReport {
  const { alpha, fdr } = config.statistics;
  const by = [...config.statistics.strata];
  const recalls = (e: ExecutionRecord) => (e.recalled?.length ?? 0) > 0;
  const index = new StrataIndex(history, by);
  const recalling = history.flatMap((e, i) => (recalls(e) ? [i] : []));
  const overall = judge(mantelHaenszel(index.strata(recalling, 'rest'), alpha), alpha);
  const naive = naiveSplit(history);
  const report: EffectReport = {
    version: 1,
    strata_by: by,
    alpha,
    fdr,
    executions: history.length,
    recalling: recalling.length,
    overall,
    naive,
    agents: agentEffects(index, alpha),
    learnings: learningEffects(index, alpha, fdr, opts.learnings),
  };
  if (opts.learnings) {
    report.asked = [...new Set(opts.learnings)].sort();
    const recalled = new Set(report.learnings.map((l) => l.id));
    const never = report.asked.filter((id) => !recalled.has(id));
    if (never.length) report.not_recalled = never;
  }
  const disagreement = disagreementOf(naive, overall, alpha);
  if (disagreement) report.disagreement = disagreement;
  const arms = armComparison(history, by, alpha);
  if (arms) report.arms = arms;
  const types = [...new Set(history.map((e) => e.task_type))].sort();
  if (types.length > 1) {
    const perType: TaskTypeEffect[] = [];
    for (const t of types) {
      const sub = history.filter((e) => e.task_type === t);
      const subIndex = new StrataIndex(sub, by);
      const rec = sub.flatMap((e, i) => (recalls(e) ? [i] : []));
      if (!rec.length) continue;
      const entry: TaskTypeEffect = { task_type: t, executions: sub.length, recalling: rec.length, overall: judge(mantelHaenszel(subIndex.strata(rec, 'rest'), alpha), alpha) };
      const a = armComparison(sub, by, alpha);
      if (a) entry.arms = a;
      perType.push(entry);
    }
    if (perType.length) report.task_types = perType;
  }
  return report;
}

function agentEffects(index: StrataIndex, alpha: number): AgentEffect[] {
  const byAgent = new Map<string, { executions: number; recalling: number[] }>();
  index.history.forEach((e, i) => {
    let a = byAgent.get(e.agent);
    if (!a) byAgent.set(e.agent, (a = { executions: 0, recalling: [] }));
    a.executions++;
    if (e.recalled?.length) a.recalling.push(i);
  });
  const out: AgentEffect[] = [];
  for (const [agent, a] of [...byAgent].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    if (!a.recalling.length) continue;
    out.push({ agent, executions: a.executions, recalling: a.recalling.length, ...judge(mantelHaenszel(index.strata(a.recalling, 'quiet'), alpha), alpha) });
  }
  return out;
}

function learningEffects(index: StrataIndex, alpha: number, fdr: number, only?: readonly string[]): LearningEffect[] {
  const byId = new Map<string, number[]>();
  index.history.forEach((e, i) => {
    for (const id of new Set(e.recalled ?? [])) {
      let l = byId.get(id);
      if (!l) byId.set(id, (l = []));
      l.push(i);
    }
  });
  // The false discovery rate is controlled over every learning tested, whichever are reported:
  // asking about one learning must not make its q-value its p-value.
  const ids = [...byId.keys()].sort();
  const estimates = ids.map((id) => mantelHaenszel(index.strata(byId.get(id)!, 'rest'), alpha));
  const q = benjaminiHochberg(estimates.map((m) => (testable(m) ? m.p_value : null)));
  const wanted = only ? new Set(only) : undefined;
  return ids.flatMap((id, i) => (wanted && !wanted.has(id) ? [] : [{ id, recalled: byId.get(id)!.length, q_value: q[i]!, ...judge(estimates[i]!, fdr, q[i]) }]));
}

/**
 * Agents that recall (memory on) against agents that never recall (memory off), within the
 * strata: the comparison of an experiment where the same work was done with and without memory.
 * Absent unless both kinds of agent did comparable work.
 */
function armComparison(history: readonly ExecutionRecord[], by: string[], alpha: number): ArmComparison | undefined {
  const withMemory = new Set(history.filter((e) => (e.recalled?.length ?? 0) > 0).map((e) => e.agent));
  const without = [...new Set(history.map((e) => e.agent))].filter((a) => !withMemory.has(a)).sort();
  if (!withMemory.size || !without.length) return undefined;
  const m = mantelHaenszel(
    strataOf(history, by, (e) => withMemory.has(e.agent)),
    alpha,
  );
  if (!m.informative) return undefined;
  return { with_memory: [...withMemory].sort(), without_memory: without, ...judge(m, alpha) };
}

/** Learnings by evidence: significant first, then by p-value (untested last), then id. */
export function byEvidence(a: LearningEffect, b: LearningEffect): number {
  const sig = (l: LearningEffect) => (l.verdict === 'unclear' ? 1 : 0);
  return sig(a) - sig(b) || (a.p_value !== null && a.q_value !== null ? a.p_value : 2) - (b.p_value !== null && b.q_value !== null ? b.p_value : 2) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Learnings shown in the text report (the rest are in --json). */
const SHOWN_LEARNINGS = 10;

function learningLine(l: LearningEffect): string {
  const head = `  ${l.id}: ${l.verdict} — recalled ${l.recalled}×`;
  if (!l.informative) return `${head}; no comparable work (no group of comparable executions where it was recalled has executions without it)`;
  if (l.q_value === null) return `${head}; no compared outcome differs (${l.pairs} matched ${l.pairs === 1 ? 'pair' : 'pairs'}, all alike)`;
  return `${head}; ${pairsText(l)}; odds ratio ${formatRatio(l.odds_ratio)} (95% ${formatRatio(l.ci_low)}–${formatRatio(l.ci_high)}), p ${formatP(l.p_value)}, q ${formatP(l.q_value)}`;
}

/** The per-learning section of the text report. */
function renderLearnings(r: EffectReport): string[] {
  const out = [`Per learning: the executions that recalled it vs comparable executions that did not; helps / harms when q < ${r.fdr} (Benjamini–Hochberg over every learning tested):`];
  const tested = r.learnings.filter((l) => l.q_value !== null).length;
  const noWork = r.learnings.filter((l) => !l.informative).length;
  if (r.asked) out.push(`  Asked for ${plural(r.asked.length, 'learning')}: ${r.learnings.length} recalled${r.not_recalled ? `, ${r.not_recalled.length} never recalled` : ''}.`);
  else if (!r.learnings.length) out.push('  No execution recalled anything yet.');
  else
    out.push(
      `  ${plural(r.learnings.length, 'learning')} recalled: ${tested} tested, ${noWork} with no comparable work (no execution without it in the groups where it was recalled), ${r.learnings.length - tested - noWork} where no compared outcome differs.`,
    );
  const shown = [...r.learnings].sort(byEvidence).slice(0, SHOWN_LEARNINGS);
  out.push(...shown.map(learningLine));
  if (r.learnings.length > shown.length) out.push(`  … ${r.learnings.length - shown.length} more (--json for all).`);
  for (const id of r.not_recalled ?? []) out.push(`  ${id}: was never recalled — no execution lists it in \`recalled\`, so there is nothing to measure.`);
  return out;
}

/** The text report (what `effect` prints). */
export function renderEffect(r: EffectReport): string {
  const out: string[] = [];
  const o = r.overall;
  out.push(
    `Effect of recall on success, like for like (executions compared within the same ${r.strata_by.map((s) => s.replace('_', ' ')).join(' + ') || 'knowledge base'}; Mantel–Haenszel, ${o.method === 'asymptotic' ? 'CMH test' : 'exact test'})`,
  );
  out.push('', `Overall: ${o.verdict.toUpperCase()} — ${o.reason}`);
  out.push(
    `  ${r.recalling} of ${r.executions} executions recalled learnings; ${o.informative} comparable groups had both kinds (${o.treated} with recall, ${o.control} without); the other groups carry no information.`,
  );
  if (r.disagreement) out.push(`  Note: ${r.disagreement}`);
  if (r.arms)
    out.push('', `Agents with memory (${r.arms.with_memory.join(', ')}) vs without (${r.arms.without_memory.join(', ')}) on the same work: ${r.arms.verdict.toUpperCase()} — ${r.arms.reason}`);
  for (const t of r.task_types ?? []) {
    out.push('', `Task type ${t.task_type} (${t.recalling} of ${t.executions} executions recalled): ${t.overall.verdict.toUpperCase()} — ${t.overall.reason}`);
    if (t.arms) out.push(`  Agents with memory (${t.arms.with_memory.join(', ')}) vs without (${t.arms.without_memory.join(', ')}): ${t.arms.verdict.toUpperCase()} — ${t.arms.reason}`);
  }
  if (r.agents.length) {
    out.push('', 'Per agent (its executions that recalled vs comparable executions that did not):');
    for (const a of r.agents) out.push(`  ${a.agent}: ${a.verdict} — ${a.reason}`);
  }
  out.push('', ...renderLearnings(r));
  return `${out.join('\n')}\n`;
}
