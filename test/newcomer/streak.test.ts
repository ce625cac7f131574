/** Issue 16: a consistently flawless kind of task becomes a template (success streak). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo, writeFiles } from '../helpers/repo.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { recordExecution } from '../../scripts/agents/record.js';
import { computeOverall, decideTrigger } from '../../scripts/core/score/formulas.js';

afterAll(cleanupTemp);

const BASE = { task_type: 'test', component: 'csv', agent: 'claude', outcome: 'success', duration_s: 60, scores: { accuracy: 100, efficiency: 100, reusability: 100 } };

async function kb(): Promise<string> {
  const repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  return repo;
}

async function streak(repo: string, n: number, extra: Record<string, unknown> = {}, from = 1) {
  const out = [];
  for (let i = from; i < from + n; i += 1) {
    const r = await recordExecution(openWorkspace({ cwd: repo }), { ...BASE, ...extra, task_id: `T-${i}`, started_at: `2026-10-${String(i).padStart(2, '0')}T10:00:00Z` });
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    out.push(r);
  }
  return out;
}

describe('success streak → extract_template', () => {
  it('the seed mean stays: a flawless routine run scores 82.5 and triggers nothing on its own', () => {
    const s = { accuracy: 100, efficiency: 100, reusability: 100, surprise: 30 };
    expect(computeOverall(s)).toBe(82.5);
    expect(decideTrigger(s).action).toBeNull();
  });

  it('the fifth flawless run of one task type + component asks for a template, once, with its reason', async () => {
    const repo = await kb();
    const runs = await streak(repo, 6);
    expect(runs.map((r) => r.execution!.trigger)).toEqual([null, null, null, null, 'extract_template', null]);
    const rf = readFileSync(join(repo, runs[4]!.reflection!.path), 'utf8');
    expect(rf).toContain('reflection_type: template_extraction');
    expect(rf).toContain('Consistent success - 5 flawless test/csv executions in a row');
    // The streak trigger is not a hand-edit mistake: validate stays clean.
    const v = await runCli(repo, ['validate', '--strict']);
    expect(v.code, v.stdout).toBe(0);
  });

  it('a failure breaks the streak; another component or an existing template does not count', async () => {
    const repo = await kb();
    await streak(repo, 3);
    await streak(repo, 1, { outcome: 'failure' }, 4);
    const after = await streak(repo, 4, {}, 5);
    expect(after.map((r) => r.execution!.trigger)).toEqual([null, null, null, null]);
    const other = await streak(repo, 5, { component: 'pdf' }, 10);
    expect(other[4]!.execution!.trigger).toBe('extract_template');

    const withTpl = await kb();
    writeFiles(withTpl, {
      'learning-loop/templates/successful-patterns/tpl-csv.md':
        '---\nkind: template\nid: tpl-csv\ncreated_at: 2026-09-01T00:00:00Z\nstatus: rejected\nsummary: CSV tests\ntask_type: test\ncomponent: csv\n---\n',
    });
    expect((await streak(withTpl, 5)).map((r) => r.execution!.trigger)).toEqual([null, null, null, null, null]);
  });

  it('template_streak: 0 turns the rule off', async () => {
    const repo = await kb();
    const cfg = join(repo, 'learning-loop', 'config', 'triggers.yaml');
    writeFiles(repo, { 'learning-loop/config/triggers.yaml': readFileSync(cfg, 'utf8').replace('template_streak: 5', 'template_streak: 0') });
    expect((await streak(repo, 5)).map((r) => r.execution!.trigger)).toEqual([null, null, null, null, null]);
  });
});
