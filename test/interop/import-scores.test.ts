/**
 * What an imported benchmark history scores, on a planted aider leaderboard (three models, six
 * runs each, one of them slow and joining later) in a real Git repository: a run's accuracy is its
 * pass rate, efficiency compares it with earlier runs of the same model only, scores nothing
 * measures are left out, so successes never ask for a root-cause analysis and runs below the bar
 * always do; the slower model is not a slowdown. A model that really slows down is found and named.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli } from '../helpers/repo.js';
import { initializedKb } from './kb.js';
import { parseFrontmatter } from '../../scripts/core/records/parse.js';
import { mulberry32 } from '../../tools/examples/prng.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';

afterAll(cleanupTemp);

const kb = initializedKb;

function executions(repo: string): ExecutionRecord[] {
  const dir = join(repo, 'learning-loop', 'memory', 'short-term', 'executions');
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).map((f) => parseFrontmatter(f, readFileSync(join(dir, f), 'utf8')).data as unknown as ExecutionRecord);
}

const HEADER =
  'dirname\tmodel\tedit_format\tdate\tpass_rate_1\tpass_rate_2\tpercent_cases_well_formed\terror_outputs\tnum_malformed_responses\texhausted_context_windows\ttest_timeouts\tseconds_per_case\ttotal_cost';

interface Run {
  model: string;
  week: number;
  rate: number;
  secondsPerCase: number;
}

/** A leaderboard TSV of runs (one a week per model, Mondays from 2025-01-06). */
function leaderboard(runs: readonly Run[]): string {
  const rows = runs.map((r, i) => {
    const date = new Date(Date.UTC(2025, 0, 6 + 7 * r.week)).toISOString().slice(0, 10);
    return [
      `${date}-10-00-${String(i % 60).padStart(2, '0')}--${r.model}`,
      r.model,
      'diff',
      date,
      (r.rate / 2).toFixed(1),
      r.rate.toFixed(1),
      '98.0',
      '3',
      '2',
      '0',
      '4',
      r.secondsPerCase.toFixed(1),
      '1.5',
    ].join('\t');
  });
  return `# planted leaderboard\n${HEADER}\n${rows.join('\n')}\n`;
}

/** Three models, six weekly runs each, routine variation (±10 % in time): fast and good, slow and good (joins in week 4), fast and weak. */
function plantedRuns(seed: number): Run[] {
  const next = mulberry32(seed);
  const runs: Run[] = [];
  const spread = (x: number, f: number) => x * (1 + f * (2 * next() - 1));
  for (let i = 0; i < 6; i++) {
    runs.push({ model: 'fast-good', week: i, rate: 64 + 16 * next(), secondsPerCase: spread(20, 0.1) });
    runs.push({ model: 'slow-good', week: 3 + i, rate: 64 + 18 * next(), secondsPerCase: spread(150, 0.1) });
    runs.push({ model: 'fast-weak', week: i, rate: 10 + 35 * next(), secondsPerCase: spread(25, 0.1) });
  }
  return runs;
}

describe('imported benchmark runs: scores that mean something', () => {
  it('successes never trigger a root-cause analysis, runs below the bar always do; the slow model is not bloat', async () => {
    const repo = await kb();
    const runs = plantedRuns(21);
    writeFileSync(join(repo, 'board.tsv'), leaderboard(runs));
    const out = await runCli(repo, ['import', 'executions', 'board.tsv', '--json']);
    expect(out.code, out.stdout).toBe(0);
    const ex = executions(repo);
    expect(ex).toHaveLength(18);
    const byModel = (m: string) => ex.filter((e) => e.agent === m).sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
    for (const e of ex) {
      const rate = e.scores.accuracy;
      expect(e.outcome, e.title).toBe(rate >= 60 ? 'success' : 'partial');
      if (e.outcome === 'success') {
        expect(e.trigger, e.title).not.toBe('mandatory_reflection');
        expect(e.overall, e.title).toBeGreaterThanOrEqual(60);
      } else expect(e.trigger, e.title).toBe('mandatory_reflection');
      // Nothing on a leaderboard measures reuse or surprises.
      expect(e.scores.reusability).toBeUndefined();
      expect(e.scores.surprise).toBeUndefined();
    }
    for (const m of ['fast-good', 'slow-good', 'fast-weak']) {
      const list = byModel(m);
      // The first run of a model has nothing like it to be compared with; the others are compared with its own earlier runs.
      expect(list[0]!.scores.efficiency, m).toBeUndefined();
      expect(list[0]!.overall).toBe(list[0]!.scores.accuracy);
      for (const e of list.slice(1)) expect(e.scores.efficiency, e.title).toBeGreaterThanOrEqual(55);
    }
    // The slow model is as efficient as itself: its efficiencies are those of the fast ones.
    const meanEff = (m: string) =>
      byModel(m)
        .slice(1)
        .reduce((s, e) => s + e.scores.efficiency!, 0) / 5;
    expect(Math.abs(meanEff('slow-good') - meanEff('fast-good'))).toBeLessThan(15);
    // The slow model joining later is not a slowdown: no bloat flag, no performance pattern.
    const learned = JSON.parse((await runCli(repo, ['patterns', '--json'])).stdout);
    expect(learned.flags.filter((f: { monitor: string }) => f.monitor === 'rising_duration')).toEqual([]);
    expect(learned.performance_patterns).toEqual([]);
    expect((await runCli(repo, ['validate', '--strict'])).code).toBe(0);
  });

  it('a model that keeps slowing down: its efficiency falls run after run (against its own earlier runs), and it is flagged by name', async () => {
    const repo = await kb();
    const runs = plantedRuns(22);
    // A fourth model gets ~20 % slower with every run (its pass rate stays good).
    const next = mulberry32(5);
    for (let i = 0; i < 8; i++) runs.push({ model: 'bloating', week: i, rate: 70 + 6 * next(), secondsPerCase: 30 * 1.2 ** i * (1 + 0.1 * (2 * next() - 1)) });
    writeFileSync(join(repo, 'board.tsv'), leaderboard(runs));
    expect((await runCli(repo, ['import', 'executions', 'board.tsv'])).code).toBe(0);
    const bloating = executions(repo)
      .filter((e) => e.agent === 'bloating')
      .sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
    // Each run slower than the model's earlier ones: efficiency falls run after run.
    const eff = bloating.slice(1).map((e) => e.scores.efficiency!);
    expect(eff[eff.length - 1]!).toBeLessThan(45);
    expect(bloating[bloating.length - 1]!.overall).toBeLessThan(bloating[1]!.overall);
    const learned = JSON.parse((await runCli(repo, ['patterns', '--json'])).stdout);
    const flags = learned.flags.filter((f: { monitor: string }) => f.monitor === 'rising_duration');
    expect(flags).toHaveLength(1);
    expect(flags[0].message).toMatch(/slower for bloating \(8 runs/);
    expect([...flags[0].evidence].sort()).toEqual(bloating.map((e) => e.id).sort());
  });
});
