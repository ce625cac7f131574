/**
 * Pattern extraction (seed Task 3). Pure: execution history + config → patterns.
 *
 * - success / failure: itemsets (task type, component, domains, agent, dependencies, reused
 *   items, error fingerprints; up to `patterns.max_items` combined) whose outcome rate differs
 *   from the base rate by at least `min_lift`, with at least `min_support` executions;
 * - performance: task types, and components within one task type, whose duration trends up or
 *   down (Mann–Kendall with Sen's slope, false discovery rate controlled across series);
 * - dependency: dependencies that co-occur with failures or high surprise;
 * success, failure and dependency candidates are tested (one-sided Fisher) with the false
 * discovery rate controlled across all of them (Benjamini–Hochberg), and patterns about one
 * outcome over the same executions are one pattern (same-evidence.ts).
 * Ids derive from the definition, so re-running changes nothing and a growing history updates
 * the same pattern.
 */
import type { ExecutionRecord, PatternRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../config.js';
import { slugify } from '../records/ids.js';
import { fingerprint } from './fingerprint.js';
import { byTime, evidenceIds, mean, round, shortHash, wilson } from './stats.js';
import { benjaminiHochberg, fisherGreater, mannKendall, stratifiedMannKendall, stratifiedSenSlope, type TrendTest } from './tests.js';
import { formatP } from './effect.js';
import { median } from '../score/formulas.js';
import type { ExtractedPattern } from './types.js';
import { mineThemes, type ThemeInputs } from './themes.js';
import { mergeSameEvidence } from './same-evidence.js';
import { dict, own, pushTo } from '../dict.js';
import { plural } from '../diagnostics/words.js';

/** The dimensions an itemset draws from. */
export const DIMENSIONS = ['task_type', 'component', 'domain', 'agent', 'dependency', 'reused', 'error'] as const;
/** One dimension. */
export type Dimension = (typeof DIMENSIONS)[number];

/** Normalises a free-text dependency / reused name to a comparable key. */
export function itemKey(value: string): string {
  return slugify(value, 60) || value.toLowerCase().trim();
}

// Records are immutable once loaded: cache their items and itemsets (fingerprinting is the costly part).
const ITEM_CACHE = new WeakMap<ExecutionRecord, { items: string[]; fp: Array<[string, string]>; sets: Map<string, string[]> }>();

function cached(e: ExecutionRecord): { items: string[]; fp: Array<[string, string]>; sets: Map<string, string[]> } {
  let c = ITEM_CACHE.get(e);
  if (!c) {
    const fp = new Map<string, string>();
    c = { items: computeItems(e, fp), fp: [...fp], sets: new Map() };
    ITEM_CACHE.set(e, c);
  }
  return c;
}

/** The items (`dimension=value`) an execution has, sorted and unique. Error items use fingerprint ids. */
export function executionItems(e: ExecutionRecord, fpText?: Map<string, string>): string[] {
  const c = cached(e);
  if (fpText) for (const [k, v] of c.fp) fpText.set(k, v);
  return c.items;
}

function itemsetsOf(e: ExecutionRecord, max: number, alias?: Aliases): string[] {
  const c = cached(e);
  const key = `${max}\u0000${alias?.signature ?? ''}`;
  let sets = c.sets.get(key);
  if (!sets) c.sets.set(key, (sets = itemsets(alias ? classItems(c.items, alias) : c.items, max)));
  return sets;
}

/** Separates the members of a class item (conditions that always occur together). */
const MEMBER = '\u0002';
/** Evidence overlap (Jaccard of the executions having each) from which conditions count as one cause. */
export const ALIAS_JACCARD = 0.9;

/** Conditions that (nearly) always occur together, as one class item each. */
export interface Aliases {
  /** item -> class item (members joined by MEMBER, sorted); only items in a class of 2+. */
  of: Map<string, string>;
  /** Identifies the grouping (for caches). */
  signature: string;
}

/**
 * Groups the conditions whose executions are the same (or nearly: Jaccard ≥ ALIAS_JACCARD), among
 * conditions with at least `minSupport` executions. The data cannot tell such conditions apart,
 * so a pattern names all of them ("component booking-form + dependency square-web-payments-sdk +
 * dependency react-hook-form"), never one chosen by a tie-break.
 */
export function aliasClasses(history: readonly ExecutionRecord[], minSupport: number): Aliases {
  const count = new Map<string, number>();
  for (const e of history) for (const i of executionItems(e)) count.set(i, (count.get(i) ?? 0) + 1);
  const pair = new Map<string, number>();
  for (const e of history) {
    const items = executionItems(e)
      .filter((i) => (count.get(i) ?? 0) >= minSupport)
      .slice(0, 40);
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) {
        const k = `${items[a]}\u0000${items[b]}`;
        pair.set(k, (pair.get(k) ?? 0) + 1);
      }
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const [k, c] of pair) {
    const [a, b] = k.split('\u0000') as [string, string];
    if (c / (count.get(a)! + count.get(b)! - c) < ALIAS_JACCARD) continue;
    const ra = find(a);
    const rb = find(b);
    if (!parent.has(ra)) parent.set(ra, ra);
    if (!parent.has(rb)) parent.set(rb, rb);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    pushTo(groups, r, x);
  }
  const of = new Map<string, string>();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const key = [...new Set(list)].sort().join(MEMBER);
    for (const x of list) of.set(x, key);
  }
  return { of, signature: [...new Set(of.values())].sort().join('\u0003') };
}

function classItems(items: readonly string[], alias: Aliases): string[] {
  return [...new Set(items.map((i) => alias.of.get(i) ?? i))].sort();
}

/** The conditions an item stands for (a class item stands for all its members). */
function members(items: readonly string[]): string[] {
  return items.flatMap((i) => i.split(MEMBER));
}

function computeItems(e: ExecutionRecord, fpText: Map<string, string>): string[] {
  const items = new Set<string>();
  items.add(`task_type=${e.task_type}`);
  if (e.component) items.add(`component=${e.component}`);
  for (const d of e.domains ?? []) items.add(`domain=${d}`);
  items.add(`agent=${e.agent}`);
  for (const d of e.pre?.dependencies ?? []) items.add(`dependency=${itemKey(d)}`);
  for (const r of e.reused ?? []) items.add(`reused=${itemKey(r)}`);
  for (const m of e.errors ?? []) {
    const fp = fingerprint(m);
    fpText.set(fp.id, fp.text);
    items.add(`error=${fp.id}`);
  }
  return [...items].sort();
}

function combinations(items: readonly string[], k: number, out: string[][], start = 0, acc: string[] = []): void {
  if (acc.length === k) {
    out.push([...acc]);
    return;
  }
  for (let i = start; i < items.length; i++) {
    acc.push(items[i]!);
    combinations(items, k, out, i + 1, acc);
    acc.pop();
  }
}

/** Itemsets of size 1..max of an item list (as `\u0001`-joined keys). */
function itemsets(items: readonly string[], max: number): string[] {
  const out: string[][] = [];
  // Cap the item count per execution so a record with 200 dependencies cannot explode the pairs.
  const capped = items.slice(0, 40);
  for (let k = 1; k <= Math.min(max, capped.length); k++) combinations(capped, k, out);
  return out.map((s) => s.join('\u0001'));
}

function definitionOf(items: readonly string[]): Record<string, string | string[]> {
  const def = dict<string | string[]>();
  for (const it of members(items)) {
    const eq = it.indexOf('=');
    const dim = it.slice(0, eq);
    const val = it.slice(eq + 1);
    const prev = def[dim];
    def[dim] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
  }
  return def;
}

/** Stable pattern id: type + readable slug of the definition + hash of the exact definition. */
export function patternId(type: string, definition: Record<string, unknown>): string {
  const canon = JSON.stringify(
    Object.keys(definition)
      .sort()
      .map((k) => [k, definition[k]]),
  );
  const readable = slugify(
    Object.keys(definition)
      .sort()
      .map((k) => `${k} ${String(definition[k])}`)
      .join(' '),
    70,
  );
  return `pat-${type}-${readable}-${shortHash(`${type}|${canon}`)}`;
}

function categoryFor(classItems: readonly string[]): PatternRecord['category'] {
  const items = members(classItems);
  if (items.some((i) => i.startsWith('error=') || i.startsWith('dependency='))) return 'integration-gotcha';
  if (items.some((i) => i.startsWith('component=') || i.startsWith('reused='))) return 'component-pattern';
  return 'architectural-decision';
}

/** The domain most evidence executions share (strict majority), if any. */
function dominantDomain(executions: readonly ExecutionRecord[]): string | undefined {
  const counts = new Map<string, number>();
  for (const e of executions) for (const d of e.domains ?? []) counts.set(d, (counts.get(d) ?? 0) + 1);
  let best: string | undefined;
  let bestN = 0;
  for (const [d, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n > bestN) [best, bestN] = [d, n];
  return best && bestN * 2 > executions.length ? best : undefined;
}

function describeItem(i: string, fpText: Map<string, string>): string {
  const eq = i.indexOf('=');
  const dim = i.slice(0, eq);
  const val = i.slice(eq + 1);
  return dim === 'error' ? `error "${fpText.get(val) ?? val}"` : `${dim}=${val}`;
}

function describe(items: readonly string[], fpText: Map<string, string>): string {
  return items
    .map((i) => {
      const parts = i.split(MEMBER);
      return parts.length > 1 ? `${parts.map((x) => describeItem(x, fpText)).join(' + ')} (always together: the history cannot tell them apart)` : describeItem(i, fpText);
    })
    .join(' and ');
}

/** Options for extraction. */
export interface ExtractOptions {
  /** Ids of rejected patterns: never proposed again (filtered out). */
  rejected?: ReadonlySet<string>;
  /** Reflections of the history, for recurring themes in their root causes and actions. */
  reflections?: ThemeInputs['reflections'];
}

/** The four pattern lists (the seed's `self.patterns`). */
export interface PatternSet {
  success_patterns: ExtractedPattern[];
  failure_patterns: ExtractedPattern[];
  performance_patterns: ExtractedPattern[];
  dependency_patterns: ExtractedPattern[];
  /** Recurring phrases in what failures say (themes.ts). */
  theme_patterns: ExtractedPattern[];
}

/**
 * The candidate patterns of one finder: every hypothesis it tested (`tested`), the ones strong
 * enough to report with their one-sided Fisher p-values (statements still open after the lift:
 * `decide` adds the test), and what to do with the ones that pass (`after`).
 */
interface Candidates {
  tested: number;
  strong: Array<{ pattern: ExtractedPattern; p: number }>;
  after: (kept: ExtractedPattern[]) => ExtractedPattern[];
}

/**
 * The false discovery rate decision over the candidates of one extraction: Benjamini–Hochberg
 * across every candidate the families tested, a pattern kept when q < `fdr`. Candidates too weak
 * to pass the size thresholds count with p = 1, which can only raise the others' q-values
 * (conservative, and no p-value is computed for them).
 */
function decide(families: readonly Candidates[], fdr: number): ExtractedPattern[][] {
  const m = families.reduce((n, f) => n + f.tested, 0);
  const ps = families.flatMap((f) => f.strong.map((x) => x.p));
  const q = benjaminiHochberg([...ps, ...new Array<number>(m - ps.length).fill(1)]);
  let i = 0;
  return families.map((f) =>
    f.after(
      f.strong.flatMap(({ pattern, p }) => {
        const qv = q[i++]!;
        return qv < fdr ? [{ ...pattern, statement: `${pattern.statement}; Fisher p ${formatP(p)}, q ${formatP(qv)} over ${plural(m, 'candidate')}).` }] : [];
      }),
    ),
  );
}

/**
 * Commonalities of executions with an outcome (`isTarget`) against the whole history:
 * support = matching targets, confidence = support / matching executions, lift = confidence /
 * base rate. A combination is kept only when it is clearly stronger (confidence +0.1) than each
 * of its parts, so "component X" does not repeat as "component X and agent Y". Each is tested
 * (one-sided Fisher: the outcome more frequent with the combination than without) and the false
 * discovery rate controlled across the candidates (`decide`).
 */
export function findCommonalities(history: readonly ExecutionRecord[], isTarget: (e: ExecutionRecord) => boolean, type: 'success' | 'failure', config: ResolvedConfig): ExtractedPattern[] {
  return decide([commonalityCandidates(history, isTarget, type, config)], config.statistics.fdr)[0]!;
}

/** The counts one extraction of commonalities judges its candidates by. */
interface CommonalityCounts {
  /** The history, in time order. */
  ordered: ExecutionRecord[];
  /** Its executions with the outcome. */
  targets: ExecutionRecord[];
  /** The outcome's base rate. */
  base: number;
  /** Error fingerprint id -> its text. */
  fpText: Map<string, string>;
  /** Itemset -> the targets that have it. */
  targetCount: Map<string, ExecutionRecord[]>;
  /** Itemset -> how many executions of the history have it (candidates and their parts only). */
  cover: Map<string, number>;
}

/** Itemset -> the targets that have it. */
function targetsByItemset(targets: readonly ExecutionRecord[], maxItems: number, alias: Aliases): Map<string, ExecutionRecord[]> {
  const targetCount = new Map<string, ExecutionRecord[]>();
  for (const e of targets) {
    for (const key of itemsetsOf(e, maxItems, alias)) {
      let list = targetCount.get(key);
      if (!list) targetCount.set(key, (list = []));
      list.push(e);
    }
  }
  return targetCount;
}

/** Coverage of the candidates (and their parts: needed for them only) over the whole history. */
function coverOf(ordered: readonly ExecutionRecord[], candidates: ReadonlySet<string>, maxItems: number, alias: Aliases): Map<string, number> {
  const partOfCandidate = new Set<string>();
  for (const k of candidates) if (k.includes('\u0001')) for (const part of k.split('\u0001')) partOfCandidate.add(part);
  const cover = new Map<string, number>();
  for (const e of ordered) {
    for (const key of itemsetsOf(e, maxItems, alias)) if (candidates.has(key) || partOfCandidate.has(key)) cover.set(key, (cover.get(key) ?? 0) + 1);
  }
  return cover;
}

/**
 * The candidates to test, sorted. A single dependency is reported as a dependency pattern, a
 * single agent belongs to the dashboard; every other candidate is a test.
 */
function testedItemsets(candidates: ReadonlySet<string>): string[] {
  return [...candidates].sort().filter((key) => key.includes('\u0001') || key.includes(MEMBER) || !(key.startsWith('dependency=') || key.startsWith('agent=')));
}

/**
 * The pattern an itemset makes with its Fisher p-value, or undefined when it is too weak: lift
 * below `min_lift` (on the low end of the 95% interval too: 3 of 4 is not enough to claim a
 * pattern), confidence below 0.5, or a combination not clearly stronger than each of its parts.
 */
function commonalityPattern(key: string, c: CommonalityCounts, type: 'success' | 'failure', config: ResolvedConfig): Candidates['strong'][number] | undefined {
  const { min_lift } = config.patterns;
  const { ordered, targets, base, fpText, targetCount, cover } = c;
  const conf = (k: string): number => (targetCount.get(k)?.length ?? 0) / (cover.get(k) ?? 1);
  const items = key.split('\u0001');
  const evidence = targetCount.get(key)!;
  const confidence = conf(key);
  const lift = base > 0 ? confidence / base : 0;
  if (lift < min_lift || confidence < 0.5) return undefined;
  if ((wilson(evidence.length, cover.get(key) ?? evidence.length).low ?? 0) < base * min_lift) return undefined;
  if (items.length > 1 && items.some((part) => conf(part) + 0.1 > confidence)) return undefined;
  const definition = definitionOf(items);
  const total = cover.get(key) ?? evidence.length;
  const word = type === 'failure' ? `scored below ${config.patterns.failure_score}` : `scored above ${config.patterns.success_score}`;
  const p: ExtractedPattern = {
    id: patternId(type, definition),
    pattern_type: type,
    category: categoryFor(items),
    statement: `Executions with ${describe(items, fpText)} ${word} in ${evidence.length} of ${total} cases (${Math.round(confidence * 100)}%), against ${Math.round(base * 100)}% overall (lift ${round(lift, 1)}`,
    definition,
    support: evidence.length,
    confidence: round(confidence),
    lift: round(lift, 2),
    evidence: evidenceIds(evidence),
    last_seen: evidence[evidence.length - 1]!.started_at,
  };
  const domain =
    members(items)
      .find((i) => i.startsWith('domain='))
      ?.slice(7) ?? dominantDomain(evidence);
  if (domain) p.domain = domain;
  return { pattern: p, p: fisherGreater(evidence.length, total, targets.length - evidence.length, ordered.length - total) };
}

/** The candidate commonalities of executions with an outcome (`isTarget`), for `decide`. */
function commonalityCandidates(history: readonly ExecutionRecord[], isTarget: (e: ExecutionRecord) => boolean, type: 'success' | 'failure', config: ResolvedConfig): Candidates {
  const { min_support, max_items } = config.patterns;
  const ordered = byTime(history);
  const fpText = new Map<string, string>();
  const targets = ordered.filter(isTarget);
  const none: Candidates = { tested: 0, strong: [], after: (kept) => kept };
  if (!ordered.length || targets.length < min_support) return none;
  const base = targets.length / ordered.length;
  for (const e of ordered) executionItems(e, fpText);
  const alias = aliasClasses(ordered, min_support);
  const targetCount = targetsByItemset(targets, max_items, alias);
  const candidates = new Set([...targetCount].filter(([, l]) => l.length >= min_support).map(([k]) => k));
  const counts: CommonalityCounts = { ordered, targets, base, fpText, targetCount, cover: coverOf(ordered, candidates, max_items, alias) };
  const tested = testedItemsets(candidates);
  const strong: Candidates['strong'] = [];
  const full = new Map<string, Set<string>>();
  for (const key of tested) {
    const found = commonalityPattern(key, counts, type, config);
    if (!found) continue;
    strong.push(found);
    full.set(found.pattern.id, new Set(targetCount.get(key)!.map((e) => e.id)));
  }
  return { tested: tested.length, strong, after: (kept) => explainAway(kept, full, min_support) };
}

// On a tie, the more actionable condition wins: an error, component, dependency or reused item
// says what to change; a task type less so; a domain or an agent least.
const VAGUE: Record<string, number> = { agent: 3, domain: 2, task_type: 1 };
function vagueness(p: ExtractedPattern): number {
  return Object.keys(p.definition).reduce((s, k) => s + (own(VAGUE, k) ?? 0), 0);
}

/**
 * Drops patterns another one already explains: going from the strongest down, a pattern must
 * still have `minSupport` evidence executions that no stronger pattern covers (e.g. "agent-a"
 * is dropped when its successes are the reuse-driven ones another pattern names).
 */
export function explainAway(list: ExtractedPattern[], evidence: ReadonlyMap<string, ReadonlySet<string>>, minSupport: number): ExtractedPattern[] {
  const order = [...list].sort(
    (a, b) => b.confidence - a.confidence || b.support - a.support || vagueness(a) - vagueness(b) || Object.keys(a.definition).length - Object.keys(b.definition).length || (a.id < b.id ? -1 : 1),
  );
  const kept: ExtractedPattern[] = [];
  const covered = new Set<string>();
  for (const p of order) {
    const mine = evidence.get(p.id)!;
    let residual = 0;
    for (const x of mine) if (!covered.has(x)) residual++;
    if (residual < minSupport) continue;
    kept.push(p);
    for (const x of mine) covered.add(x);
  }
  return kept;
}

/**
 * Performance patterns: for every task type and component with at least
 * `anti_patterns.rising_duration_min_points` executions, a Mann–Kendall test of its durations in
 * time order (the most recent window) with Sen's slope. A series is a pattern when the trend is
 * significant after Benjamini–Hochberg across every series tested (q < `statistics.fdr`) and
 * large enough to matter: |Sen's slope| at least `rising_duration_min_slope` of the median
 * duration per execution.
 */
export function performancePatterns(history: readonly ExecutionRecord[], config: ResolvedConfig): ExtractedPattern[] {
  const out: ExtractedPattern[] = [];
  for (const series of durationSeries(history, config)) {
    const { dimension, value, executions, t, relative, q, task_type } = series;
    if (!series.significant) continue;
    const direction = (t.slope ?? 0) > 0 ? 'rising' : 'falling';
    const definition = { [dimension]: value, ...(task_type ? { task_type } : {}), direction };
    const first = executions[0]!.duration_s;
    const last = executions[executions.length - 1]!.duration_s;
    const p: ExtractedPattern = {
      id: patternId('performance', definition),
      pattern_type: 'performance',
      category: dimension === 'component' ? 'component-pattern' : 'architectural-decision',
      statement: `Duration of ${dimension}=${value}${task_type ? ` (${task_type} tasks)` : ''} is ${direction}: Sen's slope ${round(t.slope!, 1)}s per execution (${round(relative * 100, 1)}% of the median) over ${executions.length} executions (Mann–Kendall p ${formatP(t.p_value)}, q ${formatP(q)}; ${Math.round(first)}s → ${Math.round(last)}s)${runnersClause(series)}.`,
      definition,
      support: executions.length,
      confidence: round(1 - (q ?? 1)),
      lift: round(1 + Math.abs(relative) * executions.length, 2),
      evidence: evidenceIds(executions),
      last_seen: executions[executions.length - 1]!.started_at,
    };
    const domain = dominantDomain(executions);
    if (domain) p.domain = domain;
    out.push(p);
  }
  return out;
}

/** A tested duration series. */
export interface DurationSeries {
  dimension: 'task_type' | 'component';
  value: string;
  /** For a component: the task type its series is about (durations are compared within one task type). */
  task_type?: string;
  /** The most recent window of the runners whose durations move with the trend, in time order (the evidence). */
  executions: ExecutionRecord[];
  /** Each agent/model compared with itself: its runs in the window, its own S and Sen's slope (s per run), whether it is evidence. */
  runners: Array<{ runner: string; n: number; s: number; slope: number | null; moves: boolean }>;
  t: TrendTest;
  /** Sen's slope per execution over the median duration, within each runner of the evidence. */
  relative: number;
  /** Benjamini–Hochberg q-value across every series tested. */
  q: number | null;
  /** Significant (q < fdr) and at least `rising_duration_min_slope` in size. */
  significant: boolean;
}

/** Who ran an execution, for like-for-like durations: the agent, and its model when the record names another. */
export function runnerOf(e: Pick<ExecutionRecord, 'agent' | 'usage'>): string {
  const model = e.usage?.model;
  return model && model !== e.agent ? `${e.agent} (${model})` : e.agent;
}

/**
 * "; compared within each of 3 agents/models: a (8 runs, +60s/run), …" — which runners move with
 * the trend, strongest first (empty when one agent and model ran the whole series).
 */
export function runnersClause(s: DurationSeries): string {
  if (s.runners.length < 2) return '';
  const sign = Math.sign(s.t.s);
  const moving = s.runners.filter((r) => r.moves && sign !== 0).sort((a, b) => Math.abs(b.s) - Math.abs(a.s) || (a.runner < b.runner ? -1 : 1));
  const still = s.runners.length - moving.length;
  const list = moving.slice(0, 5).map((r) => `${r.runner} (${r.n} runs, ${(r.slope ?? 0) >= 0 ? '+' : ''}${round(r.slope ?? 0, 1)}s/run)`);
  return `; compared within each of ${s.runners.length} agents/models: ${sign > 0 ? 'slower' : 'faster'} for ${list.join(', ')}${moving.length > 5 ? `, … ${moving.length - 5} more` : ''}${still ? `; not for ${still} other${still === 1 ? '' : 's'}` : ''}`;
}

/** Series key (a task type, or a component and its task type, joined by U+0001) -> runner -> executions in time order. */
function durationGroups(history: readonly ExecutionRecord[]): Map<string, Map<string, ExecutionRecord[]>> {
  const groups = new Map<string, Map<string, ExecutionRecord[]>>();
  for (const e of byTime(history)) {
    const runner = runnerOf(e);
    for (const key of [`task_type\u0001${e.task_type}`, e.component ? `component\u0001${e.component}\u0001${e.task_type}` : '']) {
      if (!key) continue;
      let byRunner = groups.get(key);
      if (!byRunner) groups.set(key, (byRunner = new Map()));
      pushTo(byRunner, runner, e);
    }
  }
  return groups;
}

type RunnerStratum = { runner: string; list: ExecutionRecord[] };

/**
 * Rising for all runners together (stratified: several short series) or clearly for one of them
 * (a slowdown in one model among flat ones): the smaller p-value, times the tests made (Bonferroni).
 */
function combinedTrend(strata: readonly RunnerStratum[], own: readonly TrendTest[], alpha: number): TrendTest {
  const tests = [
    stratifiedMannKendall(
      strata.map((x) => ({ values: x.list.map((e) => e.duration_s) })),
      alpha,
    ),
    ...(strata.length > 1 ? own.filter((o) => o.p_value !== null) : []),
  ];
  const best = tests.reduce((a, b) => ((b.p_value ?? 2) < (a.p_value ?? 2) ? b : a));
  const p = best.p_value === null ? null : Math.min(1, best.p_value * tests.length);
  return { ...best, p_value: p, trend: p === null ? best.trend : p < alpha ? (best.s > 0 ? 'up' : 'down') : 'flat' };
}

/**
 * The evidence: the runners that move with the trend, less those whose own series is long
 * enough to test and is not significant when another's is (a flat model whose noise happens to rise).
 */
function movingRunners(t: TrendTest, own: readonly TrendTest[], alpha: number): boolean[] {
  const sign = Math.sign(t.s);
  const withTrend = own.map((o) => sign === 0 || Math.sign(o.s) === sign);
  const clear = own.some((o, i) => withTrend[i] && o.p_value !== null && o.p_value < alpha);
  return own.map((o, i) => withTrend[i]! && (!clear || o.p_value === null || o.p_value < alpha));
}

/** The size of the trend: each moving runner's slopes over its own median (a slow model's seconds are not a fast one's). */
function relativeSlope(moving: readonly RunnerStratum[], t: TrendTest): number {
  const scaled = moving.map((x) => ({ durations: x.list.map((e) => e.duration_s), mid: median(x.list.map((e) => e.duration_s)) })).filter((x) => x.mid > 0);
  return scaled.length && t.slope !== null ? (stratifiedSenSlope(scaled.map((x) => ({ values: x.durations.map((d) => d / x.mid) }))) ?? 0) : 0;
}

/** One series tested (q-value still to come), or undefined when it has fewer than `min` runs in its windows. */
function testDurationSeries(key: string, byRunner: ReadonlyMap<string, ExecutionRecord[]>, min: number, alpha: number): DurationSeries | undefined {
  const [dimension, value, taskType] = key.split('\u0001') as ['task_type' | 'component', string, string | undefined];
  // The most recent window of each runner only: an old trend that stopped should not be reported forever.
  const strata = [...byRunner]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([runner, list]) => ({ runner, list: list.slice(-Math.max(min, 20)) }))
    .filter((x) => x.list.length >= 2);
  if (strata.reduce((n, x) => n + x.list.length, 0) < min) return undefined;
  const own = strata.map((x) =>
    mannKendall(
      x.list.map((e) => e.duration_s),
      undefined,
      alpha,
    ),
  );
  const t = combinedTrend(strata, own, alpha);
  const moves = movingRunners(t, own, alpha);
  const runners = strata.map((x, i) => ({ runner: x.runner, n: x.list.length, s: own[i]!.s, slope: own[i]!.slope, moves: moves[i]! }));
  const moving = strata.filter((_, i) => moves[i]);
  const relative = relativeSlope(moving, t);
  return { dimension, value, ...(taskType ? { task_type: taskType } : {}), executions: byTime(moving.flatMap((x) => x.list)), runners, t, relative, q: null, significant: false };
}

/**
 * Duration series per task type, and per component within one task type (time order), each
 * tested for a trend: durations are compared like for like, never ten-minute bug fixes with
 * sub-second test runs, and only within one agent and model, so a slower model that joins later
 * is not a slowdown. With several runners the series is tested by a stratified Mann–Kendall test
 * and by each runner's own test; its p-value is the smallest times the number of tests.
 */
export function durationSeries(history: readonly ExecutionRecord[], config: ResolvedConfig): DurationSeries[] {
  const min = config.anti_patterns.rising_duration_min_points;
  const out: DurationSeries[] = [];
  for (const [key, byRunner] of [...durationGroups(history)].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const series = testDurationSeries(key, byRunner, min, config.statistics.alpha);
    if (series) out.push(series);
  }
  // Significance is decided across every series tested (false discovery rate).
  const q = benjaminiHochberg(out.map((s) => s.t.p_value));
  return out.map((s, i) => {
    const qi = q[i]!;
    return { ...s, q: qi, significant: qi !== null && qi < config.statistics.fdr && Math.abs(s.relative) >= config.anti_patterns.rising_duration_min_slope };
  });
}

/**
 * Dependency patterns: dependencies whose executions fail (overall < failure_score) or surprise
 * (surprise > high_surprise) at least `min_lift` times the base rate, with `min_support` cases,
 * tested (one-sided Fisher) with the false discovery rate controlled across the candidates.
 */
export function dependencyPatterns(history: readonly ExecutionRecord[], config: ResolvedConfig): ExtractedPattern[] {
  return decide([dependencyCandidates(history, config)], config.statistics.fdr)[0]!;
}

function dependencyCandidates(history: readonly ExecutionRecord[], config: ResolvedConfig): Candidates {
  const ordered = byTime(history);
  const strong: Candidates['strong'] = [];
  let tested = 0;
  if (!ordered.length) return { tested, strong, after: (kept) => kept };
  const byDep = new Map<string, ExecutionRecord[]>();
  for (const e of ordered) {
    for (const d of new Set((e.pre?.dependencies ?? []).map(itemKey))) {
      let list = byDep.get(d);
      if (!list) byDep.set(d, (list = []));
      list.push(e);
    }
  }
  const checks: Array<{ what: 'failure' | 'surprise'; test: (e: ExecutionRecord) => boolean; words: string }> = [
    { what: 'failure', test: (e) => e.overall < config.patterns.failure_score, words: `scored below ${config.patterns.failure_score}` },
    { what: 'surprise', test: (e) => (e.scores.surprise ?? 0) > config.thresholds.high_surprise, words: `had surprise above ${config.thresholds.high_surprise}` },
  ];
  const alias = aliasClasses(ordered, config.patterns.min_support);
  for (const c of checks) {
    const all = ordered.filter(c.test).length;
    const base = all / ordered.length;
    if (base === 0) continue;
    for (const [dep, executions] of [...byDep].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const hits = executions.filter(c.test);
      if (hits.length < config.patterns.min_support) continue;
      tested++;
      const confidence = hits.length / executions.length;
      const lift = confidence / base;
      if (lift < config.patterns.min_lift || confidence < 0.5) continue;
      // A dependency that always comes with other conditions is named with them: the history
      // cannot tell which of them goes with the outcome.
      const together = (alias.of.get(`dependency=${dep}`)?.split(MEMBER) ?? []).filter((m) => m !== `dependency=${dep}`);
      const definition: ExtractedPattern['definition'] = { dependency: dep, with: c.what, ...(together.length ? { together } : {}) };
      const p: ExtractedPattern = {
        id: patternId('dependency', definition),
        pattern_type: 'dependency',
        category: 'integration-gotcha',
        statement: `Executions depending on ${dep}${together.length ? ` (always together with ${together.join(' + ')}: the history cannot tell them apart)` : ''} ${c.words} in ${hits.length} of ${executions.length} cases (${Math.round(confidence * 100)}%), against ${Math.round(base * 100)}% overall (lift ${round(lift, 1)}`,
        definition,
        support: hits.length,
        confidence: round(confidence),
        lift: round(lift, 2),
        evidence: evidenceIds(hits),
        last_seen: hits[hits.length - 1]!.started_at,
      };
      const domain = dominantDomain(hits);
      if (domain) p.domain = domain;
      strong.push({ pattern: p, p: fisherGreater(hits.length, executions.length, all - hits.length, ordered.length - executions.length) });
    }
  }
  return { tested, strong, after: (kept) => kept };
}

const TYPE_ORDER = { failure: 0, theme: 1, success: 2, dependency: 3, performance: 4 } as const;

/** Stable order: type, support (desc), id. */
export function sortPatterns<T extends ExtractedPattern>(list: T[]): T[] {
  return list.sort((a, b) => TYPE_ORDER[a.pattern_type] - TYPE_ORDER[b.pattern_type] || b.support - a.support || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * All pattern lists for a history. Rejected ids (decided by people) are left out; patterns about
 * one outcome over the same executions are one pattern naming every member (same-evidence.ts),
 * listed under the type of the member that keeps its id.
 */
export function extractPatternSet(history: readonly ExecutionRecord[], config: ResolvedConfig, opts: ExtractOptions = {}): PatternSet {
  // Success, failure and dependency candidates are one family of tests (one false discovery
  // rate); duration trends and themes are controlled within their own.
  const tested = decide(
    [
      commonalityCandidates(history, (e) => e.overall > config.patterns.success_score, 'success', config),
      commonalityCandidates(history, (e) => e.overall < config.patterns.failure_score, 'failure', config),
      dependencyCandidates(history, config),
    ],
    config.statistics.fdr,
  );
  const found = mergeSameEvidence(
    [...tested.flat(), ...performancePatterns(history, config), ...mineThemes(history, config, opts.reflections ? { reflections: opts.reflections } : {})].filter((p) => !opts.rejected?.has(p.id)),
  );
  const of = (type: ExtractedPattern['pattern_type']): ExtractedPattern[] => sortPatterns(found.filter((p) => p.pattern_type === type));
  return { success_patterns: of('success'), failure_patterns: of('failure'), performance_patterns: of('performance'), dependency_patterns: of('dependency'), theme_patterns: of('theme') };
}

/** The pattern lists flattened in stable order. */
export function allPatterns(set: PatternSet): ExtractedPattern[] {
  return sortPatterns([...set.failure_patterns, ...set.theme_patterns, ...set.success_patterns, ...set.dependency_patterns, ...set.performance_patterns]);
}

/** Mean overall of a list of executions (null when empty). */
export function meanOverall(executions: readonly ExecutionRecord[]): number | null {
  return executions.length ? round(mean(executions.map((e) => e.overall)), 2) : null;
}
