/**
 * The learning commands end to end in real temporary Git repositories (in-process CLI).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, runCli } from '../helpers/repo.js';
import { controlHistory, makeExecution, plantedHours, recallHistory, scoresFor } from '../../tools/examples/generate-history.js';
import { repoWith } from './kb.js';
import type { ExecutionRecord, RuleRecord } from '../../scripts/core/records/kinds.js';

afterAll(cleanupTemp);

const START = 60 * 3;
/** Control history + 7 reuse-driven successes + 5 failures of one component/dependency pair. */
function history(): ExecutionRecord[] {
  const wins = Array.from({ length: 7 }, (_, i) => makeExecution(`ex-win-${i}`, plantedHours(START, i), { reused: ['tpl-booking-flow'], scores: scoresFor(92) }));
  const fails = Array.from({ length: 6 }, (_, i) =>
    makeExecution(`ex-fail-${i}`, plantedHours(START + 2, i), {
      component: 'booking-form',
      outcome: 'failure',
      scores: scoresFor(40),
      pre: { dependencies: ['square-sdk'] },
      domains: ['square_api'],
      errors: [`Webhook signature mismatch for event evt_${i}${i}${i}`],
    }),
  );
  return [...controlHistory(60), ...wins, ...fails];
}

describe('patterns', () => {
  it('prints patterns as JSON and writes proposed records idempotently with --write', async () => {
    const dir = repoWith(history());
    const r = await runCli(dir, ['patterns', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.success_patterns.map((p: { definition: unknown }) => p.definition)).toContainEqual({ reused: 'tpl-booking-flow' });
    expect(out.flags.map((f: { monitor: string }) => f.monitor)).toContain('repeated_error');
    const w1 = await runCli(dir, ['patterns', '--write', '--json']);
    const written = JSON.parse(w1.stdout).written as string[];
    expect(written.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, written[0]!), 'utf8')).toContain('status: proposed');
    const w2 = await runCli(dir, ['patterns', '--write', '--json']);
    expect(JSON.parse(w2.stdout).written).toEqual([]);
    const v = await runCli(dir, ['validate', '--json']);
    expect(JSON.parse(v.stdout).summary.error).toBe(0);
  });
});

describe('synthesize, accept, reject', () => {
  it('writes a PR-ready change set; a second run changes nothing; a rejected rule is never proposed again', async () => {
    const dir = repoWith(history());
    const date = '2026-10-18'; // Sunday of the week with the planted executions
    const r1 = await runCli(dir, ['synthesize', '--period', 'week', '--date', date, '--json', '--pr-body', 'pr.md']);
    expect(r1.code).toBe(0);
    const s1 = JSON.parse(r1.stdout);
    expect(s1.id).toBe('syn-week-2026-w42');
    const paths = s1.changes.map((c: { path: string }) => c.path);
    expect(paths).toContain('learning-loop/synthesis/weekly/syn-week-2026-w42.md');
    expect(paths).toContain('learning-loop/metrics/met-week-2026-w42.md');
    const rules = s1.changes.filter((c: { path: string }) => c.path.startsWith('learning-loop/rules/'));
    expect(rules.length).toBeGreaterThan(0);
    expect(s1.pr_body).toContain('# Learning synthesis 2026-W42');
    expect(readFileSync(join(dir, 'pr.md'), 'utf8')).toBe(s1.pr_body);
    const v = await runCli(dir, ['validate', '--json']);
    expect(JSON.parse(v.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'synthesis');
    const r2 = await runCli(dir, ['synthesize', '--period', 'week', '--date', date, '--json']);
    expect(JSON.parse(r2.stdout).written, git(dir, 'diff').replace(/\n/g, ' NL ')).toEqual([]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'status', '--porcelain')).toBe('');

    // Reject one proposed rule, accept another record; the rule stays rejected after re-runs.
    const ruleId = rules[0].id as string;
    const rej = await runCli(dir, ['reject', ruleId, '--reason', 'coincidence', '--by', 'reviewer', '--at', '2026-10-19T10:00:00Z', '--json']);
    expect(rej.code).toBe(0);
    expect(JSON.parse(rej.stdout)).toMatchObject({ ok: true, status: 'rejected', previous: 'proposed' });
    const ruleFile = join(dir, rules[0].path as string);
    expect(readFileSync(ruleFile, 'utf8')).toMatch(/status: rejected[\s\S]*reason: coincidence/);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'review');
    await runCli(dir, ['synthesize', '--period', 'week', '--date', '2026-10-25']);
    expect(readFileSync(ruleFile, 'utf8')).toContain('status: rejected');
    const pat = s1.top_patterns[0] as string;
    const acc = await runCli(dir, ['accept', pat, '--at', '2026-10-19T10:00:00Z']);
    expect(acc.code).toBe(0);
    expect(acc.stdout).toContain('proposed → accepted');
    expect((await runCli(dir, ['accept', 'no-such-id'])).code).toBe(1);
    expect((await runCli(dir, ['synthesize', '--date', 'yesterday'])).code).toBe(2);
  });

  it('--if-scheduled runs only on the scheduled day', async () => {
    const dir = repoWith(controlHistory(10));
    const off = await runCli(dir, ['synthesize', '--period', 'month', '--date', '2026-11-20', '--if-scheduled', '--json']);
    expect(JSON.parse(off.stdout)).toMatchObject({ scheduled: false });
    expect(existsSync(join(dir, 'learning-loop/synthesis/monthly'))).toBe(false);
    const on = await runCli(dir, ['synthesize', '--period', 'month', '--date', '2026-11-27', '--if-scheduled', '--json']);
    expect(JSON.parse(on.stdout)).toMatchObject({ scheduled: true, id: 'syn-month-2026-11' });
  });
});

describe('dashboard', () => {
  it('reports the five metrics and the success criteria', async () => {
    const dir = repoWith(history());
    const r = await runCli(dir, ['dashboard', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d.metrics).sort()).toEqual(['agent_effectiveness', 'api_integration_time', 'component_reuse_rate', 'overall_improvement', 'pattern_stability']);
    expect(d.metrics.pattern_stability.source).toBe('git');
    expect(d.success_criteria.map((c: { id: string }) => c.id)).toContain('reuse-up-20');
    const text = await runCli(dir, ['dashboard']);
    expect(text.stdout).toContain('Agent effectiveness');
  });
});

describe('effect', () => {
  const rule = (id: string): RuleRecord => ({ kind: 'rule', id, created_at: '2026-10-01T00:00:00Z', status: 'accepted', statement: `Planted ${id}.` });
  const dir = () => repoWith([...recallHistory({ effect: 3, seed: 11 }), rule('rule-planted'), rule('rule-never-used')]);

  it('refuses an empty or unknown --strata with the fields it accepts (exit 2, input/flag)', async () => {
    const d = dir();
    for (const value of ['', ' , ']) {
      const r = await runCli(d, ['effect', '--strata', value, '--json']);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout);
      expect(out.ok).toBe(false);
      expect(out.diagnostics).toMatchObject([
        { rule: 'input/flag', file: '<flags>', message: expect.stringMatching(/^--strata: no field given/), hint: expect.stringContaining('task_type, component, week, agent, domain, sprint') },
      ]);
    }
    const text = await runCli(d, ['effect', '--strata', 'task_tpye,week']);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/<flags>  error  --strata: unknown `task_tpye`\.  input\/flag/);
    expect(text.stderr).toContain('Did you mean `task_type`?');
  });

  it('--learning: an unknown id is a usage error with the closest id; a record never recalled is said to be so', async () => {
    const d = dir();
    const typo = await runCli(d, ['effect', '--learning', 'rule-plantd', '--json']);
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stdout).diagnostics).toMatchObject([
      { rule: 'input/not-found', message: '--learning: `rule-plantd` is not a record and no execution recalled it.', hint: 'Did you mean `rule-planted`?' },
    ]);
    const never = await runCli(d, ['effect', '--learning', 'rule-never-used']);
    expect(never.code, never.stderr).toBe(0);
    expect(never.stdout).toMatch(/^Overall: HELPS/m);
    expect(never.stdout).toContain('Asked for 1 learning: 0 recalled, 1 never recalled.');
    expect(never.stdout).toContain('rule-never-used: was never recalled');
    const json = JSON.parse((await runCli(d, ['effect', '--learning', 'rule-never-used', 'rule-planted', '--json'])).stdout);
    expect(json).toMatchObject({ ok: true, asked: ['rule-never-used', 'rule-planted'], not_recalled: ['rule-never-used'] });
    expect(json.learnings.map((l: { id: string }) => l.id)).toEqual(['rule-planted']);
  });
});
