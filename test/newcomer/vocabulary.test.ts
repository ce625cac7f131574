/** Issue 16: one vocabulary across CLI and MCP (`--task-type`, `--domains`, `--max-tokens`), old spellings kept. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, recordArgs, runCli, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

let repo: string;
beforeAll(async () => {
  repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  for (const id of ['A-1', 'A-2']) {
    const fields = { 'task-id': id, 'task-type': 'component', component: 'booking-form', agent: 'a', outcome: 'success', duration: 60, domains: ['booking', 'square_api'] };
    expect((await runCli(repo, recordArgs(fields))).code).toBe(0);
  }
});

describe('one vocabulary', () => {
  it('record: --task-type and --domains (repeatable, comma-separated); --type and --domain still work', async () => {
    const args = ['record', '--json', '--dry-run', '--task-id', 'V-1', '--agent', 'a', '--outcome', 'success', '--duration', '5'];
    const now = JSON.parse((await runCli(repo, [...args, '--task-type', 'bugfix', '--domains', 'a,b', '--domains', 'c'])).stdout);
    const old = JSON.parse((await runCli(repo, [...args, '--type', 'bugfix', '--domain', 'a,b', '--domain', 'c'])).stdout);
    expect(now.ok && old.ok).toBe(true);
    const e = JSON.parse((await runCli(repo, [...args, '--task-type', 'bugfix', '--domains', 'a,b', '--domains', 'c', '--id', 'ex-vocab'])).stdout);
    expect(e.id).toBe('ex-vocab');
  });

  it('similar: --task-type (required) and --domains; --type still works', async () => {
    const now = await runCli(repo, ['similar', '--task-type', 'component', '--component', 'booking-form', '--domains', 'booking', '--json']);
    const old = await runCli(repo, ['similar', '--type', 'component', '--component', 'booking-form', '--domain', 'booking', '--json']);
    expect(now.code).toBe(0);
    expect(JSON.parse(now.stdout).executions).toEqual(JSON.parse(old.stdout).executions);
    const none = await runCli(repo, ['similar', '--component', 'booking-form']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--task-type is required');
  });

  it('recall: --max-tokens (the MCP max_tokens); --budget still works', async () => {
    const now = await runCli(repo, ['recall', 'booking form', '--max-tokens', '300', '--json']);
    const old = await runCli(repo, ['recall', 'booking form', '--budget', '300', '--json']);
    expect(now.code).toBe(0);
    expect(JSON.parse(now.stdout).insights).toEqual(JSON.parse(old.stdout).insights);
    const bad = await runCli(repo, ['recall', 'booking', '--max-tokens', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-tokens');
  });

  it('help shows the new spellings only', async () => {
    for (const [cmd, want, old] of [
      ['record', '--task-type', '--type <'],
      ['similar', '--task-type', '--type <'],
      ['recall', '--max-tokens', '--budget'],
      ['run', '--domains', '--domain <'],
    ] as const) {
      const help = (await runCli(repo, [cmd, '--help'])).stdout;
      expect(help).toContain(want);
      expect(help).not.toContain(old);
    }
  });
});
