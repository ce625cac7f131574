/** Issue 16: the exported AGENTS.md says `learning-loop explain` shows a rule's evidence: it does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo } from '../helpers/repo.js';
import { cpSync } from 'node:fs';

afterAll(cleanupTemp);

const RULE = 'rule-handle-timezone-conversions-for-appointments';

describe('explain <record id>', () => {
  it('explains every rule id the exported AGENTS.md names: statement, status, evidence executions', async () => {
    const repo = tempRepo();
    cpSync(join(REPO_ROOT, 'learning-loop'), join(repo, 'learning-loop'), { recursive: true });
    expect((await runCli(repo, ['export', '--to', 'agents-md'])).code).toBe(0);
    const agents = readFileSync(join(repo, 'AGENTS.md'), 'utf8');
    expect(agents).toContain('`learning-loop explain <id>`');
    const ids = [...agents.matchAll(/\[(rule-[a-z0-9-]+)/g)].map((m) => m[1]!);
    expect(ids).toContain(RULE);
    for (const id of ids) expect((await runCli(repo, ['explain', id])).code, id).toBe(0);

    const text = (await runCli(repo, ['explain', RULE])).stdout;
    expect(text).toMatch(new RegExp(`^${RULE} {2}\\(rule, accepted\\) {2}learning-loop/rules/${RULE}\\.md`));
    expect(text).toMatch(/evidence: recalled by \d+ executions \(/);
    expect(text).toMatch(/like for like: (helps|harms|unclear) — /);
    const j = JSON.parse((await runCli(repo, ['explain', RULE, '--json'])).stdout);
    expect(j).toMatchObject({ id: RULE, kind: 'rule', status: 'accepted' });
    expect(j.statement.length).toBeGreaterThan(20);
    expect(j.recall.recalled_by.length).toBeGreaterThan(0);
    for (const ex of j.recall.recalled_by) expect(ex).toMatch(/^ex-/);
    expect(j.recall).toMatchObject({ verdict: expect.stringMatching(/^(helps|harms|unclear)$/), helpful: expect.any(Number), harmful: expect.any(Number) });
  });

  it('still explains diagnostic rule ids; an unknown id is a usage error with a did-you-mean', async () => {
    const repo = tempRepo();
    cpSync(join(REPO_ROOT, 'learning-loop'), join(repo, 'learning-loop'), { recursive: true });
    const rule = await runCli(repo, ['explain', 'yaml/alias']);
    expect(rule.code).toBe(0);
    expect(rule.stdout).toContain('YAML anchors and aliases are refused');
    const typo = await runCli(repo, ['explain', RULE.replace('conversions', 'conversion')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`Did you mean: ${RULE}?`);
  });
});
