/**
 * Dashboard formulas, success criteria, schedule decisions and the learn.json snapshot.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { dashboardReport, LearningDashboard } from '../../scripts/core/learn/dashboard.js';
import { wilson, weekStart } from '../../scripts/core/learn/stats.js';
import { isLastFridayOfMonth, shouldRunMonthly, shouldRunWeekly } from '../../scripts/core/learn/schedule.js';
import { periodFor } from '../../scripts/core/learn/synthesis.js';
import { writeLearnSnapshot } from '../../scripts/index/snapshot.js';
import { controlHistory, hoursAfterBase, makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import { cleanupTemp } from '../helpers/repo.js';
import { repoWith } from './kb.js';

afterAll(cleanupTemp);
const config = structuredClone(DEFAULT_CONFIG);

describe('formulas', () => {
  it('Wilson interval is honest for small samples', () => {
    expect(wilson(0, 0)).toEqual({ rate: null, low: null, high: null, n: 0 });
    const two = wilson(2, 2);
    expect(two.rate).toBe(1);
    expect(two.low).toBeCloseTo(0.342, 2);
    expect(two.high).toBe(1);
    const big = wilson(80, 100);
    expect(big.low).toBeCloseTo(0.711, 2);
    expect(big.high).toBeCloseTo(0.867, 2);
  });

  it('weeks start on Monday (UTC)', () => {
    expect(weekStart('2026-11-22T23:00:00Z')).toBe('2026-11-16');
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
  });
});

describe('dashboard', () => {
  /** Six weeks (or fewer): mean score and reuse rising every week, 5 executions a week. */
  function improving(weeks = 6) {
    const out = [];
    for (let w = 0; w < weeks; w++) {
      for (let i = 0; i < 5; i++) {
        out.push(
          makeExecution(`ex-w${w}-${i}`, w * 168 + i * 20, {
            agent: i % 2 ? 'agent-a' : 'agent-b',
            task_type: i === 0 ? 'integration' : 'component',
            duration_s: 1000 - w * 150,
            scores: scoresFor(60 + 6 * w),
            ...(i < w + 1 ? { reused: ['tpl-x'] } : {}),
          }),
        );
      }
    }
    return out;
  }

  it('computes the five metrics and meets the trend and reuse criteria on an improving history', () => {
    const r = dashboardReport(improving(), config);
    const m = r.metrics;
    expect(m.component_reuse_rate).toMatchObject({ reused: 20, executions: 30, rate: 0.667, first_week: 0.2, latest_week: 1, trend: 'up' });
    expect(m.api_integration_time).toMatchObject({ executions: 6, median_s: 625, trend: 'faster' });
    expect(m.api_integration_time.test.p_value).toBeCloseTo(2 / 720, 10); // exact Mann–Kendall, 6 falling weeks
    expect(m.overall_improvement.weeks.map((w) => w.week)).toEqual(['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']);
    expect(m.overall_improvement.trend).toBe('up');
    expect(m.overall_improvement.slope_per_week).toBeCloseTo(6, 0);
    expect(m.overall_improvement.test.detail).toMatch(/^Mann–Kendall over 6 weeks: S = 15, p = 0\.0028 \(exact\); Sen's slope \+[\d.]+ points per week \(95% \+/);
    expect(m.agent_effectiveness.map((a) => a.agent).sort()).toEqual(['agent-a', 'agent-b']);
    expect(m.pattern_stability).toMatchObject({ source: 'unavailable', stability: null });
    const status = Object.fromEntries(r.success_criteria.map((c) => [c.id, c.status]));
    expect(status['scores-trend-up']).toBe('met');
    expect(status['reuse-up-20']).toBe('met');
    expect(status['metadata-captured']).toBe('met');
    expect(status['query-relevant']).toBe('not_enough_data');
  });

  it('says not enough data instead of guessing', () => {
    const r = dashboardReport(controlHistory(4), config);
    const status = Object.fromEntries(r.success_criteria.map((c) => [c.id, c.status]));
    expect(status['scores-trend-up']).toBe('not_enough_data');
    expect(status['reuse-up-20']).toBe('not_enough_data');
    expect(r.metrics.overall_improvement.trend).toBe('unknown');
    expect(dashboardReport([], config).metrics.component_reuse_rate.rate).toBeNull();
  });

  it('says what there is when there are too few weeks to test a trend', () => {
    const one = dashboardReport([makeExecution('ex-only', 0, { task_type: 'integration' })], config).metrics;
    expect(one.overall_improvement.test.detail).toBe(
      'Too few weeks to test a trend: 1 execution in 1 week, which has fewer than 3 executions (weeks with fewer are not counted); a trend needs 5 weeks.',
    );
    expect(one.api_integration_time.test.detail).toBe('Too few weeks to test a trend: 1 API or integration execution in 1 week; a trend needs 5 weeks.');
    expect(dashboardReport([], config).metrics.overall_improvement.test.detail).toBe('Too few weeks to test a trend: no executions yet; a trend needs 5 weeks.');
    expect(dashboardReport(improving(4), config).metrics.overall_improvement.test.detail).toBe('Too few weeks to test a trend: 20 executions in 4 weeks; a trend needs 5 weeks.');
    const sparse = [...improving(3), makeExecution('ex-late', 6 * 168)];
    expect(dashboardReport(sparse, config).metrics.overall_improvement.test.detail).toBe(
      'Too few weeks to test a trend: 16 executions in 4 weeks, 3 of them with 3+ executions (weeks with fewer are not counted); a trend needs 5 weeks.',
    );
  });

  it('four rising weeks are too few to call a trend (the exact test cannot reach 5%)', () => {
    const r = dashboardReport(improving(4), config);
    expect(r.metrics.overall_improvement.trend).toBe('unknown');
    expect(r.success_criteria.find((c) => c.id === 'scores-trend-up')!.status).toBe('not_enough_data');
  });

  it('a falling history does not meet the trend criterion', () => {
    const falling = improving().map((e) => ({ ...e, overall: 100 - e.overall }));
    const status = Object.fromEntries(dashboardReport(falling, config).success_criteria.map((c) => [c.id, c.status]));
    expect(status['scores-trend-up']).toBe('not_met');
  });

  it('reuse a history does not record is "not measured", not 0 %; measured executions alone make the rate', () => {
    // An imported benchmark leaderboard scores no reusability: 40 runs, none of them a run that reused nothing.
    const unmeasured = controlHistory(40).map((e) => ({ ...e, reused: [], scores: { accuracy: e.scores.accuracy } }));
    const r = dashboardReport(unmeasured, config);
    expect(r.metrics.component_reuse_rate).toMatchObject({ rate: null, reused: 0, executions: 0, trend: 'unknown' });
    expect(r.metrics.overall_improvement.weeks.every((w) => w.reuse_rate === null)).toBe(true);
    expect(r.success_criteria.find((c) => c.id === 'reuse-up-20')!.status).toBe('not_enough_data');
    // Mixed: 10 recorded executions (4 reused a template) and the 40 imported ones: 4 of 10.
    const recorded = Array.from({ length: 10 }, (_, i) => makeExecution(`ex-rec-${i}`, 1000 + i, { reused: i < 4 ? ['tpl-a'] : [], scores: scoresFor(80) }));
    expect(dashboardReport([...unmeasured, ...recorded], config).metrics.component_reuse_rate).toMatchObject({ rate: 0.4, reused: 4, executions: 10 });
  });

  it('the reuse trend rests only on weeks with enough executions that measured reuse', () => {
    // 8 weeks of 5 executions; one a week measured reuse (none reused, then all did): one execution
    // per point is no trend, whatever Mann–Kendall would say about 8 points.
    const history = Array.from({ length: 40 }, (_, i) => {
      const week = Math.floor(i / 5);
      const e = makeExecution(`ex-mix-${String(i).padStart(2, '0')}`, week * 168 + (i % 5), { reused: week >= 4 ? ['tpl-a'] : [], scores: scoresFor(80) });
      return i % 5 === 0 ? e : { ...e, scores: { accuracy: e.scores.accuracy } };
    });
    const reuse = dashboardReport(history, config).metrics.component_reuse_rate;
    expect(reuse).toMatchObject({ rate: 0.5, executions: 8, trend: 'unknown' });
    expect(reuse.test.detail).toContain('8 executions in 8 weeks');
  });

  it('LearningDashboard.updateMetrics keeps the metrics current', () => {
    const d = new LearningDashboard(controlHistory(3), config);
    expect(d.metrics.component_reuse_rate.executions).toBe(3);
    d.updateMetrics(makeExecution('ex-new', 500, { reused: ['tpl-a'], scores: scoresFor(90) }));
    expect(d.metrics.component_reuse_rate.executions).toBe(4);
    const report = d.generateReport();
    expect(Object.keys(report).sort()).toEqual(['effect', 'metrics', 'recommendations', 'success_criteria', 'trends']);
  });
});

describe('schedule', () => {
  it.each([
    ['2026-11-27', true],
    ['2026-11-20', false],
    ['2026-10-30', true],
    ['2026-12-25', true],
    ['2026-12-18', false],
    ['2027-02-26', true],
    ['2026-11-28', false],
  ])('isLastFridayOfMonth(%s) = %s', (date, expected) => {
    expect(isLastFridayOfMonth(date)).toBe(expected);
    expect(shouldRunMonthly(date, config)).toBe(expected);
  });

  it('weekly runs on the configured day; other monthly rules work', () => {
    expect(shouldRunWeekly('2026-11-22', config)).toBe(true); // Sunday
    expect(shouldRunWeekly('2026-11-23', config)).toBe(false);
    const first = { ...config, schedule: { weekly: 'monday_09:00', monthly: 'first_monday' } };
    expect(shouldRunMonthly('2026-11-02', first)).toBe(true);
    expect(shouldRunMonthly('2026-11-09', first)).toBe(false);
    expect(shouldRunWeekly('2026-11-23', first)).toBe(true);
  });

  it('periods: ISO weeks and calendar months', () => {
    expect(periodFor('week', '2026-11-22')).toEqual({ period: 'week', label: '2026-W47', start: '2026-11-16', end: '2026-11-22' });
    expect(periodFor('week', '2027-01-01')).toMatchObject({ label: '2026-W53', start: '2026-12-28' });
    expect(periodFor('month', '2026-02-10')).toEqual({ period: 'month', label: '2026-02', start: '2026-02-01', end: '2026-02-28' });
  });
});

describe('learn.json snapshot', () => {
  it('is written deterministically with patterns, flags and the dashboard', async () => {
    const slow = Array.from({ length: 6 }, (_, i) => makeExecution(`ex-slow-${i}`, 400 + i, { task_type: 'report', duration_s: 100 + 50 * i, started_at: hoursAfterBase(400 + i * 5) }));
    const dir = repoWith([...controlHistory(30), ...slow]);
    const ws = openWorkspace({ cwd: dir });
    const snap = await writeLearnSnapshot(ws);
    const text1 = readFileSync(join(ws.outDir, 'learn.json'), 'utf8');
    await writeLearnSnapshot(ws);
    expect(readFileSync(join(ws.outDir, 'learn.json'), 'utf8')).toBe(text1);
    expect(snap.version).toBe(1);
    expect(snap.executions).toBe(36);
    expect(snap.flags.map((f) => f.monitor)).toEqual(['rising_duration']);
    expect(snap.patterns.map((p) => [p.pattern_type, p.status])).toEqual([['performance', 'new']]);
    expect(snap.dashboard.metrics.pattern_stability.source).toBe('git');
  });
});
