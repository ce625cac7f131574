/**
 * Duration trends compare like with like: each agent and model only with itself (a stratified
 * Mann–Kendall test). Planted truth — a real slowdown in one model among flat ones is found and
 * named — and controls where a model is simply slower than another (joining later, or replacing
 * another model under the same agent) and nothing is flagged.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { detectAntiPatterns } from '../../scripts/core/learn/anti-patterns.js';
import { durationSeries, extractPatternSet } from '../../scripts/core/learn/patterns.js';
import { mannKendall, stratifiedMannKendall } from '../../scripts/core/learn/tests.js';
import { controlHistory, makeExecution } from '../../tools/examples/generate-history.js';
import { mulberry32 } from '../../tools/examples/prng.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';

const config = structuredClone(DEFAULT_CONFIG);
const START = 60 * 3; // hours after base where the control history (60 executions) ends

/** All orderings of a list. */
function permutations(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('stratified Mann–Kendall', () => {
  it('gives the exact p-value of the permutation distribution within strata (checked by enumerating every permutation)', () => {
    const strata = [
      [3, 1, 4],
      [10, 30, 20, 40],
      [7, 9],
    ];
    const observed = stratifiedMannKendall(strata.map((values) => ({ values })));
    // Under no trend every ordering within each stratum is equally likely: enumerate them all.
    const sOf = (v: readonly number[]) => mannKendall(v).s;
    const dists = strata.map((v) => permutations(v).map(sOf));
    let extreme = 0;
    let total = 0;
    for (const a of dists[0]!)
      for (const b of dists[1]!)
        for (const c of dists[2]!) {
          total += 1;
          if (Math.abs(a + b + c) >= Math.abs(observed.s)) extreme += 1;
        }
    expect(observed.method).toBe('exact');
    expect(observed.s).toBe(1 + 4 + 1);
    expect(observed.p_value).toBeCloseTo(extreme / total, 12);
    expect(observed.n).toBe(9);
  });

  it('one stratum is the plain test; a lone point in a stratum has nothing to be compared with', () => {
    const one = stratifiedMannKendall([{ values: [1, 2, 3, 4, 5] }]);
    expect(one).toEqual(mannKendall([1, 2, 3, 4, 5]));
    expect(one.p_value).toBeCloseTo(2 / 120, 12);
    // 4 informative points cannot show a trend, whatever the lone points around them.
    expect(stratifiedMannKendall([{ values: [1, 2] }, { values: [5, 6] }, { values: [100] }, { values: [200] }]).trend).toBe('unknown');
  });

  it('a level difference between strata is not a trend; the same rise within each stratum is', () => {
    // A fast model, then a slow one: pooled, durations "rise"; within each model they are flat.
    const fast = [300, 310, 295, 305, 300, 298];
    const slow = [1200, 1190, 1210, 1195, 1205, 1200];
    expect(mannKendall([...fast, ...slow]).trend).toBe('up');
    expect(stratifiedMannKendall([{ values: fast }, { values: slow }]).trend).toBe('flat');
    const rising = stratifiedMannKendall([{ values: [300, 320, 340, 360, 380, 400] }, { values: [1200, 1250, 1300, 1350, 1400, 1450] }]);
    expect(rising.trend).toBe('up');
    expect(rising.slope).toBe(35); // median of the within-model slopes 20 and 50 (15 pairs each)
  });
});

/** One run of a model: benchmark task, agent = the model (as an aider import writes it). */
function run(model: string, i: number, hours: number, duration: number, o: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return makeExecution(`ex-${model}-${String(i).padStart(2, '0')}`, hours, { task_type: 'benchmark', component: 'polyglot', agent: model, usage: { model }, duration_s: Math.round(duration), ...o });
}

const rising = (flags: ReturnType<typeof detectAntiPatterns>) => flags.filter((f) => f.monitor === 'rising_duration');

describe('bloat check and performance patterns, like for like', () => {
  it('control: a slower model that joins later is not bloat (pooled, the series rises; per model it is flat)', () => {
    const next = mulberry32(11);
    const fast = Array.from({ length: 12 }, (_, i) => run('fast-model', i, START + i * 10, 300 + 40 * (next() - 0.5)));
    // The slow model starts as the fast one winds down: its runs are 4x as long, and flat.
    const slow = Array.from({ length: 12 }, (_, i) => run('slow-model', i, START + 90 + i * 10 + 5, 1200 + 160 * (next() - 0.5)));
    const planted = [...fast, ...slow];
    // The pooled series does rise: the control is not vacuous.
    const pooled = [...planted]
      .sort((a, b) => (a.started_at < b.started_at ? -1 : 1))
      .slice(-20)
      .map((e) => e.duration_s);
    expect(mannKendall(pooled).trend).toBe('up');
    const history = [...controlHistory(60), ...planted];
    expect(rising(detectAntiPatterns(history, config))).toEqual([]);
    expect(extractPatternSet(history, config).performance_patterns).toEqual([]);
  });

  it('control: a leaderboard where each new model is slower than the last (as on the aider board) raises nothing', () => {
    const next = mulberry32(14);
    const planted: ExecutionRecord[] = [];
    // Six models in turn, each about 1.35x slower than the one before, each flat over its 4 runs.
    for (let m = 0; m < 6; m++) for (let i = 0; i < 4; i++) planted.push(run(`model-${m}`, i, START + m * 30 + i * 8, 300 * 1.35 ** m * (1 + 0.2 * (next() - 0.5))));
    const history = [...controlHistory(60), ...planted];
    expect(rising(detectAntiPatterns(history, config))).toEqual([]);
    expect(extractPatternSet(history, config).performance_patterns).toEqual([]);
    // Pooled it is a steady, large rise.
    const pooled = mannKendall(planted.slice(-20).map((e) => e.duration_s));
    expect(pooled.trend).toBe('up');
    expect(pooled.slope! / 1000).toBeGreaterThan(0.05);
  });

  it('control: the same agent switching to a slower model is not bloat either (the model is part of who ran it)', () => {
    const next = mulberry32(12);
    const runs = Array.from({ length: 20 }, (_, i) => {
      const model = i < 10 ? 'sonnet' : 'opus';
      return makeExecution(`ex-switch-${i}`, START + i * 5, { task_type: 'review', agent: 'claude-code', usage: { model }, duration_s: Math.round((i < 10 ? 300 : 1500) + 60 * (next() - 0.5)) });
    });
    const history = [...controlHistory(60), ...runs];
    expect(rising(detectAntiPatterns(history, config))).toEqual([]);
    expect(extractPatternSet(history, config).performance_patterns).toEqual([]);
  });

  it('control: many flat, noisy models (each tested alone and all together) raise nothing', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = mulberry32(100 + seed);
      const planted: ExecutionRecord[] = [];
      for (let m = 0; m < 6; m++) for (let i = 0; i < 10; i++) planted.push(run(`model-${m}`, i, START + i * 20 + m * 3, 200 * (m + 1) * (1 + 0.3 * (next() - 0.5))));
      const history = [...controlHistory(60), ...planted];
      expect(rising(detectAntiPatterns(history, config)), `seed ${seed}`).toEqual([]);
      expect(extractPatternSet(history, config).performance_patterns, `seed ${seed}`).toEqual([]);
    }
  });

  it('finds a real slowdown planted in one model among flat ones, and names that model', () => {
    const next = mulberry32(13);
    const models = ['flat-a', 'bloating', 'flat-b'];
    const planted: ExecutionRecord[] = [];
    for (let i = 0; i < 12; i++) {
      models.forEach((m, k) => {
        const base = m === 'bloating' ? 200 * 1.12 ** i : m === 'flat-a' ? 900 : 450;
        planted.push(run(m, i, START + i * 12 + k * 4, base * (1 + 0.2 * (next() - 0.5))));
      });
    }
    const bloating = planted.filter((e) => e.agent === 'bloating');
    const history = [...controlHistory(60), ...planted];
    const flags = rising(detectAntiPatterns(history, config));
    expect(flags.map((f) => f.subject)).toEqual(['benchmark']);
    const flag = flags[0]!;
    expect(flag.message).toMatch(/compared within each of 3 agents\/models: slower for bloating \(12 runs, \+\d+(\.\d)?s\/run\); not for 2 others: check/);
    // The evidence is the slowing model's runs, and only those.
    expect(flag.evidence).toEqual(bloating.map((e) => e.id).sort());
    expect(flag.where!.agents).toEqual([['bloating', 12]]);
    const series = durationSeries(history, config).find((s) => s.dimension === 'task_type' && s.value === 'benchmark')!;
    expect(series.runners.map((r) => r.runner)).toEqual(['bloating', 'flat-a', 'flat-b']);
    // Relative size within the slowing model: ~12% of its own median per run, not of the pooled median.
    expect(series.relative).toBeGreaterThan(0.05);
    const perf = extractPatternSet(history, config).performance_patterns;
    // The component's series and the task type's are the same 12 executions: one pattern naming both.
    expect(perf.map((p) => p.definition)).toEqual([{ task_type: 'benchmark', direction: 'rising' }]);
    expect(perf[0]!.same_evidence!.map((m) => m.definition)).toEqual([{ component: 'polyglot', task_type: 'benchmark', direction: 'rising' }]);
    expect(perf[0]!.statement).toContain('slower for bloating (12 runs');
    expect(perf[0]!.statement).toMatch(/The same 12 executions: duration of component=polyglot \(benchmark tasks\) likewise\.$/);
  });
});
