/**
 * `learning-loop ci`: the job summary lists only the executions a change added, the period
 * decision follows the calendar, and the PR body is capped below GitHub's limit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capPrBody, GITHUB_BODY_LIMIT, renderSummary, synthesisPeriod } from '../../scripts/agents/ci.js';
import type { ExecutionRecord } from '../../scripts/core/records/kinds.js';
import { isLastFridayOfMonth } from '../../scripts/core/learn/schedule.js';
import { cleanupTemp, git, runCli, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

const at = (d: string): Date => new Date(`${d}T22:00:00Z`);
const period = (event: string, schedule: string, d: string, p = ''): string => synthesisPeriod({ event, schedule, period: p, date: at(d), isMonthlyDay: isLastFridayOfMonth });

describe('synthesis period', () => {
  it.each([
    ['schedule', '0 23 * * 0', '2026-11-22', 'week'],
    ['schedule', '0 22 * * 5', '2026-11-27', 'month'], // last Friday of November 2026
    ['schedule', '0 22 * * 5', '2026-11-20', 'none'],
    ['schedule', '0 22 * * 5', '2027-01-29', 'month'],
    ['schedule', '0 22 * * 5', '2027-01-22', 'none'],
    ['push', '', '2026-11-27', 'none'],
  ])('%s %s on %s -> %s', (event, cron, d, want) => {
    expect(period(event, cron, d)).toBe(want);
  });
  it('by hand: the requested period, week by default', () => {
    expect(period('workflow_dispatch', '', '2026-11-03', 'month')).toBe('month');
    expect(period('workflow_dispatch', '', '2026-11-03')).toBe('week');
  });
});

describe('pull-request body cap', () => {
  it('keeps short bodies and cuts long ones at a line break with a note', () => {
    expect(capPrBody('short\n')).toBe('short\n');
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const capped = capPrBody(long);
    expect(capped.length).toBeLessThanOrEqual(60_000);
    expect(capped.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(capped).toContain('full report is in the files of this pull request');
    expect(long.startsWith(capped.slice(0, capped.indexOf('\n\n---')))).toBe(true);
  });
  it('never splits a surrogate pair', () => {
    const capped = capPrBody('😀'.repeat(40_000), 1000);
    expect(() => encodeURIComponent(capped)).not.toThrow();
  });
});

describe('ci summary', () => {
  it('escapes record text: no HTML and no broken table rows', () => {
    const e = {
      id: 'ex-1',
      task_id: '<img src=x onerror=alert(1)> | x\ny',
      outcome: 'failure',
      overall: 10,
      trigger: 'mandatory_reflection',
      scores: { accuracy: 1, efficiency: 2, reusability: 3, surprise: 4 },
    } as unknown as ExecutionRecord;
    const md = renderSummary({ base: 'b', executions: [e], reflections: [], triggered: [], flags: [{ title: 'a <b>', detail: 'c' }], errors: 0, warnings: 0 });
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\| x y');
    expect(md).toContain('a &lt;b&gt;');
  });

  it('shows the score cards of the executions added since the base, and the triggers', async () => {
    const dir = tempRepo({ '.gitignore': '.learning-loop/\n' });
    expect((await runCli(dir, ['init'])).code).toBe(0);
    const old = await runCli(dir, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ task_id: 'old-task', task_type: 'bugfix', agent: 'a', outcome: 'success', duration_s: 60 }) });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const fresh = await runCli(dir, ['record', '--input', '-', '--json'], {
      stdin: JSON.stringify({
        task_id: 'new-task',
        task_type: 'component',
        component: 'booking-form',
        agent: 'claude',
        outcome: 'failure',
        duration_s: 900,
        scores: { accuracy: 20, efficiency: 30, reusability: 10, surprise: 20 },
      }),
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'new');

    const md = await runCli(dir, ['ci', 'summary', '--base', base]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('### New executions (1)');
    expect(md.stdout).toContain(`| \`${JSON.parse(fresh.stdout).id}\` | new-task | booking-form | failure | 20 | 30 | 10 | 20 | **20** | mandatory_reflection |`);
    expect(md.stdout).not.toContain(JSON.parse(old.stdout).id);
    expect(md.stdout).toContain('### Triggered (1)');
    expect(md.stdout).toContain('### New reflections (1)');
    expect(md.stdout).toContain('### Anti-pattern flags');

    // A new branch's push has an all-zero "before": compare with the previous commit.
    const zero = await runCli(dir, ['ci', 'summary', '--base', '0'.repeat(40), '--json']);
    const s = JSON.parse(zero.stdout);
    expect(s.executions.map((e: { task_id: string }) => e.task_id)).toEqual(['new-task']);
    expect(s.note).toContain('previous commit');
  });

  it('pr-body writes the capped body', async () => {
    const dir = tempRepo();
    writeFileSync(join(dir, 'raw.md'), `# Report\n\n${'- item\n'.repeat(20_000)}`);
    const r = await runCli(dir, ['ci', 'pr-body', '--in', 'raw.md', '--out', 'body.md', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ truncated: true });
    expect(readFileSync(join(dir, 'body.md'), 'utf8').length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect((await runCli(dir, ['ci', 'pr-body', '--in', 'missing.md', '--out', 'b.md'])).code).toBe(2);
    expect((await runCli(dir, ['ci', 'period', '--event', 'schedule', '--date', 'soon'])).code).toBe(2);
  });
});
