/**
 * The fast and the positioned parser agree: the cases (`title: ! x`, `title: 1e400`, a
 * tab-indented closing fence, a raw CR inside quotes, deep nesting), the same diagnostics in a
 * worker with a small stack, sizes checked before reading (sparse files of 1.5 and 3 GiB), and
 * the property-based differential suite over 10,000 generated records plus a generated knowledge
 * base checked by every path (tools/bench/fuzz.ts; `npm run fuzz` runs more).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { closeSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { cleanupTemp, REPO_ROOT, runCli, tempDir, tempRepo } from '../helpers/repo.js';
import { checkRecordText } from '../../scripts/core/records/validate.js';
import { disagreements, runKbDifferential, runParserFuzz, runWorkerDifferential } from '../../tools/bench/fuzz.js';

afterAll(cleanupTemp);

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const rule = (extra: string) => `---\nkind: rule\nid: rule-a\ncreated_at: 2026-11-01T00:00:00Z\nstatus: proposed\nstatement: x\n${extra}---\n`;
const DEEP = (n: number) => rule(`title: ${'['.repeat(n)}x${']'.repeat(n)}\n`);

const CASES: Array<[string, string]> = [
  ['non-specific tag', rule('title: ! x\n')],
  ['float out of range', rule('title: 1e400\n')],
  ['binary and signed-dot numbers', rule('title: 0b101\nrationale: -.5\n')],
  ['tab-indented closing fence', `---\nkind: rule\nid: rule-a\ncreated_at: 2026-11-01T00:00:00Z\nstatus: proposed\nstatement: x\n\t---\nbody\n`],
  ['raw CR inside quotes', rule('title: "a\rb"\n')],
  ['raw CR inside single quotes', rule("title: 'a\rb'\n")],
  ['multi-line quoted value, under-indented', rule('title: "a\nb"\n')],
  ['deep flow nesting', DEEP(3000)],
  ['deep nesting after an apostrophe', rule(`title: it's\nrationale: ${'['.repeat(3000)}x${']'.repeat(3000)}\n`)],
  ['deep block sequence after an unclosed bracket (found by the fuzz suite)', rule(`[unknown_key: v\ndeep:\n  ${'- '.repeat(3000)}x\n`)],
  ['deep block nesting', rule(`title:\n${Array.from({ length: 80 }, (_, k) => `${' '.repeat(k + 1)}- x`).join('\n')}\n`)],
];

describe('the two parsers agree', () => {
  it.each(CASES)('%s: same verdict and diagnostics, alone and beside another error', (_name, text) => {
    expect(disagreements('rules/rule-a.md', text)).toEqual([]);
    // Beside another problem (which forces the positioned parser) the verdict on this one holds.
    const withError = text.replace('status: proposed\n', 'status: proposed\nunknown_field: 1\n');
    expect(disagreements('rules/rule-a.md', withError)).toEqual([]);
    const alone = checkRecordText('rules/rule-a.md', text).diagnostics.map((d) => d.rule);
    const beside = checkRecordText('rules/rule-a.md', withError)
      .diagnostics.map((d) => d.rule)
      .filter((r) => r !== 'schema/unknown-field');
    expect(beside).toEqual(alone.filter((r) => r !== 'schema/unknown-field'));
  });

  it('refuses tags, odd numbers and deep nesting the same way everywhere', () => {
    const rules = (t: string) => checkRecordText('rules/rule-a.md', t).diagnostics.map((d) => `${d.rule}@${d.line}:${d.column}`);
    expect(rules(CASES[0]![1])).toEqual(['yaml/custom-tag@7:10']);
    expect(rules(CASES[1]![1])).toEqual(['schema/type@7:8']);
    expect(checkRecordText('rules/rule-a.md', CASES[1]![1]).diagnostics[0]!.message).toContain('found Infinity');
    expect(rules(DEEP(3000))).toEqual(['yaml/too-deep@7:71']);
    expect(rules(DEEP(60))).toEqual(['schema/type@7:8']);
  });

  it('deep nesting is reported at the same place in a worker with a small stack', async () => {
    const texts = [DEEP(3000), DEEP(64), DEEP(65), ...CASES.filter(([n]) => n.startsWith('deep')).map(([, t]) => t), rule(`title: ${'{a: '.repeat(500)}1${'}'.repeat(500)}\n`)];
    const here = texts.map((t) => checkRecordText('rules/rule-a.md', t));
    const url = new URL(`file://${join(REPO_ROOT, 'dist', 'scripts', 'core', 'records', 'validate.js')}`).href;
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import(workerData.url).then((m) => parentPort.postMessage(workerData.texts.map((t) => m.checkRecordText('rules/rule-a.md', t))));`,
      { eval: true, workerData: { url, texts }, resourceLimits: { stackSizeMb: 0.5 } },
    );
    const there = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(there)), JSON.parse(JSON.stringify(here)))).toBe(true);
  });
});

describe('record input', () => {
  it('JSON nested 3,000 levels deep is refused (yaml/too-deep), not a crash', async () => {
    const dir = tempRepo({ '.gitignore': '.learning-loop/\n' });
    expect((await runCli(dir, ['init'])).code).toBe(0);
    const stdin = `{"task_id":"x","task_type":"component","agent":"a","outcome":"success","duration_s":5,"tags":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const r = await runCli(dir, ['record', '--input', '-', '--json'], { stdin });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { rule: string }) => d.rule)).toEqual(['yaml/too-deep']);
  });
});

describe('the config file', () => {
  it('reports duplicate keys and too-deep nesting (and every command still runs on the defaults)', async () => {
    const dir = tempRepo({ '.gitignore': '.learning-loop/\n' });
    expect((await runCli(dir, ['init'])).code).toBe(0);
    const cfg = join(dir, 'learning-loop', 'config', 'triggers.yaml');
    const original = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, `${original}\nbuild:\n  max_file_bytes: 2048\nbuild:\n  max_file_bytes: 4096\n`);
    const dup = JSON.parse((await runCli(dir, ['validate', '--json'])).stdout).diagnostics as Array<{ rule: string }>;
    expect(dup.map((d) => d.rule)).toContain('yaml/duplicate-key');
    writeFileSync(cfg, `${original}\ndeep: ${'['.repeat(5000)}1${']'.repeat(5000)}\n`);
    const deep = await runCli(dir, ['validate', '--json']);
    expect(deep.code).toBe(1);
    expect((JSON.parse(deep.stdout).diagnostics as Array<{ rule: string }>).map((d) => d.rule)).toEqual(['yaml/too-deep']);
    expect((await runCli(dir, ['build', '--json'])).code).not.toBe(70);
  });
});

describe('found by the knowledge-base differential', () => {
  it('a name with a line break in it (an agent "two\\nlines") gives the same vocabulary incrementally as in a clean build', async () => {
    const dir = tempRepo({ '.gitignore': '.learning-loop/\n' });
    const exec = (id: string, agent: string) =>
      `---\nkind: execution\nid: ${id}\ncreated_at: 2026-10-05T10:00:00Z\ntask_id: t\ntask_type: component\nagent: ${JSON.stringify(agent)}\nstarted_at: 2026-10-05T09:00:00Z\nduration_s: 60\noutcome: success\nscores:\n  accuracy: 80\n  efficiency: 80\n  reusability: 80\n  surprise: 40\noverall: 70\n---\n`;
    const folder = join(dir, 'learning-loop', 'memory', 'short-term', 'executions', '2026', '10');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'ex-a.md'), exec('ex-a', 'two\nlines'));
    writeFileSync(join(folder, 'ex-b.md'), exec('ex-b', 'one'));
    expect((await runCli(dir, ['build', '--json'])).code).toBe(0);
    writeFileSync(join(folder, 'ex-b.md'), exec('ex-b', 'other'));
    await runCli(dir, ['build', '--json']);
    const meta = () => JSON.parse(readFileSync(join(dir, '.learning-loop', 'build', 'recall', 'meta.json'), 'utf8')).vocab.agent;
    const incremental = meta();
    await runCli(dir, ['build', '--full', '--json']);
    expect(incremental).toEqual(meta());
    expect(Object.keys(incremental).sort()).toEqual(['other', 'two\nlines']);
  });
});

describe('sizes are checked before reading', () => {
  it('sparse files of 1.5 GB and 3 GiB get file/too-large from validate and build, with Git and without', async () => {
    for (const git of [true, false]) {
      const dir = git ? tempRepo({ '.gitignore': '.learning-loop/\n' }) : tempDir();
      const rules = join(dir, 'learning-loop', 'rules');
      mkdirSync(rules, { recursive: true });
      writeFileSync(join(rules, 'rule-ok.md'), rule(''));
      for (const [name, size] of [
        ['rule-big.md', 1_500_000_000],
        ['rule-huge.md', 3 * 1024 ** 3],
      ] as const) {
        closeSync(openSync(join(rules, name), 'w'));
        truncateSync(join(rules, name), size); // sparse: no disk, no time
      }
      const v = await runCli(dir, ['validate', '--json']);
      const b = await runCli(dir, ['build', '--json']);
      const list = JSON.parse(v.stdout).diagnostics as Array<{ rule: string; file: string; message: string }>;
      expect(
        list.map((d) => [d.rule, d.file.replace(/^.*rules\//, '')]),
        `git: ${git}`,
      ).toEqual([
        ['file/too-large', 'rule-big.md'],
        ['file/too-large', 'rule-huge.md'],
        ['id/filename', 'rule-ok.md'],
      ]);
      expect(list[1]!.message).toContain(`${3 * 1024 ** 3} bytes`);
      expect(JSON.parse(b.stdout).diagnostics, `git: ${git}`).toEqual(JSON.parse(v.stdout).diagnostics);
    }
  });
});

describe('property-based differential suite (fast-check)', () => {
  it(`10,000 generated records: no crash, no disagreement between the parsers, no non-determinism (seed ${SEED})`, () => {
    const r = runParserFuzz({ runs: 10_000, seed: SEED });
    expect(r.runs).toBe(10_000);
    // Both kinds of input are exercised: valid records (the fast path) and broken ones.
    expect(r.fast).toBeGreaterThan(1_000);
    expect(r.fast).toBeLessThan(9_000);
  }, 300_000);

  it('the same 10,000 records checked in a worker with a small stack give the same results', async () => {
    expect(await runWorkerDifferential({ runs: 10_000, seed: SEED })).toEqual([]);
  }, 300_000);

  it('a generated knowledge base: validate, build with and without workers, incremental and clean builds agree', async () => {
    const lines: string[] = [];
    const problems = await runKbDifferential({ records: 600, seed: SEED, log: (l) => lines.push(l) });
    expect(problems, lines.join('\n')).toEqual([]);
  }, 300_000);
});
