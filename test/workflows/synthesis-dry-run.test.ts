/**
 * Local dry run of the synthesis workflow on the shipped example knowledge base, in a real
 * temporary Git repository: the workflow's own `run:` scripts (read from the YAML and executed
 * with bash) decide the period and synthesize; the pull-request step is replayed from the
 * action's `with:` settings (branch, add-paths, commit message, body file).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI_BIN, REPO_ROOT, cleanupTemp, git, tempRepo } from '../helpers/repo.js';
import { GITHUB_BODY_LIMIT } from '../../scripts/agents/ci.js';

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/learning-loop-synthesis.yml'), 'utf8')) as { jobs: { synthesize: { steps: Step[] } } };
const steps = workflow.jobs.synthesize.steps;
const step = (id: string): Step => steps.find((s) => s.id === id)!;
const prStep = steps.find((s) => s.uses?.startsWith('peter-evans/create-pull-request@'))!;

let dir: string;
let runnerTemp: string;

/** Runs a workflow step's script the way the runner does (bash -e), returning its outputs. */
function runStep(s: Step, env: Record<string, string>): Record<string, string> {
  const outFile = join(runnerTemp, `out-${Math.random().toString(36).slice(2)}`);
  writeFileSync(outFile, '');
  execFileSync('bash', ['-e', '-c', s.run!], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', LL: `node ${CLI_BIN}`, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: outFile, ...env },
  });
  return Object.fromEntries(
    readFileSync(outFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/**
 * What peter-evans/create-pull-request does, locally: commit the changed `add-paths` on the
 * fixed branch; when the result equals what the branch already holds, nothing is updated.
 */
function replayPullRequest(period: string): { branch: string; action: 'created' | 'updated' | 'none' } {
  const sub = (v: string): string => v.replace('${{ steps.period.outputs.period }}', period);
  const branch = sub(prStep.with!.branch!);
  const paths = prStep
    .with!['add-paths']!.split('\n')
    .map((p) => p.trim().replace(/\/\*\*$/, ''))
    .filter(Boolean);
  const exists = git(dir, 'branch', '--list', branch).trim() !== '';
  git(dir, 'add', '--', ...paths);
  const against = exists ? branch : 'HEAD';
  if (spawnSync('git', ['diff', '--cached', '--quiet', against, '--', ...paths], { cwd: dir }).status === 0) {
    git(dir, 'reset', '-q');
    return { branch, action: 'none' };
  }
  git(dir, 'checkout', '-q', '-B', branch);
  git(dir, 'commit', '-q', '-m', sub(prStep.with!['commit-message']!));
  return { branch, action: exists ? 'updated' : 'created' };
}

beforeAll(() => {
  dir = tempRepo({ '.gitignore': '.learning-loop/\nnode_modules/\n' });
  cpSync(join(REPO_ROOT, 'learning-loop'), join(dir, 'learning-loop'), { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'example knowledge base');
  runnerTemp = mkdtempSync(join(tmpdir(), 'll-runner-'));
});
afterAll(cleanupTemp);

describe('synthesis workflow, dry run on the example knowledge base', () => {
  it('the Sunday cron is the weekly synthesis', () => {
    expect(runStep(step('period'), { EVENT_NAME: 'schedule', SCHEDULE: '0 23 * * 0', INPUT_PERIOD: '' }).period).toBe('week');
  });

  it('synthesizes, commits on the fixed branch and renders the PR body; a second run proposes nothing', () => {
    const { period } = runStep(step('period'), { EVENT_NAME: 'workflow_dispatch', SCHEDULE: '', INPUT_PERIOD: 'week' });
    expect(period).toBe('week');
    const { body } = runStep(step('synthesize'), { PERIOD: period! });
    expect(body && existsSync(body)).toBe(true);
    const text = readFileSync(body!, 'utf8');
    expect(text.length).toBeGreaterThan(100);
    expect(text.length).toBeLessThan(GITHUB_BODY_LIMIT);

    const pr = replayPullRequest(period!);
    expect(pr).toEqual({ branch: 'learning-loop/synthesis-week', action: 'created' });
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('learning-loop/synthesis-week');
    const files = git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    expect(files.some((f) => f.startsWith('learning-loop/synthesis/weekly/'))).toBe(true);
    expect(files.every((f) => f.startsWith('learning-loop/'))).toBe(true);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('learning-loop: weekly synthesis');
    // The committed knowledge base stays valid.
    execFileSync(process.execPath, [CLI_BIN, 'validate'], { cwd: dir, stdio: 'pipe' });

    // The next run starts again from the default branch: same history, same day, same files,
    // so the pull request is left alone.
    git(dir, 'checkout', '-q', 'main');
    runStep(step('synthesize'), { PERIOD: period! });
    expect(replayPullRequest(period!).action).toBe('none');
  });
});
