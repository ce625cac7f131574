/**
 * LearningOrchestrator.executeWithLearning, `run -- <command>`, `reflect` and saveMemory on real
 * temporary Git repositories.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, runCli, spawnCli } from '../helpers/repo.js';
import { LearningOrchestrator } from '../../scripts/agents/orchestrator.js';
import { controlHistory, makeExecution, scoresFor } from '../../tools/examples/generate-history.js';
import { repoWith } from './kb.js';
import type { AssumptionRecord } from '../../scripts/core/records/kinds.js';

afterAll(cleanupTemp);

const FIXED = new Date('2026-11-02T10:00:00Z');

describe('LearningOrchestrator', () => {
  it('constructing it writes nothing; saveMemory writes the seed patterns once', () => {
    const dir = repoWith(controlHistory(5));
    const o = new LearningOrchestrator({ cwd: dir, now: () => FIXED });
    expect(git(dir, 'status', '--porcelain')).toBe('');
    o.seedMemory();
    const first = o.saveMemory();
    expect(first).toHaveLength(6);
    expect(o.saveMemory()).toEqual([]);
    expect(readFileSync(join(dir, first[0]!), 'utf8')).toContain('status: accepted');
  });

  it('executeWithLearning records the execution with recalled ids, reflects on failure and suggests improvements', async () => {
    const rule = {
      kind: 'rule' as const,
      id: 'rule-booking-webhooks',
      created_at: '2026-10-01T00:00:00Z',
      status: 'accepted' as const,
      statement: 'Validate webhook signatures before booking.',
      applies_to: { components: ['booking-form'] },
    };
    const history = [
      ...controlHistory(20),
      makeExecution('ex-bf-1', 100, { component: 'booking-form', task_type: 'integration', outcome: 'failure', scores: scoresFor(40), errors: ['Signature mismatch for evt_1'] }),
    ];
    const dir = repoWith([...history, rule]);
    const lines: string[] = [];
    const o = new LearningOrchestrator({ cwd: dir, now: () => FIXED, agent: 'agent-x', log: (l) => lines.push(l) });
    const out = await o.executeWithLearning({ id: 'booking-retry', type: 'integration', component: 'booking-form', dependencies: ['square-sdk'] }, ({ recalled, decide }) => {
      expect(recalled).toContain('rule-booking-webhooks');
      decide('retry with backoff', ['give up']);
      return { outcome: 'failure', errors: ['Signature mismatch for evt_2'], scores: { accuracy: 20, efficiency: 40, reusability: 30, surprise: 20 } };
    });
    expect(out.diagnostics).toEqual([]);
    expect(out.score).toBe(27.5);
    expect(out.execution!.recalled).toContain('rule-booking-webhooks');
    expect(out.execution!.during?.decision_points).toEqual(['retry with backoff']);
    expect(out.execution!.trigger).toBe('mandatory_reflection');
    expect(out.reflection?.action).toBe('mandatory_reflection');
    expect(out.learnings.join('\n')).toContain('has now occurred in 2 executions');
    expect(out.improvements.join('\n')).toContain('rule-booking-webhooks');
    expect(lines[0]).toBe('[LEARNING] Checking past executions for: booking-retry');
    const rca = (await o.rootCauseAnalysis('booking-retry'))!;
    expect(rca.record.evidence?.similar_failures).toContain('ex-bf-1');
    expect(rca.record.evidence?.recurring_errors?.[0]?.count).toBe(2);
    expect(rca.body).toContain('rule-booking-webhooks');
    const v = await runCli(dir, ['validate', '--json']);
    expect(JSON.parse(v.stdout).summary.error).toBe(0);
  });

  it('the seed validation command works: executeWithLearning(task) without a function', async () => {
    const dir = repoWith(controlHistory(5));
    const o = new LearningOrchestrator({ cwd: dir, now: () => FIXED });
    const result = await o.executeWithLearning({ id: 'test-001', type: 'component', component: 'booking-form' });
    expect(typeof result.score).toBe('number');
    expect(result.execution?.task_id).toBe('test-001');
    expect(result.execution?.outcome).toBe('success');
  });

  it('a thrown task error is recorded as a failure, not lost', async () => {
    const dir = repoWith(controlHistory(5));
    const o = new LearningOrchestrator({ cwd: dir, now: () => FIXED });
    const out = await o.executeWithLearning({ id: 't-throw', type: 'component' }, () => {
      throw new Error('boom at step 3');
    });
    expect(out.error).toBe('boom at step 3');
    expect(out.execution?.outcome).toBe('failure');
    expect(out.execution?.errors).toEqual(['boom at step 3']);
  });
});

describe('run and reflect commands', () => {
  it('run -- <command> records exit code and the stderr lines that carry an error; success records a success', async () => {
    const dir = repoWith(controlHistory(5));
    const bad = await runCli(dir, [
      'run',
      '--type',
      'test',
      '--component',
      'header',
      '--json',
      '--',
      process.execPath,
      '-e',
      'console.error("first line"); console.error("Error: cannot find module foo-42"); process.exit(3)',
    ]);
    // The command's exit code passes through; only the line carrying the error is kept.
    expect(bad.code).toBe(3);
    const j = JSON.parse(bad.stdout);
    expect(j.exit_code).toBe(3);
    expect(j.execution.outcome).toBe('failure');
    expect(j.execution.errors).toEqual(['Error: cannot find module foo-42']);
    expect(j.execution.exit_code).toBe(3);
    expect(existsSync(join(dir, j.path))).toBe(true);
    const good = await runCli(dir, ['run', '--type', 'test', '--', process.execPath, '-e', 'process.exit(0)']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/recorded ex-/);
    expect((await runCli(dir, ['run', '--type', 'Bad Type', '--', 'true'])).code).toBe(2);
  });

  it('the real binary runs a command with inherited stdout and records it', async () => {
    const dir = repoWith(controlHistory(5));
    const r = await spawnCli(dir, ['run', '--type', 'test', '--agent', 'agent-z', '--', process.execPath, '-e', 'console.log("hello from the task")']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello from the task');
    expect(r.stdout).toMatch(/\[learning\] recorded ex-\S+ .*exit 0/);
  });

  it('reflect writes a template for a high scorer and an assumption review for a surprise', async () => {
    const assumptions: AssumptionRecord = {
      kind: 'assumption',
      id: 'current-assumptions',
      created_at: '2026-10-01T00:00:00Z',
      status: 'accepted',
      assumptions: [
        { key: 'square-sandbox-stable', statement: 'The Square sandbox behaves like production.', domains: ['square_api'] },
        { key: 'css-grid', statement: 'All browsers support CSS grid.', domains: ['ui'] },
      ],
    };
    const star = makeExecution('ex-star', 10, { component: 'gallery', scores: scoresFor(95), during: { decision_points: ['reuse the card grid'] }, post: { outcomes: ['gallery shipped'] } });
    const surprise = makeExecution('ex-surprise', 11, {
      domains: ['square_api'],
      scores: { accuracy: 70, efficiency: 70, reusability: 70, surprise: 90 },
      post: { discoveries: ['Sandbox webhooks arrive out of order'] },
    });
    const dir = repoWith([...controlHistory(5), star, surprise, assumptions]);
    const t = await runCli(dir, ['reflect', 'ex-star', '--json']);
    const tj = JSON.parse(t.stdout);
    expect(tj.reflection.reflection_type).toBe('template_extraction');
    expect(tj.template.steps).toEqual(['reuse the card grid', 'gallery shipped']);
    expect(tj.written).toHaveLength(2);
    const a = JSON.parse((await runCli(dir, ['reflect', 'ex-surprise', '--json'])).stdout);
    expect(a.reflection.reflection_type).toBe('assumption_review');
    expect(a.reflection.body).toContain('square-sandbox-stable');
    expect(a.reflection.body).not.toContain('css-grid');
    expect(a.assumption.assumptions[0].statement).toBe('Sandbox webhooks arrive out of order');
    const again = JSON.parse((await runCli(dir, ['reflect', 'ex-star', '--json'])).stdout);
    expect(again.written).toEqual([]);
    expect((await runCli(dir, ['reflect', 'ex-nope'])).code).toBe(1);
    const v = await runCli(dir, ['validate', '--json']);
    expect(JSON.parse(v.stdout).summary.error).toBe(0);
  });
});
