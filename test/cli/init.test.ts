/** `learning-loop init`: structure, config, idempotence, never overwriting, Git guard. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KB_DIRS } from '../../scripts/core/records/kinds.js';
import { shippedWorkflows } from '../../scripts/agents/workflows.js';
import { cleanupTemp, runCli, tempDir, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

describe('init', () => {
  it('creates the seed Task 1 structure, the Step 3 config and current assumptions, and validates clean', async () => {
    const repo = tempRepo({ '.gitignore': 'node_modules/' });
    const run = await runCli(repo, ['init', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.ok).toBe(true);
    for (const dir of KB_DIRS) expect(existsSync(join(repo, 'learning-loop', dir)), dir).toBe(true);
    const config = readFileSync(join(repo, 'learning-loop', 'config', 'triggers.yaml'), 'utf8');
    for (const key of ['low_performance: 60', 'high_performance: 90', 'high_surprise: 70', 'sunday_23:00', 'last_friday', 'pre_task: true', 'sprint_review: true']) expect(config).toContain(key);
    expect(out.created).toContain('learning-loop/memory/working-memory/current-assumptions.md');
    expect(out.created).toContain('learning-loop/memory/short-term/executions/.gitkeep');
    // .gitignore is appended to, never clobbered.
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toMatch(/^node_modules\/\n# learning-loop build output.*\n\/\.learning-loop\/\n$/);
    expect((await runCli(repo, ['validate', '--strict'])).code).toBe(0);
  });

  it('is idempotent and never overwrites a file the user changed', async () => {
    const repo = tempRepo();
    await runCli(repo, ['init']);
    const cfg = join(repo, 'learning-loop', 'config', 'triggers.yaml');
    writeFileSync(cfg, 'reflection_triggers:\n  thresholds:\n    low_performance: 50\n');
    const again = await runCli(repo, ['init', '--example', '--json']);
    expect(again.code).toBe(0);
    const out = JSON.parse(again.stdout);
    expect(out.kept).toContain('learning-loop/config/triggers.yaml');
    expect(out.created.filter((f: string) => !f.includes('/long-term/'))).toEqual([]);
    expect(readFileSync(cfg, 'utf8')).toContain('low_performance: 50');
    expect(out.gitignore).toEqual([]);
    const third = JSON.parse((await runCli(repo, ['init', '--example', '--json'])).stdout);
    expect(third.created).toEqual([]);
  });

  it('--example writes the six seed patterns as accepted pattern records', async () => {
    const repo = tempRepo();
    const run = await runCli(repo, ['init', '--example']);
    expect(run.code).toBe(0);
    const tz = join(repo, 'learning-loop', 'memory', 'long-term', 'integration-gotchas', 'pat-square-api-handle-timezone-conversions-for-appointments.md');
    expect(readFileSync(tz, 'utf8')).toMatch(/status: accepted[\s\S]*statement: Handle timezone conversions for appointments/);
    expect(run.stdout).toContain('pat-reiki-patterns-booking-flow-must-be-maximum-3-steps.md');
    const v = JSON.parse((await runCli(repo, ['validate', '--json'])).stdout);
    expect(v).toMatchObject({ ok: true, records: 7 });
  });

  it('refuses a folder that is not a Git repository unless --no-git', async () => {
    const dir = tempDir();
    const refused = await runCli(dir, ['init']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('git/not-a-repo');
    expect(existsSync(join(dir, 'learning-loop'))).toBe(false);
    const ok = await runCli(dir, ['init', '--no-git']);
    expect(ok.code).toBe(0);
    expect(existsSync(join(dir, 'learning-loop', 'config', 'triggers.yaml'))).toBe(true);
  });

  it('--workflows installs the shipped workflows without overwriting', async () => {
    const repo = tempRepo();
    const first = JSON.parse((await runCli(repo, ['init', '--workflows', '--json'])).stdout);
    const shipped = shippedWorkflows();
    expect(shipped.length).toBeGreaterThan(0);
    for (const name of shipped) expect(first.created).toContain(`.github/workflows/${name}`);
    const second = JSON.parse((await runCli(repo, ['init', '--workflows', '--json'])).stdout);
    for (const name of shipped) expect(second.kept).toContain(`.github/workflows/${name}`);
  });

  it('honours --root and has help with an example', async () => {
    const repo = tempRepo();
    expect((await runCli(repo, ['--root', 'docs/memory', 'init'])).code).toBe(0);
    expect(existsSync(join(repo, 'docs', 'memory', 'rules'))).toBe(true);
    const help = await runCli(repo, ['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('learning-loop init --example');
  });
});
