/** `learning-loop record`: input forms, score completion, triggers, reflections, refusals. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, git, runCli, tempDir, tempRepo } from '../helpers/repo.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { recordExecution } from '../../scripts/agents/record.js';
import { parseFrontmatter } from '../../scripts/core/records/parse.js';

afterAll(cleanupTemp);

async function kb(): Promise<string> {
  const repo = tempRepo();
  expect((await runCli(repo, ['init'])).code).toBe(0);
  return repo;
}

function files(repo: string, sub: string): string[] {
  const root = join(repo, 'learning-loop', 'memory', 'short-term', sub);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.md') && out.push(join(d, e.name));
  };
  walk(root);
  return out.sort();
}

// Built at run time so secret scanners do not flag this test file itself.
const FAKE_TOKEN = ['ghp', 'abcdefghijklmnopqrstuvwxyz0123456789AB'].join('_');

const BASE = { task_id: 'RGH-1', task_type: 'component', component: 'booking-form', agent: 'claude-code', outcome: 'success', duration_s: 600 };

describe('record', () => {
  it('records from flags: computes missing scores, overall, trigger, and writes a linked reflection', async () => {
    const repo = await kb();
    const run = await runCli(repo, [
      'record',
      '--json',
      '--task-id',
      'RGH-7',
      '--type',
      'component',
      '--component',
      'booking-form',
      '--agent',
      'codex',
      '--outcome',
      'failure',
      '--duration',
      '1800',
      '--error',
      'TypeError: tz is undefined',
      '--error',
      'Slot shifted',
      '--domains',
      'booking,square_api',
      '--scores',
      'surprise=40',
      '--started-at',
      '2026-10-06T10:00:00Z',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    // accuracy: failure 20 - 5 x 2 errors = 10; efficiency: no history -> 70; reusability base 50; surprise given.
    expect(out.scores).toEqual({ accuracy: 10, efficiency: 70, reusability: 50, surprise: 40 });
    expect(out.computed).toEqual(['accuracy', 'efficiency', 'reusability']);
    expect(out.overall).toBe(42.5);
    expect(out.trigger).toBe('mandatory_reflection');
    expect(out.path).toMatch(/^learning-loop\/memory\/short-term\/executions\/2026\/10\/ex-[0-9A-Z]{26}\.md$/);
    const reflection = readFileSync(join(repo, out.reflection.path), 'utf8');
    expect(reflection).toContain(`- ${out.id}`);
    expect(reflection).toContain('reflection_type: root_cause_analysis');
    expect((await runCli(repo, ['validate', '--strict'])).code).toBe(0);
  });

  it('records JSON from stdin and from a file, keeping given scores, id and times (history import)', async () => {
    const repo = await kb();
    const input = {
      ...BASE,
      id: 'ex-imported-1',
      started_at: '2026-10-01T09:00:00Z',
      created_at: '2026-10-01T09:10:00Z',
      scores: { accuracy: 95, efficiency: 92, reusability: 94, surprise: 88 },
      body: '## Notes\n\nImported.',
    };
    const run = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify(input) });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ id: 'ex-imported-1', overall: 92.25, trigger: 'extract_template', computed: [] });
    const text = readFileSync(join(repo, out.path), 'utf8');
    expect(text).toContain('started_at: 2026-10-01T09:00:00Z');
    expect(text).toContain('## Notes');
    writeFileSync(join(repo, 'in.json'), JSON.stringify({ ...BASE, task_id: 'RGH-2' }));
    const fromFile = await runCli(repo, ['record', '--input', 'in.json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toMatch(/^recorded ex-[0-9A-Z]{26}\n {2}path {5}learning-loop\/memory\/short-term\/executions\/\d{4}\/\d{2}\/ex-/);
  });

  it('computes efficiency against the median duration of comparable earlier executions', async () => {
    const repo = await kb();
    const ws = () => openWorkspace({ cwd: repo });
    for (const [i, d] of [100, 300, 900].entries()) {
      const r = await recordExecution(ws(), { ...BASE, task_id: `E-${i}`, duration_s: d, started_at: `2026-10-0${i + 1}T10:00:00Z` });
      expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    }
    // Another component of the same type must not count when same-component history exists.
    await recordExecution(ws(), { ...BASE, component: 'hero-section', task_id: 'H-1', duration_s: 5, started_at: '2026-10-04T10:00:00Z' });
    const r = await recordExecution(ws(), { ...BASE, task_id: 'E-new', duration_s: 600, started_at: '2026-10-05T10:00:00Z' }, { dryRun: true });
    // median(100, 300, 900) = 300; 70 x 300 / 600 = 35.
    expect(r.execution!.scores.efficiency).toBe(35);
    // Only EARLIER executions count: one recorded "before" all of them has no baseline.
    const early = await recordExecution(ws(), { ...BASE, task_id: 'E-old', duration_s: 600, started_at: '2026-09-01T10:00:00Z' }, { dryRun: true });
    expect(early.execution!.scores.efficiency).toBe(70);
    expect(files(repo, 'executions')).toHaveLength(4);
  });

  it.each([
    ['bad JSON', '{"task_id": "x",\n  "outcome": }', 'input/json', 2, 14],
    ['truncated JSON', '{"task_id": "x",\n  "outcome"', 'input/json', 2, 12],
    ['unknown field', '{\n  "task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5,\n  "colour": "red"\n}', 'schema/unknown-field', 3, 3],
    ['wrong type', '{\n  "task_id": "x", "task_type": "component", "agent": "a", "outcome": "success",\n  "duration_s": "slow"\n}', 'schema/type', 3, 17],
    ['score out of range', '{"task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5,\n "scores": {"accuracy": 101}}', 'schema/range', 2, 25],
    ['missing required field', '{"task_id": "x", "task_type": "component", "agent": "a", "duration_s": 5}', 'schema/required', 1, 1],
    ['unknown outcome', '{"task_id": "x", "task_type": "component", "agent": "a", "outcome": "meh", "duration_s": 5}', 'schema/enum', 1, 69],
    ['traversal id', '{"id": "../../x", "task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5}', 'id/unsafe', 1, 8],
    ['prototype key', '{"task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5, "pre": {"__proto__": {"x": 1}}}', 'yaml/prototype-key', 1, 105],
    ['secret', `{"task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5,\n "body": "used token ${FAKE_TOKEN}"}`, 'secret/detected', 2, 22],
    ['missing recalled id', '{"task_id": "x", "task_type": "component", "agent": "a", "outcome": "success", "duration_s": 5, "recalled": ["rule-nope"]}', 'link/missing', 1, 110],
  ])('refuses %s with a positioned diagnostic and writes nothing', async (_name, stdin, rule, line, column) => {
    const repo = await kb();
    const run = await runCli(repo, ['record', '--input', '-', '--json'], { stdin });
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ rule, file: '<stdin>', line, column });
    expect(files(repo, 'executions')).toEqual([]);
    expect(files(repo, 'reflections')).toEqual([]);
  });

  it('scores are numbers with decimals kept, via flags and JSON; overall keeps two decimals', async () => {
    const repo = await kb();
    const flags = await runCli(repo, [
      'record',
      '--json',
      '--task-id',
      'D-1',
      '--type',
      'benchmark',
      '--agent',
      'gemini',
      '--outcome',
      'partial',
      '--duration',
      '7830',
      '--accuracy',
      '35.6',
      '--efficiency',
      '70',
      '--reusability',
      '50',
      '--surprise',
      '33.35',
      '--started-at',
      '2026-10-06T10:00:00Z',
    ]);
    expect(flags.code, flags.stderr).toBe(0);
    const out = JSON.parse(flags.stdout);
    expect(out.scores).toEqual({ accuracy: 35.6, efficiency: 70, reusability: 50, surprise: 33.35 });
    // (35.6 + 70 + 50 + 33.35) / 4 = 47.2375 -> 47.24 (two decimals)
    expect(out.overall).toBe(47.24);
    const text = readFileSync(join(repo, out.path), 'utf8');
    expect(text).toContain('accuracy: 35.6\n');
    expect(text).toContain('overall: 47.24\n');
    // --scores takes decimals too; a per-score flag wins over the same name in --scores.
    const mixed = await runCli(repo, [
      'record',
      '--json',
      '--dry-run',
      '--task-id',
      'D-2',
      '--type',
      'benchmark',
      '--agent',
      'gemini',
      '--outcome',
      'success',
      '--duration',
      '60',
      '--scores',
      'accuracy=12.5,surprise=40.25',
      '--accuracy',
      '99.9',
    ]);
    expect(JSON.parse(mixed.stdout).scores).toMatchObject({ accuracy: 99.9, surprise: 40.25 });
    const json = await runCli(repo, ['record', '--input', '-', '--json'], {
      stdin: JSON.stringify({ ...BASE, task_id: 'D-3', scores: { accuracy: 35.6, efficiency: 81.25, reusability: 50, surprise: 30 } }),
    });
    expect(json.code, json.stdout).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ overall: 49.21, scores: { accuracy: 35.6, efficiency: 81.25 } });
    const bad = await runCli(repo, ['record', '--task-id', 'D-4', '--type', 'benchmark', '--agent', 'a', '--outcome', 'success', '--duration', '1', '--accuracy', 'high']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--accuracy');
    const range = await runCli(repo, ['record', '--json', '--task-id', 'D-5', '--type', 'benchmark', '--agent', 'a', '--outcome', 'success', '--duration', '1', '--accuracy', '100.5']);
    expect(range.code).toBe(1);
    expect(JSON.parse(range.stdout).diagnostics[0].rule).toBe('schema/range');
    expect((await runCli(repo, ['validate', '--strict'])).code).toBe(0);
  });

  it('records usage (model, tokens, cost) from flags and JSON; bad usage is refused', async () => {
    const repo = await kb();
    const flags = await runCli(repo, [
      'record',
      '--json',
      '--task-id',
      'U-1',
      '--type',
      'bugfix',
      '--agent',
      'aider',
      '--outcome',
      'success',
      '--duration',
      '120',
      '--model',
      'gpt-4o',
      '--input-tokens',
      '12000',
      '--output-tokens',
      '800',
      '--cost',
      '0.42',
    ]);
    expect(flags.code, flags.stderr).toBe(0);
    const text = readFileSync(join(repo, JSON.parse(flags.stdout).path), 'utf8');
    expect(text).toContain('usage:\n  model: gpt-4o\n  input_tokens: 12000\n  output_tokens: 800\n  cost_usd: 0.42\n');
    const json = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ ...BASE, task_id: 'U-2', usage: { cost_usd: 1.5 } }) });
    expect(json.code, json.stdout).toBe(0);
    const badTokens = await runCli(repo, ['record', '--task-id', 'U-3', '--type', 'bugfix', '--agent', 'a', '--outcome', 'success', '--duration', '1', '--input-tokens', '1.5']);
    expect(badTokens.code).toBe(2);
    const unknown = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ ...BASE, task_id: 'U-4', usage: { cost: 1 } }) });
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).diagnostics[0].rule).toBe('schema/unknown-field');
    const negative = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ ...BASE, task_id: 'U-5', usage: { cost_usd: -2 } }) });
    expect(JSON.parse(negative.stdout).diagnostics[0].rule).toBe('schema/range');
    expect((await runCli(repo, ['validate', '--strict'])).code).toBe(0);
  });

  it('reports flag errors as usage errors (exit 2) and writes nothing', async () => {
    const repo = await kb();
    const run = await runCli(repo, ['record', '--task-id', 'x', '--type', 'component', '--agent', 'a', '--outcome', 'success', '--duration', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('<flags>');
    expect(run.stderr).toContain('input/flag');
    const missing = await runCli(repo, ['record', '--task-id', 'x', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).diagnostics.map((d: { rule: string; file: string }) => `${d.file} ${d.rule}`)).toContain('<flags> schema/required');
    expect((await runCli(repo, ['record', '--input', 'nope.json'])).code).toBe(2);
    expect(files(repo, 'executions')).toEqual([]);
  });

  it('--dry-run scores without writing; a clashing id is refused', async () => {
    const repo = await kb();
    const dry = await runCli(repo, ['record', '--input', '-', '--dry-run', '--json'], { stdin: JSON.stringify(BASE) });
    expect(JSON.parse(dry.stdout)).toMatchObject({ ok: true, dryRun: true });
    expect(files(repo, 'executions')).toEqual([]);
    const first = await runCli(repo, ['record', '--input', '-'], { stdin: JSON.stringify({ ...BASE, id: 'ex-same' }) });
    expect(first.code).toBe(0);
    const again = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify({ ...BASE, id: 'ex-same', started_at: '2020-01-01T00:00:00Z' }) });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).diagnostics[0].rule).toBe('id/duplicate');
  });

  it('nothing half-written: if the reflection cannot be written the execution is removed too', async () => {
    const repo = await kb();
    const dir = join(repo, 'learning-loop', 'memory', 'short-term', 'reflections', '2026', '10');
    mkdirSync(dir, { recursive: true });
    // Something (not a record) already occupies the reflection's path.
    writeFileSync(join(dir, 'rf-blocked.md'), 'not a record\n');
    const run = await runCli(repo, ['record', '--input', '-', '--json'], {
      stdin: JSON.stringify({ ...BASE, id: 'ex-blocked', outcome: 'failure', started_at: '2026-10-02T10:00:00Z', created_at: '2026-10-02T10:10:00Z' }),
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).diagnostics[0].rule).toBe('input/exists');
    expect(files(repo, 'executions')).toEqual([]);
    expect(readFileSync(join(dir, 'rf-blocked.md'), 'utf8')).toBe('not a record\n');
  });

  it('--commit commits exactly the new files; outside Git it refuses up front and writes nothing', async () => {
    const repo = await kb();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'init');
    writeFileSync(join(repo, 'unrelated.txt'), 'staged by someone else\n');
    git(repo, 'add', 'unrelated.txt');
    const run = await runCli(repo, ['record', '--input', '-', '--commit', '--json'], { stdin: JSON.stringify({ ...BASE, outcome: 'failure' }) });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(out.commit);
    expect(git(repo, 'show', '--name-only', '--format=', out.commit).trim().split('\n').sort()).toEqual([out.path, out.reflection.path].sort());
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('unrelated.txt');

    const plain = tempDir();
    expect((await runCli(plain, ['init', '--no-git'])).code).toBe(0);
    const noGit = await runCli(plain, ['record', '--input', '-', '--commit', '--json'], { stdin: JSON.stringify(BASE) });
    expect(noGit.code).toBe(1);
    const d = JSON.parse(noGit.stdout).diagnostics[0];
    expect(d.rule).toBe('git/not-a-repo');
    expect(d.message).toContain('nothing was written');
    // The hint names only flags `record` has.
    expect(d.hint).toContain('without --commit/--push');
    expect(d.hint).not.toContain('--no-git');
    expect(readdirSync(join(plain, 'learning-loop', 'memory', 'short-term', 'executions'))).toEqual(['.gitkeep']);
    // Without --commit it records the file.
    expect((await runCli(plain, ['record', '--input', '-'], { stdin: JSON.stringify(BASE) })).code).toBe(0);
    const wrapped = await runCli(plain, ['run', '--commit', '--task-type', 'test', '--', process.execPath, '-e', 'require("fs").writeFileSync("ran.txt", "x")']);
    expect(wrapped.code).toBe(2);
    expect(wrapped.stderr).toContain('--commit needs a Git repository');
    expect(existsSync(join(plain, 'ran.txt'))).toBe(false);
  });

  it('writes records that parse back to the same data', async () => {
    const repo = await kb();
    const ws = openWorkspace({ cwd: repo });
    const r = await recordExecution(ws, { ...BASE, pre: { assumptions: ['a: b # not a comment'] }, errors: ['"quoted" and \'single\''], reused: ['tpl-x'] });
    const parsed = parseFrontmatter('x', readFileSync(join(repo, r.path!), 'utf8'));
    expect(parsed.data).toEqual(JSON.parse(JSON.stringify(r.execution)));
  });

  it('refuses to record where there is no knowledge base', async () => {
    const repo = tempRepo();
    const run = await runCli(repo, ['record', '--input', '-', '--json'], { stdin: JSON.stringify(BASE) });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).diagnostics[0].rule).toBe('kb/missing');
    expect(existsSync(join(repo, 'learning-loop'))).toBe(false);
  });

  it('has help with an example', async () => {
    const help = await runCli(tempDir(), ['record', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('learning-loop record --task-id');
    expect(help.stdout).toContain('--input -');
  });
});
