/** Issue 16: counts read right ("1 pattern", "1 archival", "over 1 week"), in CLI output, reports and the site data. */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo } from '../helpers/repo.js';
import { noun, plural, withArticle } from '../../scripts/core/diagnostics/words.js';
import { learnRead, prepareDashboard } from '../../scripts/core/publish/site-dashboard.js';
import { prepareRecords } from '../../scripts/core/publish/site-data.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { openIndex } from '../../scripts/index/api.js';

afterAll(cleanupTemp);

const WRONG =
  /\b1 (?:executions|patterns|archivals|weeks|reflections|flags|merges|records|rules|files|pages|changes|agents|recalls|lines|warnings|errors|proposals|runs|new rules|rule proposals|anti-pattern flags|synthesis reports|accepted patterns|file changes)\b/;

describe('plurals', () => {
  it('the helpers', () => {
    expect([plural(1, 'week'), plural(2, 'week'), plural(0, 'archival'), plural(1, 'entry'), plural(2, 'entry'), plural(3, 'match')]).toEqual([
      '1 week',
      '2 weeks',
      '0 archivals',
      '1 entry',
      '2 entries',
      '3 matches',
    ]);
    expect([noun(1, 'flag'), noun(5, 'flag'), withArticle('execution'), withArticle('rule')]).toEqual(['flag', 'flags', 'an execution', 'a rule']);
  });

  it('synthesize, dashboard and patterns say "1 x", never "1 xs"', async () => {
    const repo = tempRepo();
    await runCli(repo, ['init']);
    const r = await runCli(repo, ['record', '--task-id', 'T-1', '--task-type', 'test', '--agent', 'a', '--outcome', 'success', '--duration', '5', '--started-at', '2026-11-10T10:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    const outputs = [
      (await runCli(repo, ['synthesize', '--period', 'week', '--date', '2026-11-12', '--dry-run'])).stdout,
      (await runCli(repo, ['dashboard'])).stdout,
      (await runCli(repo, ['patterns'])).stdout,
    ];
    const text = outputs.join('\n');
    expect(text).toContain('1 execution,');
    expect(text).toContain('Learning dashboard (1 execution)');
    expect(text).not.toMatch(WRONG);
  });

  it('the site dashboard says "over 1 week"', async () => {
    const repo = tempRepo();
    await runCli(repo, ['init']);
    await runCli(repo, ['record', '--task-id', 'T-1', '--task-type', 'test', '--agent', 'a', '--outcome', 'success', '--duration', '5']);
    const ws = openWorkspace({ cwd: repo });
    const index = openIndex(ws);
    await index.learned.write();
    const data = prepareDashboard(learnRead(await index.learned.snapshot(), await index.aggregates()), prepareRecords((await index.table()).rows));
    const text = JSON.stringify(data);
    expect(text).toContain('over 1 week');
    expect(text).not.toMatch(WRONG);
  });
});
