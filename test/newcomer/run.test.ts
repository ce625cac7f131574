/** Issue 16: `run` keeps what explains a failure: exit status, error lines, no machine paths, no lost record. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, spawnCli, tempDir, tempRepo } from '../helpers/repo.js';
import { commandLine, errorLines, relativizePaths } from '../../scripts/agents/run-output.js';
import { redactSecrets, scanSecrets } from '../../scripts/core/records/secrets.js';

afterAll(cleanupTemp);

const FAKE_TOKEN = ['ghp', 'abcdefghijklmnopqrstuvwxyz0123456789AB'].join('_');

async function kb(files: Record<string, string> = {}): Promise<string> {
  const repo = tempRepo(files);
  expect((await runCli(repo, ['init'])).code).toBe(0);
  return repo;
}

const node = (script: string): string[] => [process.execPath, '-e', script];

describe('run', () => {
  it("passes the command's exit status through (3 stays 3), in-process and as a real process", async () => {
    const repo = await kb();
    const j = await runCli(repo, ['run', '--task-type', 'test', '--json', '--', ...node('process.exit(3)')]);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout).exit_code).toBe(3);
    const real = await spawnCli(repo, ['run', '--task-type', 'test', '--', ...node('process.exit(5)')]);
    expect(real.code).toBe(5);
    expect(real.stdout).toMatch(/\[learning\] recorded ex-\S+ .*exit 5/);
  });

  it('records the stderr lines that carry an error, not banners, and never a machine-absolute path', async () => {
    const repo = await kb();
    const home = tempDir();
    const script = `console.error("npm warn config production Use --omit=dev instead.");
console.error("(node:4242) [DEP0040] DeprecationWarning: The punycode module is deprecated.");
console.error("Error: cannot parse ${join(repo, 'data', 'in.csv').replace(/\\/g, '/')} (see ${join(home, 'notes.txt').replace(/\\/g, '/')})");
console.error("    at parse (${repo.replace(/\\/g, '/')}/src/csv.js:3:9)");
console.error("npm error A complete log of this run can be found in: ${home.replace(/\\/g, '/')}/.npm/_logs/x-debug-0.log");
process.exit(2)`;
    const r = await runCli(repo, ['run', '--task-type', 'test', '--component', 'csv', '--json', '--', ...node(script)], { env: { HOME: home } });
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stdout).execution;
    expect(e.errors).toEqual(['Error: cannot parse data/in.csv (see ~/notes.txt)']);
    const text = readFileSync(join(repo, JSON.parse(r.stdout).path), 'utf8');
    expect(text).not.toContain(repo);
    expect(text).not.toContain(home);
    expect(text).not.toContain(process.execPath);
  });

  it("keeps npm's own error line from a real npm run, without the debug-log path", async () => {
    const repo = await kb({ 'package.json': JSON.stringify({ name: 'x', version: '1.0.0', scripts: {} }) });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = await runCli(repo, ['run', '--task-type', 'build', '--json', '--', npm, 'run', 'missing-script']);
    expect(r.code).toBe(1);
    const errors: string[] = JSON.parse(r.stdout).execution.errors;
    expect(
      errors.some((l) => /missing script/i.test(l)),
      errors.join('\n'),
    ).toBe(true);
    expect(
      errors.some((l) => /complete log|_logs/i.test(l)),
      errors.join('\n'),
    ).toBe(false);
  });

  it('redacts a token in stderr and records the rest', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['run', '--task-type', 'deploy', '--json', '--', ...node(`console.error("fatal: authentication failed for token ${FAKE_TOKEN}"); process.exit(1)`)]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.execution.errors).toEqual(['fatal: authentication failed for token <REDACTED>']);
    const text = readFileSync(join(repo, out.path), 'utf8');
    expect(text).not.toContain(FAKE_TOKEN);
    expect(scanSecrets('x', text)).toEqual([]);
  });

  it("keeps the command's quoting and names the task readably", async () => {
    const repo = await kb();
    const r = await runCli(repo, ['run', '--task-type', 'test', '--component', 'csv', '--json', '--', process.execPath, '-e', "console.log('ok')"]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout).execution;
    expect(e.command).toMatch(/ -e "console\.log\('ok'\)"$/);
    expect(e.task_id).toBe(`node -e "console.log('ok')"`);
  });

  it('prints what it recalled, one line each, before the command starts, unless --quiet', async () => {
    const repo = await kb();
    mkdirSync(join(repo, 'learning-loop', 'rules'), { recursive: true });
    writeFileSync(
      join(repo, 'learning-loop', 'rules', 'rule-csv-quotes.md'),
      '---\nkind: rule\nid: rule-csv-quotes\ncreated_at: 2026-10-01T00:00:00Z\nstatus: accepted\nstatement: Quote every CSV field that holds a comma.\napplies_to:\n  components: [csv]\n---\n',
    );
    const r = await runCli(repo, ['run', '--task-type', 'test', '--component', 'csv', '--', ...node('console.error("TASK STARTS")')]);
    expect(r.code, r.stderr).toBe(0);
    const recalledAt = r.stderr.indexOf('rule-csv-quotes (rule, accepted): Quote every CSV field that holds a comma.');
    expect(recalledAt).toBeGreaterThanOrEqual(0);
    expect(recalledAt).toBeLessThan(r.stderr.indexOf('TASK STARTS'));
    const quiet = await runCli(repo, ['run', '--quiet', '--task-type', 'test', '--component', 'csv', '--', ...node('0')]);
    expect(quiet.stderr).not.toContain('rule-csv-quotes');
  });

  it('accepts the old spellings --type and --domain', async () => {
    const repo = await kb();
    const r = await runCli(repo, ['run', '--type', 'test', '--domain', 'a,b', '--domains', 'c', '--json', '--', ...node('0')]);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout).execution;
    expect(e.task_type).toBe('test');
    expect([...e.domains].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('run output helpers', () => {
  it('quote arguments the way a shell needs them', () => {
    expect(commandLine(['node', '-e', "console.log('ok')", 'a b', 'x"$y', ''])).toBe(`node -e "console.log('ok')" "a b" 'x"$y' ""`);
  });
  it('make repo paths relative and home paths ~-relative, the longest folder first', () => {
    expect(relativizePaths('/h/u/repo/src/a.ts and /h/u/x and /h/u/repo and /h/u/repository', { repoRoot: '/h/u/repo', home: '/h/u' })).toBe('src/a.ts and ~/x and . and ~/repository');
  });
  it('keep a terse failure when no line looks like an error', () => {
    expect(errorLines(['doing x', 'boom'])).toEqual(['doing x', 'boom']);
    expect(errorLines(['npm error code 1', 'npm error path /x', 'TypeError: y is undefined'])).toEqual(['TypeError: y is undefined']);
  });
  it('redactSecrets keeps the text around a secret', () => {
    expect(redactSecrets(`a ${FAKE_TOKEN} b\nhttps://u:pAss-w0rd-123@h.example/x`).text).toBe('a <REDACTED> b\nhttps://u:<REDACTED>@h.example/x');
  });
});
