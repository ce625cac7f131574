/**
 * The statistical tests against values computed by hand or published, on planted effects and
 * on controls with nothing to find.
 */
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, fisherGreater, mannKendall, mantelHaenszel, normalTwoSided, zFor, type Stratum } from '../../scripts/core/learn/tests.js';

const pair = (treated: boolean, control: boolean): Stratum => ({ a: treated ? 1 : 0, b: treated ? 0 : 1, c: control ? 1 : 0, d: control ? 0 : 1 });
const pairs = (both: number, treatedOnly: number, controlOnly: number, neither: number): Stratum[] => [
  ...Array.from({ length: both }, () => pair(true, true)),
  ...Array.from({ length: treatedOnly }, () => pair(true, false)),
  ...Array.from({ length: controlOnly }, () => pair(false, true)),
  ...Array.from({ length: neither }, () => pair(false, false)),
];

/** A small deterministic generator (tests must not depend on Math.random). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** A stratum of 1 to `maxN` executions per side; treated ones succeed with probability `p1`, controls with `p0`. */
function drawStratum(next: () => number, p1: number, p0: number, maxN: number): Stratum {
  const n1 = 1 + Math.floor(next() * maxN);
  const n0 = 1 + Math.floor(next() * maxN);
  let a = 0;
  let c = 0;
  for (let i = 0; i < n1; i++) a += next() < p1 ? 1 : 0;
  for (let i = 0; i < n0; i++) c += next() < p0 ? 1 : 0;
  return { a, b: n1 - a, c, d: n0 - c };
}

describe('distribution tails', () => {
  it('are accurate far below 0.001', () => {
    expect(normalTwoSided(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(normalTwoSided(10) / 1.523970604832105e-23).toBeCloseTo(1, 9);
    expect(normalTwoSided(30)).toBeGreaterThan(0);
    expect(zFor(0.05)).toBeCloseTo(1.959963984540054, 10);
  });
});

describe('Mantel–Haenszel', () => {
  it('reduces to McNemar on matched pairs (exact binomial on the discordant pairs)', () => {
    const r = mantelHaenszel(pairs(120, 10, 1, 33));
    expect(r.informative).toBe(164);
    expect([r.helpful, r.harmful]).toEqual([10, 1]);
    expect(r.odds_ratio).toBeCloseTo(10, 10);
    expect(r.p_value).toBeCloseTo((2 * 12) / 2048, 12); // 2 P(X <= 1), X ~ Bin(11, 1/2)
    // Exact interval of p = psi / (1 + psi) is Clopper–Pearson for 10 of 11: [0.58722, 0.99770].
    expect(r.ci_low! / (1 + r.ci_low!)).toBeCloseTo(0.587225, 4);
    expect(r.ci_high! / (1 + r.ci_high!)).toBeCloseTo(0.997701, 4);
    expect(r.risk_difference).toBeCloseTo(9 / 164, 10);
    expect(mantelHaenszel(pairs(10, 17, 29, 10)).p_value).toBeCloseTo(0.1038, 3);
  });

  it('gives the chi-square p on one large stratum and the interval that inverts the same test (asymptotic method)', () => {
    const t: Stratum = { a: 20, b: 10, c: 10, d: 20 };
    const r = mantelHaenszel([t], 0.05, 'asymptotic');
    expect(r.method).toBe('asymptotic');
    expect(r.odds_ratio).toBeCloseTo(4, 10);
    expect(r.risk_difference).toBeCloseTo(1 / 3, 10);
    // Sato's variance on one stratum is the usual p(1-p)/n1 + p(1-p)/n0.
    const se = Math.sqrt(2 / 9 / 30 + 2 / 9 / 30);
    expect(r.rd_high! - r.risk_difference!).toBeCloseTo(1.959964 * se, 2);
    // Continuity-corrected CMH: (|20 - 15| - 0.5)^2 / (30*30*30*30 / (60^2 * 59)) = 5.310.
    expect(r.p_value).toBeCloseTo(0.021203, 5);
    // At each end of the interval the corrected score statistic, with a's noncentral
    // hypergeometric mean and variance under that odds ratio (summed here by hand), is 1.96.
    const choose = (n: number, k: number) => Array.from({ length: k }, (_, i) => (n - i) / (i + 1)).reduce((p, v) => p * v, 1);
    const moments = (psi: number) => {
      const w = Array.from({ length: 31 }, (_, x) => choose(30, x) * choose(30, 30 - x) * psi ** x);
      const z = w.reduce((s, v) => s + v, 0);
      const mean = w.reduce((s, v, x) => s + v * x, 0) / z;
      return { mean, sd: Math.sqrt(w.reduce((s, v, x) => s + v * (x - mean) ** 2, 0) / z) };
    };
    const lo = moments(r.ci_low!);
    const hi = moments(r.ci_high!);
    expect((20 - lo.mean - 0.5) / lo.sd).toBeCloseTo(1.959964, 6);
    expect((hi.mean - 20 - 0.5) / hi.sd).toBeCloseTo(1.959964, 6);
    // It is close to the exact conditional interval (SciPy's odds_ratio, kind conditional:
    // 1.212821-13.467467; fisher_exact p = 0.019383), and closer still with larger counts.
    const exact = mantelHaenszel([t], 0.05, 'exact');
    expect(exact.p_value).toBeCloseTo(0.019383, 6);
    expect(exact.ci_low).toBeCloseTo(1.212821, 5);
    expect(exact.ci_high).toBeCloseTo(13.467467, 5);
    expect(r.ci_low! / exact.ci_low!).toBeCloseTo(1, 1);
    const big = [{ a: 200, b: 100, c: 100, d: 200 }];
    const [ea, as] = [mantelHaenszel(big, 0.05, 'exact'), mantelHaenszel(big, 0.05, 'asymptotic')];
    expect(as.ci_low! / ea.ci_low!).toBeCloseTo(1, 2);
    expect(as.ci_high! / ea.ci_high!).toBeCloseTo(1, 2);
  });

  it('reports a p-value below alpha exactly when the interval excludes an odds ratio of 1 (planted effects, small counts, null controls)', () => {
    // A small table where "sum the tables no more likely than the observed" says p = 0.048 while
    // the exact interval (SciPy: 0-1.44) includes 1: the central p-value is 2 x 0.047619.
    const small = mantelHaenszel([{ a: 0, b: 3, c: 5, d: 1 }]);
    expect(small.ci_high).toBeCloseTo(1.439981, 5);
    expect(small.p_value).toBeCloseTo(2 / 21, 10);
    const next = rng(11);
    const excludesOne = (m: ReturnType<typeof mantelHaenszel>) => m.ci_low! > 1 || (m.ci_high !== null && m.ci_high < 1);
    const counts = { exact: { significant: 0, not: 0 }, asymptotic: { significant: 0, not: 0 } };
    for (let run = 0; run < 600; run++) {
      // Odds ratio 1 (the control) in a third of the runs, a planted effect either way otherwise;
      // 1 to 12 strata of 1 to 9 executions per side, unbalanced margins.
      const psi = [1, 4, 1 / 4][run % 3]!;
      const strata: Stratum[] = [];
      for (let k = 0, K = 1 + Math.floor(next() * 12); k < K; k++) {
        const p0 = 0.1 + 0.8 * next();
        strata.push(drawStratum(next, (p0 * psi) / (1 - p0 + p0 * psi), p0, 9));
      }
      for (const method of ['exact', 'asymptotic'] as const) {
        const m = mantelHaenszel(strata, 0.05, method);
        if (m.ci_low === null) continue; // no stratum where the outcome varies: p = 1, no interval
        if (Math.abs(m.p_value! - 0.05) < 1e-9) continue; // a tie with alpha itself
        expect(m.p_value! < 0.05, `${method} ${JSON.stringify(strata)}: p ${m.p_value}, interval ${m.ci_low}-${m.ci_high}`).toBe(excludesOne(m));
        counts[method][m.p_value! < 0.05 ? 'significant' : 'not']++;
      }
    }
    // Both outcomes occur often enough for the check to mean something.
    for (const c of Object.values(counts)) expect(Math.min(c.significant, c.not)).toBeGreaterThan(100);
  });

  it('finds a common effect across strata where the pooled split inverts it (Simpson), and no effect in a control', () => {
    // Hard strata recall often and succeed rarely; easy strata rarely recall and succeed often.
    const hard: Stratum = { a: 30, b: 50, c: 5, d: 15 }; // 38% with vs 25% without
    const easy: Stratum = { a: 19, b: 1, c: 70, d: 10 }; // 95% with vs 88% without
    const r = mantelHaenszel([hard, easy]);
    const pooledWith = (30 + 19) / 100;
    const pooledWithout = (5 + 70) / 100;
    expect(pooledWith).toBeLessThan(pooledWithout); // the naive split says recall hurts
    expect(r.odds_ratio!).toBeGreaterThan(1);
    expect(r.risk_difference!).toBeGreaterThan(0);
    const control = mantelHaenszel([
      { a: 20, b: 60, c: 5, d: 15 },
      { a: 18, b: 2, c: 72, d: 8 },
    ]);
    expect(control.odds_ratio).toBeCloseTo(1, 5);
    expect(control.p_value!).toBeGreaterThan(0.5);
  });

  it('keeps its error rate under the null: about 5% of control histories are significant at 5%', () => {
    const next = rng(7);
    let significant = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const strata: Stratum[] = [];
      for (let k = 0; k < 30; k++) {
        const p = 0.2 + 0.6 * next();
        strata.push(drawStratum(next, p, p, 4));
      }
      if (mantelHaenszel(strata).p_value! < 0.05) significant++;
    }
    // The exact conditional test is conservative: at most the nominal rate (with sampling noise).
    expect(significant / runs).toBeLessThan(0.075);
  });

  it('counts helpful and harmful matched pairs, not every pairing of a treated and a control execution', () => {
    // A week of 4 executions that recalled (all succeeded) and 4 that did not (all failed): 4
    // matched pairs, all helpful (not 4 x 4 = 16 "comparisons").
    expect(mantelHaenszel([{ a: 4, b: 0, c: 0, d: 4 }])).toMatchObject({ pairs: 4, helpful: 4, harmful: 0 });
    // 20 vs 30 executions: 20 pairs; expected helpful 12*18*20/(20*30) = 7.2, harmful 8*12*20/600 = 3.2.
    expect(mantelHaenszel([{ a: 12, b: 8, c: 12, d: 18 }])).toMatchObject({ pairs: 20, helpful: 7.2, harmful: 3.2 });
    // A tiny expected count is still a count (rounded to 0.1, never to 0), and none stays 0.
    expect(mantelHaenszel([{ a: 1, b: 0, c: 999, d: 1 }])).toMatchObject({ pairs: 1, helpful: 0.1, harmful: 0 });
  });

  it('says nothing when no stratum has both kinds of execution', () => {
    const r = mantelHaenszel([
      { a: 3, b: 1, c: 0, d: 0 },
      { a: 0, b: 0, c: 2, d: 2 },
    ]);
    expect(r.informative).toBe(0);
    expect([r.odds_ratio, r.p_value, r.method]).toEqual([null, null, 'none']);
  });
});

describe('Mann–Kendall and Sen', () => {
  it('gives the exact p-value and the slope of a monotone series', () => {
    const up = mannKendall([1, 2, 3, 4, 5]);
    expect(up).toMatchObject({ s: 10, method: 'exact', trend: 'up' });
    expect(up.p_value).toBeCloseTo(2 / 120, 12);
    const ten = mannKendall([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(ten.p_value).toBeCloseTo(2 / 3628800, 15);
    expect(ten.slope).toBe(2);
  });

  it('calls a noisy steady rise up and a trendless series flat', () => {
    // 14 of 15 weekly means rise (53.5 -> 60): the shape a fixed-slope rule called "flat".
    const weeks = [53.5, 54, 54.4, 55, 55.3, 55.9, 56.2, 56.1, 56.8, 57.3, 57.9, 58.4, 58.8, 59.5, 60];
    const t = mannKendall(weeks);
    expect(t.trend).toBe('up');
    expect(t.p_value!).toBeLessThan(1e-6);
    expect(t.slope!).toBeGreaterThan(0.4);
    expect(t.slope_low!).toBeGreaterThan(0);
    const next = rng(3);
    let up = 0;
    for (let r = 0; r < 300; r++) if (mannKendall(Array.from({ length: 12 }, () => 50 + next() * 10)).trend !== 'flat') up++;
    expect(up / 300).toBeLessThan(0.08);
  });

  it('uses the tie-corrected normal approximation with ties, and refuses to call a trend on 4 points', () => {
    const t = mannKendall([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(t.method).toBe('normal');
    expect(t.trend).toBe('up');
    expect(mannKendall([1, 2, 3, 4]).trend).toBe('unknown');
  });
});

describe('Fisher and Benjamini–Hochberg', () => {
  it('match the textbook values', () => {
    expect(fisherGreater(3, 4, 1, 4)).toBeCloseTo(17 / 70, 12); // the lady tasting tea
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005, null])).toEqual([0.02, 0.04, 0.04, 0.02, null]);
  });
});
