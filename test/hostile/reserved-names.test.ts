/**
 * Reserved JavaScript names (`constructor`, `__proto__`, `toString`, ...) written as agents,
 * components, task types, domains, tags, reused items, ids, pattern-definition and metric keys
 * are plain values everywhere: every command and every MCP tool works over such a knowledge
 * base, reports them as ordinary names, and `Object.prototype` is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_BIN, cleanupTemp, git, runCli, writeFiles, type CliRun } from '../helpers/repo.js';
import { controlHistory, makeExecution, plantedHours, scoresFor } from '../../tools/examples/generate-history.js';
import type { AnyRecord } from '../../scripts/core/records/kinds.js';
import { repoWith } from '../learn/kb.js';

/** Every name that means something on a plain object (own or inherited from Object.prototype). */
const RESERVED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__', 'prototype'];
const SLUG = /^[a-z0-9][a-z0-9_.-]{0,79}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** The reserved names the lower-case vocabulary fields (component, task type, domains, tags) accept. */
const SLUGS = RESERVED.filter((n) => SLUG.test(n));
/** The reserved names an id may be. */
const IDS = RESERVED.filter((n) => ID.test(n));
/** The reserved names a mapping key may be (`__proto__`, `constructor`, `prototype` are refused as keys: yaml/prototype-key). */
const KEYS = RESERVED.filter((n) => !['__proto__', 'constructor', 'prototype'].includes(n));

const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
const slug = (i: number): string => SLUGS[i % SLUGS.length]!;

/** Executions whose every vocabulary field is a reserved name, with planted patterns on them. */
function history(): AnyRecord[] {
  const out: AnyRecord[] = [...controlHistory(40)];
  let h = plantedHours(40 * 3, 0);
  RESERVED.forEach((name, i) => {
    for (let j = 0; j < 4; j++) {
      const fail = j % 2 === 0;
      out.push(
        makeExecution(`ex-res-${i}-${j}`, (h += 2), {
          agent: name,
          sprint: name,
          task_type: slug(i),
          component: slug(i + 1),
          domains: [...SLUGS],
          tags: [...SLUGS],
          reused: [name],
          produced: [name],
          outcome: fail ? 'failure' : 'success',
          scores: fail ? scoresFor(40) : scoresFor(93, 60),
          pre: { assumptions: [name], dependencies: [name] },
          post: { outcomes: [name], discoveries: [name] },
          ...(fail ? { errors: [`${name} is not a function`] } : {}),
        }),
      );
    }
  });
  // Records whose ids are reserved names, linking to each other.
  const [a, b, c, d, e] = IDS as [string, string, string, string, string];
  out.push(
    {
      kind: 'rule',
      id: a,
      created_at: '2026-10-01T00:00:00Z',
      status: 'accepted',
      statement: `Rule ${a}: validate inputs.`,
      topic: slug(0),
      applies_to: { components: [...SLUGS], task_types: [...SLUGS] },
    } as AnyRecord,
    {
      kind: 'pattern',
      id: b,
      created_at: '2026-10-01T00:00:00Z',
      status: 'accepted',
      pattern_type: 'failure',
      category: 'component-pattern',
      domain: slug(0),
      statement: `Pattern ${b}.`,
      evidence: ['ex-res-0-0'],
      definition: Object.fromEntries(KEYS.map((n) => [n, n])),
    } as AnyRecord,
    {
      kind: 'template',
      id: c,
      created_at: '2026-10-01T00:00:00Z',
      status: 'accepted',
      summary: `Template ${c}.`,
      component: slug(0),
      task_type: slug(1),
      source_executions: ['ex-res-0-1'],
    } as AnyRecord,
    {
      kind: 'reflection',
      id: d,
      created_at: '2026-10-20T00:00:00Z',
      reflection_type: 'root_cause_analysis',
      executions: ['ex-res-0-0'],
      root_cause: `${d} was wrong`,
      proposed: [a],
      evidence: { recalled: [a], patterns: [b] },
    } as AnyRecord,
    makeExecution(e, (h += 2), { agent: 'agent-ids', recalled: [a, b, c], reused: [c, a], component: slug(0), task_type: slug(0) }),
    {
      kind: 'metrics',
      id: 'met-reserved',
      created_at: '2026-10-20T00:00:00Z',
      period: 'week',
      period_start: '2026-10-12',
      period_end: '2026-10-18',
      metrics: Object.fromEntries(KEYS.map((n, k) => [n, k % 2 ? k : { [n]: k }])),
    } as AnyRecord,
  );
  return out;
}

let dir: string;

beforeAll(() => {
  dir = repoWith(history());
});
afterAll(cleanupTemp);

/** Nothing of the runs' output may show that a name was looked up on a plain object. */
function expectClean(label: string, r: CliRun): void {
  expect(r.stderr, label).not.toMatch(/internal error|TypeError|is not a function \(|Cannot read/);
  expect(r.code, `${label}\n${r.stderr}`).not.toBe(70);
  for (const text of [r.stdout, r.stderr]) {
    expect(text, label).not.toMatch(/\[native code\]|\[object Object\]|function \w*\(/);
  }
  expect(Object.getOwnPropertyNames(Object.prototype).sort(), label).toEqual(protoBefore);
  expect(({} as Record<string, unknown>).n, label).toBeUndefined();
}

/** Every file under a folder (for scanning generated output). */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const abs = join(root, name);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

describe('reserved JavaScript names as values', () => {
  it('the schema accepts them where users can write them (so the rest of the test means something)', () => {
    expect(SLUGS).toEqual(['constructor', 'prototype']);
    expect(IDS.length).toBeGreaterThanOrEqual(5);
  });

  it('validate, build, recall, similar, patterns, dashboard, reflect, synthesize, export, accept work and count them as plain names', async () => {
    const validate = await runCli(dir, ['validate', '--json']);
    expectClean('validate', validate);
    expect(JSON.parse(validate.stdout).summary.error, validate.stdout.slice(0, 2000)).toBe(0);

    const build = await runCli(dir, ['build', '--json']);
    expectClean('build', build);
    expect(build.code, build.stdout.slice(0, 2000)).toBe(0);
    const aggText = readFileSync(join(dir, '.learning-loop/build/aggregates.json'), 'utf8');
    const agg = JSON.parse(aggText);
    for (const name of RESERVED) {
      expect(Object.prototype.hasOwnProperty.call(agg.by_agent, name), name).toBe(true);
      expect(agg.by_agent[name].count, name).toBe(4);
    }
    for (const s of SLUGS) expect(agg.by_domain[s].count).toBeGreaterThanOrEqual(RESERVED.length * 4);
    expect(agg.reuse.find((r: { item: string }) => r.item === '__proto__')).toEqual({ item: '__proto__', count: 4 });
    expect(Object.keys(agg.by_task_type)).toEqual(expect.arrayContaining(SLUGS));

    // A second, clean build is byte-identical (no hidden state from a polluted prototype).
    const full = await runCli(dir, ['build', '--full', '--json']);
    expectClean('build --full', full);
    expect(readFileSync(join(dir, '.learning-loop/build/aggregates.json'), 'utf8')).toBe(aggText);

    for (const name of RESERVED) {
      const recall = await runCli(dir, ['recall', `what failed for agent ${name}?`, '--json']);
      expectClean(`recall ${name}`, recall);
      expect(recall.code, `${name}: ${recall.stdout.slice(0, 1500)}`).toBe(0);
    }
    const recallText = await runCli(dir, ['recall', 'what failed with the constructor component?']);
    expectClean('recall text', recallText);

    for (const s of SLUGS) {
      const similar = await runCli(dir, ['similar', '--type', s, '--component', s, '--domains', SLUGS.join(','), '--json']);
      expectClean(`similar ${s}`, similar);
      expect(similar.code).toBe(0);
      expect(JSON.parse(similar.stdout).executions.length).toBeGreaterThan(0);
    }

    const patterns = await runCli(dir, ['patterns', '--json']);
    expectClean('patterns', patterns);
    expect(patterns.code).toBe(0);
    expect(patterns.stdout).toContain('"constructor"');
    const patternsWrite = await runCli(dir, ['patterns', '--write', '--json']);
    expectClean('patterns --write', patternsWrite);

    const dashboard = await runCli(dir, ['dashboard', '--json']);
    expectClean('dashboard', dashboard);
    expect(dashboard.code).toBe(0);
    const agents = JSON.stringify(JSON.parse(dashboard.stdout).metrics.agent_effectiveness);
    for (const name of RESERVED) expect(agents, name).toContain(JSON.stringify(name));
    expectClean('dashboard text', await runCli(dir, ['dashboard']));

    const reflect = await runCli(dir, ['reflect', 'ex-res-0-0', '--json']);
    expectClean('reflect', reflect);
    expect(reflect.code).toBe(0);

    const dry = await runCli(dir, ['synthesize', '--period', 'week', '--date', '2026-10-18', '--dry-run', '--json']);
    expectClean('synthesize --dry-run', dry);
    expect(dry.code).toBe(0);
    const syn = await runCli(dir, ['synthesize', '--period', 'month', '--date', '2026-10-30', '--json']);
    expectClean('synthesize', syn);
    expect(syn.code).toBe(0);

    const exp = await runCli(dir, ['export', '--to', 'all', '--include-patterns', '--json']);
    expectClean('export', exp);
    expect(exp.code).toBe(0);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toContain(`Rule ${IDS[0]}`);
    expectClean('export --check', await runCli(dir, ['export', '--to', 'all', '--include-patterns', '--check']));

    const accept = await runCli(dir, ['reject', IDS[0]!, '--reason', 'test', '--at', '2026-10-21T00:00:00Z', '--json']);
    expectClean('reject', accept);
    expect(accept.code).toBe(0);

    const after = await runCli(dir, ['validate', '--json']);
    expectClean('validate after writes', after);
    expect(JSON.parse(after.stdout).summary.error, after.stdout.slice(0, 2000)).toBe(0);
  });

  it('record, run, import and capture accept them and keep them as plain values', async () => {
    for (const name of RESERVED) {
      const r = await runCli(dir, ['record', '--input', '-', '--json'], {
        stdin: JSON.stringify({
          task_id: `t-${name}`,
          task_type: SLUGS[0],
          component: SLUGS[1],
          agent: name,
          sprint: name,
          domains: SLUGS,
          tags: SLUGS,
          reused: [name],
          outcome: 'failure',
          duration_s: 60,
          errors: [`${name} broke`],
        }),
      });
      expectClean(`record ${name}`, r);
      expect(r.code, r.stdout).toBe(0);
    }
    const run = await runCli(dir, [
      'run',
      '--type',
      SLUGS[0]!,
      '--component',
      SLUGS[1]!,
      '--domains',
      SLUGS.join(','),
      '--agent',
      '__proto__',
      '--sprint',
      'constructor',
      '--json',
      '--',
      process.execPath,
      '-e',
      '0',
    ]);
    expectClean('run', run);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    writeFiles(dir, { 'notes/AGENTS.md': '# Notes\n\n## Constructor\n\n- Always call super() first in a constructor.\n\n## __proto__\n\n- Never assign __proto__ from user input.\n' });
    const imp = await runCli(dir, ['import', 'agents-md', 'notes/AGENTS.md', '--json']);
    expectClean('import', imp);
    expect(imp.code).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'constructor: more records');
    const cap = await runCli(dir, ['capture', 'git-commit', '--agent', 'constructor', '--json']);
    expectClean('capture', cap);
    const captured = readFileSync(join(dir, JSON.parse(cap.stdout).path), 'utf8');
    expect(captured).toContain('task_type: commit');
    const site = await runCli(dir, ['site', 'build', '--out', '_site', '--json']);
    expectClean('site build', site);
    expect(site.code, site.stdout.slice(0, 3000)).toBe(0);
    for (const f of filesUnder(join(dir, '_site')).filter((p) => /\.(html|json)$/.test(p))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/\[native code\]|\[object Object\]/);
    }
    const v = await runCli(dir, ['validate', '--json']);
    expectClean('validate at the end', v);
    expect(JSON.parse(v.stdout).summary.error, v.stdout.slice(0, 2000)).toBe(0);
  });
});

describe('MCP with reserved names', () => {
  let client: Client;
  let mcpDir: string;
  beforeAll(async () => {
    mcpDir = repoWith(controlHistory(12));
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI_BIN, 'mcp'], cwd: mcpDir, stderr: 'ignore' }));
  });
  afterAll(async () => {
    await client?.close();
  });
  type Reply = { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: Record<string, unknown> };
  const call = async (name: string, args: Record<string, unknown>): Promise<Reply> => (await client.callTool({ name, arguments: args })) as Reply;

  it('record {agent: "__proto__"} then recall, and every tool still works afterwards', async () => {
    const ids: string[] = [];
    for (const name of RESERVED) {
      const r = await call('record', {
        task_id: `mcp-${name}`,
        task_type: SLUGS[0],
        component: SLUGS[1],
        agent: name,
        domains: SLUGS,
        outcome: 'failure',
        duration_s: 30,
        errors: [`${name} failed`],
        reused: [name],
      });
      expect(r.isError, JSON.stringify(r)).toBeFalsy();
      ids.push(String(r.structuredContent!.id));
    }
    for (let round = 0; round < 2; round++) {
      const recall = await call('recall', { question: 'what failed for agent __proto__ on the constructor component?' });
      expect(recall.isError, JSON.stringify(recall)).toBeFalsy();
      const get = await call('get', { ids: ids.slice(0, 3) });
      expect(get.isError, JSON.stringify(get)).toBeFalsy();
      expect((get.structuredContent!.records as Array<{ data: { agent: string } }>).map((r) => r.data.agent)).toEqual(RESERVED.slice(0, 3));
      const similar = await call('similar', { task_type: SLUGS[0], component: SLUGS[1], domains: SLUGS });
      expect(similar.isError, JSON.stringify(similar)).toBeFalsy();
      const dash = await call('dashboard', {});
      expect(dash.isError, JSON.stringify(dash)).toBeFalsy();
      expect(JSON.stringify(dash)).not.toMatch(/\[native code\]|Unrecognized key/);
      const reflect = await call('reflect', { execution_id: ids[1] });
      expect(reflect.isError, JSON.stringify(reflect)).toBeFalsy();
    }
    // The records are on disk too: a fresh process over them works as well.
    expect((await runCli(mcpDir, ['recall', 'constructor', '--json'])).code).not.toBe(70);
  });
});
