/**
 * Recurring themes on real runs: the Reflexion paper's logs (noahshinn/reflexion, MIT; vendored
 * in test/fixtures/real-data), imported as two agents on the same tasks. One theme recurs in what
 * failures say and in nothing the other executions say; nothing else passes the false discovery
 * rate control. docs/learning.md quotes these figures.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli } from '../helpers/repo.js';
import { reflexionRepo } from '../helpers/data.js';

afterAll(cleanupTemp);

describe('recurring themes on the Reflexion logs', () => {
  it('finds "missing the required positional argument": 10 of 78 failures, 0 of 101 others, q = 0.015', { timeout: 300_000 }, async () => {
    const dir = await reflexionRepo();
    const run = await runCli(dir, ['patterns', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.executions).toBe(1122);
    // Among the 179 executions that say something (errors or reflections): 78 failures, 101 others.
    expect(out.theme_patterns).toHaveLength(1);
    const t = out.theme_patterns[0];
    expect(t.definition).toEqual({ theme: 'missing the required positional argument' });
    expect(t.support).toBe(10);
    expect(t.evidence).toHaveLength(10);
    expect(t.statement).toMatch(/recurs in what 10 of 78 \(13%\) failures say, against 0 of 101 \(0%\) other executions \(lift 13\.1; Fisher p 1\.75e-4, q 0\.015\)/);
    // Nothing else is a pattern (no other phrase passes the FDR control, no condition stands out).
    for (const list of ['failure_patterns', 'success_patterns', 'dependency_patterns', 'performance_patterns']) expect(out[list], list).toEqual([]);
    // The theme feeds the repeated-error monitor, naming where: all in MBPP, by the agent with memory.
    const flag = out.flags.find((f: { subject: string }) => f.subject === 'theme: missing the required positional argument');
    expect(flag).toMatchObject({ monitor: 'repeated_error', value: 10, where: { task_types: [['mbpp', 10]], agents: [['reflexion-gpt-4', 10]] } });
  });
});
