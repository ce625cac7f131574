/** Issue 16: messages a newcomer reads speak their language: flags, did-you-mean, grammar, who decided. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo, writeFiles } from '../helpers/repo.js';

afterAll(cleanupTemp);

async function kb(): Promise<string> {
  const repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  return repo;
}

describe('record in flag mode speaks flags', () => {
  it('names the missing flags, not schema fields or schema files', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['record', '--task-id', 'X']);
    expect(r.code).toBe(1);
    for (const flag of ['--task-type', '--agent', '--outcome', '--duration']) expect(r.stderr).toContain(`Required flag \`${flag}\` is missing.`);
    expect(r.stderr).toContain('e.g. --agent claude-code');
    expect(r.stderr).not.toContain('Required field');
    expect(r.stderr).not.toContain('schemas/');
  });

  it('--outcome sucess gets a did-you-mean in flag words', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['record', '--json', '--task-id', 'X', '--task-type', 'test', '--agent', 'a', '--outcome', 'sucess', '--duration', '5']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout).diagnostics[0];
    expect(d).toMatchObject({ rule: 'schema/enum', file: '<flags>' });
    expect(d.message).toMatch(/^`--outcome` is "sucess"/);
    expect(d.hint).toContain('Did you mean `--outcome success`?');
  });
});

describe('record from JSON', () => {
  it('a top-level "dependencies" is told it belongs under pre', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: '{"task_id":"x","task_type":"t","agent":"a","outcome":"success","duration_s":5,\n "dependencies":["square-sdk"]}' });
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout).diagnostics[0];
    expect(d).toMatchObject({ rule: 'schema/unknown-field', line: 2, column: 2 });
    expect(d.hint).toContain('`dependencies` belongs under `pre`');
    expect(d.hint).toContain('{"pre": {"dependencies": …}}');
  });

  it('a mistyped field and a mistyped enum value get a did-you-mean (validate too)', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: '{"task_id":"x","task_typ":"t","task_type":"t","agent":"a","outcome":"partiall","duration_s":5}' });
    const hints = JSON.parse(r.stdout).diagnostics.map((d: { hint: string }) => d.hint);
    expect(hints).toContainEqual(expect.stringContaining('Did you mean `task_type`?'));
    expect(hints).toContainEqual(expect.stringContaining('Did you mean `partial`?'));
  });
});

describe('accept', () => {
  it('says "is an execution" and records the Git user as reviewer when $USER is unset', async () => {
    const repo = await kb();
    const rec = JSON.parse((await runCli(repo, ['record', '--json', '--task-id', 'X', '--task-type', 'test', '--agent', 'a', '--outcome', 'success', '--duration', '5'])).stdout);
    const wrong = await runCli(repo, ['accept', rec.id]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`\`${rec.id}\` is an execution;`);
    writeFiles(repo, { 'learning-loop/rules/rule-x.md': '---\nkind: rule\nid: rule-x\ncreated_at: 2026-10-01T00:00:00Z\nstatus: proposed\nstatement: Do x.\n---\n' });
    const ok = await runCli(repo, ['accept', 'rule-x'], { env: { USER: undefined, GIT_AUTHOR_NAME: undefined, LOGNAME: undefined } });
    expect(ok.code, ok.stderr).toBe(0);
    // tempRepo configures user.name "Test".
    expect(readFileSync(join(repo, 'learning-loop/rules/rule-x.md'), 'utf8')).toMatch(/review:\n(?: {2}\S.*\n)* {2}by: Test\n/);
  });
});
