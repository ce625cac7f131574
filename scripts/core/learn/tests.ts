/**
 * Statistical tests the learning engine draws its conclusions from. Pure. Formulas and their
 * sources are in docs/learning.md; every function here is tested on planted truth and on a
 * control with nothing to find (test/learn/tests.test.ts).
 *
 * - Mantel–Haenszel common odds ratio and risk difference over 2x2 strata, with the exact
 *   conditional test and interval (a convolution of hypergeometric distributions; McNemar's
 *   exact test on matched pairs) or, for large data, the Cochran–Mantel–Haenszel test and the
 *   interval that inverts it; the p-value and the interval always come from the same test, so
 *   p < alpha exactly when the interval excludes 1. Sato's variance for the risk difference;
 * - Mann–Kendall trend test (exact distribution without ties, tie-corrected normal otherwise)
 *   with Sen's slope and its interval;
 * - Fisher's exact test (one-sided) and Benjamini–Hochberg q-values.
 *
 * Tail probabilities come from stdlib's erfc and log-gamma (accurate far into the tails: a
 * p-value of 1e-30 is 1e-30, not 0 or a table's last entry).
 */
import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammaln from '@stdlib/math-base-special-gammaln';

/** Two-sided p-value of a standard normal statistic. */
export function normalTwoSided(z: number): number {
  return Number.isFinite(z) ? erfc(Math.abs(z) / Math.SQRT2) : 0;
}

/** The standard normal quantile z with P(|Z| > z) = alpha (1.96 for 0.05). */
export function zFor(alpha: number): number {
  return Math.SQRT2 * erfcinv(alpha);
}

/** log C(n, k). */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const v of values) s += Math.exp(v - max);
  return max + Math.log(s);
}

// ---------------------------------------------------------------------------------------------
// Mantel–Haenszel

/** One stratum: treated successes / failures, control successes / failures. */
export interface Stratum {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** A Mantel–Haenszel estimate over strata. Null where a quantity is undefined (no data, or infinite). */
export interface MantelHaenszel {
  /** Strata given, and those with both treated and control executions (the others carry no information). */
  strata: number;
  informative: number;
  /** Treated and control executions in informative strata. */
  treated: number;
  control: number;
  /**
   * Matched pairs: in each informative stratum min(n₁, n₀) one-to-one pairs of a treated and a
   * control execution. `helpful` is the expected number of them where the treated execution
   * succeeded and the control failed (a·d·min(n₁,n₀)/(n₁·n₀) per stratum, the count a random
   * one-to-one matching gives on average), `harmful` the reverse; rounded to 0.1 (a positive count
   * never rounds to 0). On matched pairs they are McNemar's discordant pairs.
   */
  pairs: number;
  helpful: number;
  harmful: number;
  odds_ratio: number | null;
  /** Log-scale interval of the odds ratio (0 and null = unbounded ends). */
  ci_low: number | null;
  ci_high: number | null;
  risk_difference: number | null;
  rd_low: number | null;
  rd_high: number | null;
  p_value: number | null;
  /**
   * `exact`: conditional exact test and interval; `asymptotic`: the CMH test and the interval that
   * inverts it. Either way p < alpha exactly when the odds ratio's interval excludes 1.
   */
  method: 'exact' | 'asymptotic' | 'none';
}

/** Above this much convolution work (strata x support), the asymptotic method is used. */
export const EXACT_WORK_LIMIT = 20_000_000;

interface Conditional {
  /** Smallest value of T = sum(a) with positive probability. */
  min: number;
  /** log weights of T = min, min+1, ... under OR = 1 (unnormalised). */
  logw: number[];
  observed: number;
}

/** The exact conditional distribution of the treated successes given every stratum's margins. */
function conditional(strata: readonly Stratum[]): Conditional | undefined {
  let min = 0;
  let logw = [0];
  let observed = 0;
  for (const s of strata) {
    const n1 = s.a + s.b;
    const n0 = s.c + s.d;
    const m1 = s.a + s.c;
    const m0 = s.b + s.d;
    if (!n1 || !n0 || !m1 || !m0) continue;
    const lo = Math.max(0, m1 - n0);
    const hi = Math.min(n1, m1);
    const w: number[] = [];
    for (let x = lo; x <= hi; x++) w.push(logChoose(n1, x) + logChoose(n0, m1 - x));
    const next: number[] = new Array<number>(logw.length + w.length - 1).fill(-Infinity);
    for (let i = 0; i < logw.length; i++) {
      if (logw[i] === -Infinity) continue;
      for (let j = 0; j < w.length; j++) {
        const v = logw[i]! + w[j]!;
        const cur = next[i + j]!;
        next[i + j] = cur === -Infinity ? v : cur > v ? cur + Math.log1p(Math.exp(v - cur)) : v + Math.log1p(Math.exp(cur - v));
      }
    }
    logw = next;
    min += lo;
    observed += s.a;
  }
  return logw.length > 1 ? { min, logw, observed } : undefined;
}

/** log P_psi(T = t) for every t, normalised. */
function tilted(c: Conditional, logPsi: number): number[] {
  const raw = c.logw.map((w, i) => w + (c.min + i) * logPsi);
  const z = logSumExp(raw);
  return raw.map((r) => r - z);
}

function tailAtLeast(c: Conditional, logPsi: number): number {
  const p = tilted(c, logPsi);
  return Math.exp(logSumExp(p.slice(c.observed - c.min)));
}

function tailAtMost(c: Conditional, logPsi: number): number {
  const p = tilted(c, logPsi);
  return Math.exp(logSumExp(p.slice(0, c.observed - c.min + 1)));
}

/** Solves f(logPsi) = target for a monotone f by bisection on [-40, 40], to 1e-12 in log ψ. */
function bisect(f: (x: number) => number, target: number, increasing: boolean): number {
  let lo = -40;
  let hi = 40;
  while (hi - lo > 1e-12) {
    const mid = (lo + hi) / 2;
    const v = f(mid);
    if (v > target === increasing) hi = mid;
    else lo = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Exact conditional test and interval for the common odds ratio, inverting the same distribution
 * at the same tails: the central p-value `min(1, 2·min(P(T ≤ t), P(T ≥ t)))` under ψ = 1, and the
 * ψ where `P_ψ(T ≥ t) = alpha/2` and `P_ψ(T ≤ t) = alpha/2` (Cornfield). So p < alpha exactly when
 * the interval excludes 1 (a "no more likely than observed" p-value does not have that property).
 */
function exactConditional(c: Conditional, alpha: number): { p: number; low: number; high: number | null } {
  const p = Math.min(1, 2 * Math.min(tailAtMost(c, 0), tailAtLeast(c, 0)));
  const atMin = c.observed === c.min;
  const atMax = c.observed === c.min + c.logw.length - 1;
  const low = atMin ? 0 : Math.exp(bisect((x) => tailAtLeast(c, x), alpha / 2, true));
  const high = atMax ? null : Math.exp(bisect((x) => tailAtMost(c, x), alpha / 2, false));
  return { p, low, high };
}

/** One stratum's conditional distribution of `a` given its margins: lowest value and log weights. */
interface Support {
  lo: number;
  logw: number[];
}

/** The strata whose `a` can vary given the margins (the others add nothing to the test), and the observed Σa over them. */
function supports(strata: readonly Stratum[]): { list: Support[]; observed: number } {
  const list: Support[] = [];
  let observed = 0;
  for (const s of strata) {
    const n1 = s.a + s.b;
    const n0 = s.c + s.d;
    const m1 = s.a + s.c;
    if (!n1 || !n0 || !m1 || !(s.b + s.d)) continue;
    const lo = Math.max(0, m1 - n0);
    const hi = Math.min(n1, m1);
    const logw: number[] = [];
    for (let x = lo; x <= hi; x++) logw.push(logChoose(n1, x) + logChoose(n0, m1 - x));
    list.push({ lo, logw });
    observed += s.a;
  }
  return { list, observed };
}

/** Mean and variance of Σa under a common odds ratio e^logPsi (exact noncentral hypergeometric moments per stratum). */
function moments(list: readonly Support[], logPsi: number): { mean: number; variance: number } {
  let mean = 0;
  let variance = 0;
  for (const s of list) {
    let max = -Infinity;
    for (let i = 0; i < s.logw.length; i++) max = Math.max(max, s.logw[i]! + (s.lo + i) * logPsi);
    let z = 0;
    let m = 0;
    let m2 = 0;
    for (let i = 0; i < s.logw.length; i++) {
      const w = Math.exp(s.logw[i]! + (s.lo + i) * logPsi - max);
      z += w;
      m += w * i;
      m2 += w * i * i;
    }
    const mu = m / z;
    mean += s.lo + mu;
    variance += Math.max(0, m2 / z - mu * mu);
  }
  return { mean, variance };
}

/**
 * Continuity-corrected score statistic of the common odds ratio e^logPsi, signed: large and
 * positive when the observed Σa is above what e^logPsi predicts (`up`), or below it (`!up`).
 * At ψ = 1 its square is the Cochran–Mantel–Haenszel chi-square.
 */
function scoreZ(list: readonly Support[], observed: number, logPsi: number, up: boolean): number {
  const { mean, variance } = moments(list, logPsi);
  const num = (up ? observed - mean : mean - observed) - 0.5;
  if (variance > 0) return num / Math.sqrt(variance);
  return num > 0 ? Infinity : -Infinity;
}

/**
 * Cochran–Mantel–Haenszel test (continuity-corrected) and the interval that inverts the same
 * test: the ψ where the score statistic, with the exact conditional mean and variance of Σa under
 * ψ, equals ±z. So p < alpha exactly when the interval excludes 1, as in the exact method.
 */
function asymptoticConditional(strata: readonly Stratum[], alpha: number): { p: number; low: number; high: number | null } | undefined {
  const { list, observed } = supports(strata);
  if (!list.length) return undefined;
  const z = zFor(alpha);
  const up0 = scoreZ(list, observed, 0, true);
  const down0 = scoreZ(list, observed, 0, false);
  const p = normalTwoSided(Math.max(0, up0, down0));
  const lowSide = (x: number) => scoreZ(list, observed, x, true);
  const highSide = (x: number) => scoreZ(list, observed, x, false);
  const low = lowSide(-40) <= z ? 0 : Math.exp(bisect(lowSide, z, false));
  const high = highSide(40) <= z ? null : Math.exp(bisect(highSide, z, true));
  return { p, low, high };
}

/** A pair count rounded to 0.1, never rounding a positive count down to 0. */
function pairCount(x: number): number {
  return x > 0 ? Math.max(0.1, Math.round(x * 10) / 10) : 0;
}

/**
 * Sums over the informative strata (both arms present): the counts of `MantelHaenszel` (`helpful`
 * and `harmful` not yet rounded), and the Mantel–Haenszel and Sato terms.
 */
interface MhSums extends Pick<MantelHaenszel, 'informative' | 'treated' | 'control' | 'pairs' | 'helpful' | 'harmful'> {
  /** Σ ad/n and Σ bc/n: the odds ratio is R/S. */
  R: number;
  S: number;
  /** Risk difference numerator, weight and Sato's variance terms. */
  rdNum: number;
  W: number;
  P: number;
  Q: number;
  /** Σ of each stratum's support size: the work of the exact method. */
  support: number;
}

function mhSums(strata: readonly Stratum[]): MhSums {
  let R = 0;
  let S = 0;
  let rdNum = 0;
  let W = 0;
  let P = 0;
  let Q = 0;
  let informative = 0;
  let treated = 0;
  let control = 0;
  let pairs = 0;
  let helpful = 0;
  let harmful = 0;
  let support = 0;
  for (const s of strata) {
    const n1 = s.a + s.b;
    const n0 = s.c + s.d;
    const n = n1 + n0;
    if (!n1 || !n0) continue;
    informative++;
    treated += n1;
    control += n0;
    const matched = Math.min(n1, n0);
    pairs += matched;
    helpful += (s.a * s.d * matched) / (n1 * n0);
    harmful += (s.b * s.c * matched) / (n1 * n0);
    R += (s.a * s.d) / n;
    S += (s.b * s.c) / n;
    rdNum += (s.a * n0 - s.c * n1) / n;
    W += (n1 * n0) / n;
    P += (n1 * n1 * s.c - n0 * n0 * s.a + (n1 * n0 * (n0 - n1)) / 2) / (n * n);
    Q += (s.a * (n0 - s.c) + s.c * (n1 - s.a)) / (2 * n);
    support += Math.min(n1, s.a + s.c, n0, s.b + s.d) + 1;
  }
  return { informative, treated, control, pairs, helpful, harmful, R, S, rdNum, W, P, Q, support };
}

/** The risk difference and Sato's interval (no interval when the variance estimate is negative). */
function satoRiskDifference(sums: MhSums, z: number): Pick<MantelHaenszel, 'risk_difference' | 'rd_low' | 'rd_high'> {
  const rd = sums.rdNum / sums.W;
  const rdVar = (rd * sums.P + sums.Q) / (sums.W * sums.W);
  if (!(rdVar >= 0)) return { risk_difference: rd, rd_low: null, rd_high: null };
  return { risk_difference: rd, rd_low: Math.max(-1, rd - z * Math.sqrt(rdVar)), rd_high: Math.min(1, rd + z * Math.sqrt(rdVar)) };
}

/** The odds ratio with the test and interval of `method` ('auto': exact unless the work exceeds EXACT_WORK_LIMIT). */
function oddsRatioTest(
  strata: readonly Stratum[],
  sums: MhSums,
  alpha: number,
  method: 'auto' | 'exact' | 'asymptotic',
): Pick<MantelHaenszel, 'odds_ratio' | 'ci_low' | 'ci_high' | 'p_value' | 'method'> {
  const exact = method === 'exact' || (method === 'auto' && sums.informative * sums.support <= EXACT_WORK_LIMIT);
  const c = exact ? conditional(strata) : undefined;
  const e = exact ? c && exactConditional(c, alpha) : asymptoticConditional(strata, alpha);
  return {
    // Infinite (no harmful pair) or undefined (no discordant pair at all): null, see the interval.
    odds_ratio: sums.S > 0 ? sums.R / sums.S : null,
    ci_low: e ? e.low : null,
    ci_high: e ? e.high : null,
    // Without `e` every informative stratum had a single outcome: the data say nothing about the odds.
    p_value: e ? e.p : 1,
    method: exact ? 'exact' : 'asymptotic',
  };
}

/**
 * Mantel–Haenszel common odds ratio and risk difference of treated vs control across strata,
 * with a 1 - alpha interval for the odds ratio and the two-sided p-value of the test it inverts
 * (see `MantelHaenszel.method`), and Sato's interval for the risk difference.
 */
export function mantelHaenszel(strata: readonly Stratum[], alpha = 0.05, method: 'auto' | 'exact' | 'asymptotic' = 'auto'): MantelHaenszel {
  const sums = mhSums(strata);
  const base: MantelHaenszel = {
    strata: strata.length,
    informative: sums.informative,
    treated: sums.treated,
    control: sums.control,
    pairs: sums.pairs,
    helpful: pairCount(sums.helpful),
    harmful: pairCount(sums.harmful),
    odds_ratio: null,
    ci_low: null,
    ci_high: null,
    risk_difference: null,
    rd_low: null,
    rd_high: null,
    p_value: null,
    method: 'none',
  };
  if (!sums.informative) return base;
  // Spread over `base`, so the fields keep its order.
  return { ...base, ...oddsRatioTest(strata, sums, alpha, method), ...satoRiskDifference(sums, zFor(alpha)) };
}

// ---------------------------------------------------------------------------------------------
// Benjamini–Hochberg, Fisher

/** Benjamini–Hochberg q-values (same order as the p-values; null stays null). */
export function benjaminiHochberg(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const idx = pValues.map((p, i) => [p, i] as const).filter((x): x is readonly [number, number] => x[0] !== null);
  const m = idx.length;
  const sorted = [...idx].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const q = new Array<number | null>(pValues.length).fill(null);
  let min = 1;
  for (let r = m; r >= 1; r--) {
    const [p, i] = sorted[r - 1]!;
    min = Math.min(min, (p * m) / r);
    q[i] = min;
  }
  return q;
}

/**
 * One-sided Fisher exact p-value that the first group has the property more often: `x` of `n1`
 * in the first group, `y` of `n0` in the second.
 */
export function fisherGreater(x: number, n1: number, y: number, n0: number): number {
  const K = x + y;
  const N = n1 + n0;
  const denom = logChoose(N, K);
  const terms: number[] = [];
  for (let k = x; k <= Math.min(K, n1); k++) terms.push(logChoose(n1, k) + logChoose(n0, K - k) - denom);
  return Math.min(1, Math.exp(logSumExp(terms)));
}

// ---------------------------------------------------------------------------------------------
// Mann–Kendall and Sen's slope

/** A tested trend. */
export interface TrendTest {
  n: number;
  /** Mann–Kendall S (concordant minus discordant pairs). */
  s: number;
  p_value: number | null;
  /** Sen's slope (median pairwise slope) per unit of `t`, with its 1 - alpha interval. */
  slope: number | null;
  slope_low: number | null;
  slope_high: number | null;
  /** up/down only when significant; flat when tested and not; unknown below `MIN_TREND_POINTS`. */
  trend: 'up' | 'down' | 'flat' | 'unknown';
  method: 'exact' | 'normal' | 'none';
}

/** Fewer points cannot show a significant trend at 5% (4 points: the exact p is at least 0.083). */
export const MIN_TREND_POINTS = 5;

const mahonian = new Map<number, number[]>();

// P(inversions = k) over permutations of n items (Mahonian distribution), by adding items one by one; kept per n.
function inversionDistribution(n: number): number[] {
  const hit = mahonian.get(n);
  if (hit) return hit;
  const dist = mahonianOf(n);
  mahonian.set(n, dist);
  return dist;
}

function mahonianOf(n: number): number[] {
  let dist = [1];
  for (let i = 2; i <= n; i++) {
    const next = new Array<number>(dist.length + i - 1).fill(0);
    for (let k = 0; k < dist.length; k++) {
      const v = dist[k]! / i;
      if (!v) continue;
      for (let j = 0; j < i; j++) next[k + j]! += v;
    }
    dist = next;
  }
  return dist;
}

/**
 * Mann–Kendall test of a series (values at times `t`, default 0, 1, 2...) with Sen's slope. Exact
 * two-sided p-value from the distribution of S over permutations when there are no ties and at
 * most 60 points; otherwise the normal approximation with the tie-corrected variance and
 * continuity correction.
 */
export function mannKendall(values: readonly number[], t?: readonly number[], alpha = 0.05): TrendTest {
  return stratifiedMannKendall([{ values, ...(t ? { t } : {}) }], alpha);
}

/** One stratum of a stratified trend test: its values in time order (at times `t`, default 0, 1, 2...). */
export interface TrendStratum {
  values: readonly number[];
  t?: readonly number[];
}

/** Exact p-values at most this many pairs in all (as many as 60 points in one series); normal beyond. */
const EXACT_MAX_PAIRS = 1770;

/** Distributions already computed, by stratum sizes (series of one history share their sizes). */
const inversionCache = new Map<string, number[]>();

/** The strata's Mahonian distributions convolved: the distribution of total discordant pairs (no ties). */
function stratifiedInversions(sizes: readonly number[]): number[] {
  const key = [...sizes].sort((a, b) => a - b).join(',');
  const hit = inversionCache.get(key);
  if (hit) return hit;
  let dist = [1];
  for (const n of sizes) {
    const d = inversionDistribution(n);
    if (dist.length === 1) {
      dist = d;
      continue;
    }
    const next = new Array<number>(dist.length + d.length - 1).fill(0);
    for (let i = 0; i < dist.length; i++) {
      if (!dist[i]) continue;
      for (let j = 0; j < d.length; j++) next[i + j]! += dist[i]! * d[j]!;
    }
    dist = next;
  }
  if (inversionCache.size >= 256) inversionCache.clear();
  inversionCache.set(key, dist);
  return dist;
}

/** Sen's slope over strata: the median of the pairwise slopes within each stratum (null without pairs). */
export function stratifiedSenSlope(strata: readonly TrendStratum[]): number | null {
  const slopes = pairSlopes(strata);
  return slopes.length ? medianSorted(slopes) : null;
}

/** The within-stratum pairwise slopes, sorted (a typed array sorts numerically without a comparator call per pair). */
function pairSlopes(strata: readonly TrendStratum[]): Float64Array {
  let total = 0;
  for (const { values } of strata) total += (values.length * (values.length - 1)) / 2;
  const slopes = new Float64Array(total);
  let k = 0;
  for (const { values, t } of strata) {
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) {
        const dt = t ? t[j]! - t[i]! : j - i;
        if (dt !== 0) slopes[k++] = (values[j]! - values[i]!) / dt;
      }
    }
  }
  return slopes.subarray(0, k).sort();
}

const medianSorted = (l: ArrayLike<number>): number => (l.length % 2 ? l[(l.length - 1) / 2]! : (l[l.length / 2 - 1]! + l[l.length / 2]!) / 2);

/**
 * Stratified (seasonal) Mann–Kendall test (Hirsch, Slack & Smith 1982): pairs are compared only
 * within a stratum — e.g. the runs of one agent and model — and S and its variance are summed
 * over the strata, so a difference between strata (a slower model that started later) is never
 * read as a trend. Sen's slope is the median of the within-stratum pairwise slopes. Exact p-value
 * (the strata's permutation distributions convolved) without ties and at most 1,770 pairs in all
 * (60 points in one series), else the normal approximation; one stratum is the plain test. A lone
 * point in a stratum has nothing to be compared with: it counts in `n` but not towards the
 * `MIN_TREND_POINTS` a p-value needs.
 */
export function stratifiedMannKendall(strata: readonly TrendStratum[], alpha = 0.05): TrendTest {
  const used = strata.filter((x) => x.values.length >= 2);
  const n = strata.reduce((a, x) => a + x.values.length, 0);
  const informative = used.reduce((a, x) => a + x.values.length, 0);
  const out: TrendTest = { n, s: 0, p_value: null, slope: null, slope_low: null, slope_high: null, trend: 'unknown', method: 'none' };
  if (!used.length) return out;
  let s = 0;
  let varS = 0;
  let tied = false;
  for (const { values } of used) {
    const m = values.length;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) s += Math.sign(values[j]! - values[i]!);
    const ties = new Map<number, number>();
    for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
    let tieTerm = 0;
    for (const c of ties.values()) if (c > 1) tieTerm += c * (c - 1) * (2 * c + 5);
    if (tieTerm) tied = true;
    varS += (m * (m - 1) * (2 * m + 5) - tieTerm) / 18;
  }
  out.s = s;
  const slopes = pairSlopes(used);
  if (slopes.length) out.slope = medianSorted(slopes);
  if (informative < MIN_TREND_POINTS) return out;
  const pairs = used.reduce((a, x) => a + (x.values.length * (x.values.length - 1)) / 2, 0);
  if (!tied && pairs <= EXACT_MAX_PAIRS) {
    const inv = (pairs - s) / 2; // discordant pairs
    const dist = stratifiedInversions(used.map((x) => x.values.length));
    const k = Math.min(inv, pairs - inv);
    let tail = 0;
    for (let i = 0; i <= k; i++) tail += dist[i]!;
    out.p_value = Math.min(1, 2 * tail);
    out.method = 'exact';
  } else {
    const zs = varS > 0 ? (s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0) : 0;
    out.p_value = normalTwoSided(zs);
    out.method = 'normal';
  }
  // Sen's slope interval (Gilbert 1987): the slopes of rank (N - C)/2 and (N + C)/2 + 1 (1-based).
  if (slopes.length && varS > 0) {
    const c = zFor(alpha) * Math.sqrt(varS);
    const lo = Math.round((slopes.length - c) / 2) - 1;
    const hi = Math.round((slopes.length + c) / 2);
    out.slope_low = slopes[Math.max(0, Math.min(slopes.length - 1, lo))]!;
    out.slope_high = slopes[Math.max(0, Math.min(slopes.length - 1, hi))]!;
  }
  out.trend = out.p_value < alpha ? (s > 0 ? 'up' : 'down') : 'flat';
  return out;
}
