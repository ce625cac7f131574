/**
 * The kill -9 suite: real CLI processes (`record`, `record --commit`, `import`, `build`,
 * `synthesize`) killed with SIGKILL at seeded random moments (the node process alone, or its
 * whole process group with the Git children), then the next command is run and compared with a
 * clean run: it must succeed (a stale Git lock is reported at once as `git/stale-lock`; the
 * file it names is removed, as the message says, and the command run again), `validate` must
 * find nothing, a build must equal a clean `build --full`, and an import or a synthesis must
 * leave exactly the files a run that was never killed leaves.
 *
 * `npm test` runs a few kills (test/hostile/kill9.test.ts); `npm run kill9 -- --kills 200
 * --seed 7` runs many and prints what the kills left behind and how the next run did.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess as cli, packageRoot } from './cli.js';
import { mulberry32 } from '../examples/prng.js';
import { controlHistory, makeExecution, scoresFor } from '../examples/generate-history.js';
import { recordPath } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { parseTempFileName } from '../../scripts/core/records/kb-files.js';

const CLI = join(packageRoot(), 'bin', 'learning-loop.js');

/** The commands the suite kills. */
export const SCENARIOS = ['record', 'record-commit', 'import', 'build', 'synthesize'] as const;
/** One command the suite kills. */
export type Scenario = (typeof SCENARIOS)[number];

/** What one kill did and how the next run went. */
export interface KillOutcome {
  scenario: Scenario;
  /** Milliseconds after the start the process was killed. */
  delayMs: number;
  /** The whole process group (Git children included) rather than the node process alone. */
  group: boolean;
  /** Killed when a temporary file or Git's lock appeared (else by the timer). */
  triggered: boolean;
  /** True when the process had already finished when the kill came. */
  finished: boolean;
  /** Temporary files the kill left (before the next run). */
  leftovers: number;
  /** A Git lock the kill left, reported by the next run as `git/stale-lock` (repo-relative). */
  staleLock?: string;
  /** Empty when the next run succeeded and equalled a clean run; otherwise what differed. */
  problems: string[];
}

/** Options of a suite run. */
export interface KillOptions {
  seed: number;
  kills: number;
  scenarios?: readonly Scenario[];
  log?: (line: string) => void;
}

const WEEK_DATE = '2026-10-18';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A committed knowledge base with enough history for synthesis to write files, and an AGENTS.md to import. */
function baseRepo(root: string): string {
  const dir = join(root, 'base');
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'kill9@example.com');
  git(dir, 'config', 'user.name', 'kill9');
  git(dir, 'config', 'commit.gpgsign', 'false');
  const records = [
    ...controlHistory(60),
    ...Array.from({ length: 7 }, (_, i) => makeExecution(`ex-win-${i}`, 200 + i * 5, { reused: ['tpl-booking-flow'], scores: scoresFor(92) })),
    ...Array.from({ length: 6 }, (_, i) =>
      makeExecution(`ex-fail-${i}`, 202 + i * 5, {
        component: 'booking-form',
        outcome: 'failure',
        scores: scoresFor(40),
        pre: { dependencies: ['square-sdk'] },
        domains: ['square_api'],
        errors: [`Webhook signature mismatch for event evt_${i}`],
      }),
    ),
  ];
  for (const r of records) {
    const abs = join(dir, 'learning-loop', recordPath(r));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, renderRecord(r, `Body of ${r.id}.`));
  }
  const words = ['cache', 'schema', 'token', 'retry', 'locale', 'layout', 'webhook', 'bundle', 'query', 'cookie', 'index', 'header', 'stream', 'queue', 'worker'];
  const bullets = Array.from({ length: 120 }, (_, i) => `- Rule ${i}: always check the ${words[i % 15]} ${words[(i * 7) % 15]} before the ${words[(i * 11 + 3) % 15]} step ${i}.`);
  writeFileSync(join(dir, 'AGENTS.md'), `# Project rules\n\n${bullets.join('\n')}\n`);
  writeFileSync(join(dir, '.gitignore'), '.learning-loop/\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

function copyRepo(base: string, root: string, name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(base, dir, { recursive: true });
  return dir;
}

/** Every file below `dir` (relative, sorted), skipping the folders named in `skip`. */
function files(dir: string, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs);
      if (skip.includes(rel)) continue;
      if (e.isDirectory()) walk(abs);
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

function tempFiles(dir: string): string[] {
  return files(dir, ['.git']).filter((f) => parseTempFileName(f.slice(f.lastIndexOf('/') + 1)) !== undefined);
}

/** The content of a tree's files, with the clock's values (import times) blanked. */
function snapshot(dir: string, skip: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files(dir, skip)) {
    if (parseTempFileName(f.slice(f.lastIndexOf('/') + 1))) continue;
    out.set(f, readFileSync(join(dir, f), 'utf8').replace(/(created_at|imported_at): \S+/g, '$1: <time>'));
  }
  return out;
}

/** Where two texts first differ, as ` at line N: "want" vs "got"` (a failure says what to look at). */
function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  const at = i < 0 ? a.length : i;
  return ` at line ${at + 1}: ${JSON.stringify((a[at] ?? '(end)').slice(0, 160))} vs ${JSON.stringify((b[at] ?? '(end)').slice(0, 160))}`;
}

function compare(label: string, want: Map<string, string>, got: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [f, text] of want) {
    if (!got.has(f)) problems.push(`${label}: ${f} is missing`);
    else if (got.get(f) !== text) problems.push(`${label}: ${f} differs${firstDifference(text, got.get(f)!)}`);
  }
  for (const f of got.keys()) if (!want.has(f)) problems.push(`${label}: ${f} is extra`);
  return problems.slice(0, 10);
}

/**
 * A moment to kill at besides the timer: as soon as a file whose name matches appears below
 * `dir` (a temporary file being written, Git's `index.lock` being held). Timers alone rarely
 * land inside the few milliseconds such a file exists.
 */
export interface KillTrigger {
  dir: string;
  match: (name: string) => boolean;
}

/** Spawns the CLI and kills it (or its process group) after `delayMs`, or at `trigger`; resolves when it is gone. */
function spawnAndKill(cwd: string, args: string[], stdin: string, delayMs: number, group: boolean, trigger?: KillTrigger): Promise<{ finished: boolean; ms: number }> {
  return new Promise((resolve) => {
    const start = Date.now();
    let watcher: FSWatcher | undefined;
    const kill = () => {
      try {
        if (group) process.kill(-child.pid!, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // exited meanwhile
      }
    };
    const child = spawn(process.execPath, [CLI, ...args], { cwd, detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, NO_COLOR: '1', GIT_TERMINAL_PROMPT: '0' } });
    // Set up while node is still starting (long before the command writes anything).
    if (trigger && existsSync(trigger.dir)) {
      watcher = watch(trigger.dir, { recursive: true }, (_event, name) => {
        if (name && trigger.match(basename(String(name)))) kill();
      });
    }
    child.stdin.end(stdin);
    let finished = false;
    child.on('exit', (code, signal) => {
      finished = signal === null;
      clearTimeout(timer);
      watcher?.close();
      // The group may outlive node (a Git child): let it go before the next run looks.
      if (group) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      resolve({ finished: finished && code !== null, ms: Date.now() - start });
    });
    const timer = setTimeout(kill, delayMs);
  });
}

/** Where to watch for a moment worth killing at, per command: its temporary files, or Git's index lock. */
function triggerOf(s: Scenario, dir: string): KillTrigger {
  if (s === 'record-commit') return { dir: join(dir, '.git'), match: (n) => n === 'index.lock' };
  if (s === 'build') return { dir: join(dir, '.learning-loop', 'build'), match: (n) => parseTempFileName(n) !== undefined };
  return { dir: join(dir, 'learning-loop'), match: (n) => parseTempFileName(n) !== undefined };
}

const EXEC = (i: number) =>
  JSON.stringify({
    task_id: `kill-${i}`,
    task_type: 'component',
    component: 'booking-form',
    agent: 'kill9',
    outcome: i % 3 ? 'success' : 'failure',
    duration_s: 60 + i,
    errors: i % 3 ? [] : ['Webhook signature mismatch'],
  });

function argsOf(s: Scenario): string[] {
  switch (s) {
    case 'record':
      return ['record', '--input', '-', '--json'];
    case 'record-commit':
      return ['record', '--input', '-', '--commit', '--json'];
    case 'import':
      return ['import', 'agents-md', 'AGENTS.md', '--json'];
    case 'build':
      return ['build', '--json'];
    case 'synthesize':
      return ['synthesize', '--period', 'week', '--date', WEEK_DATE, '--json'];
  }
}

/** Build outputs (not the cache) of the last build, then of a clean `build --full`: they must be equal. */
async function buildEqualsClean(dir: string): Promise<string[]> {
  const b = await cli(dir, ['build', '--json']);
  if (b.code !== 0) return [`build exited ${b.code}: ${b.stdout.slice(0, 300)}`];
  const out = join(dir, '.learning-loop', 'build');
  const incremental = snapshot(out, ['cache']);
  const full = await cli(dir, ['build', '--full', '--json']);
  if (full.code !== 0) return [`build --full exited ${full.code}`];
  const problems = compare('build vs build --full', snapshot(out, ['cache']), incremental);
  // Builds clear what killed writers left, in the build folder and in the knowledge base.
  const left = tempFiles(dir);
  if (left.length) problems.push(`temporary files left after a build: ${left.join(', ')}`);
  return problems;
}

async function validateClean(dir: string): Promise<string[]> {
  const v = await cli(dir, ['validate', '--json']);
  const list = (JSON.parse(v.stdout) as { diagnostics: Array<{ rule: string; file: string }> }).diagnostics;
  return v.code === 0 && list.length === 0
    ? []
    : [
        `validate exited ${v.code}: ${list
          .slice(0, 3)
          .map((d) => `${d.rule} ${d.file}`)
          .join('; ')}`,
      ];
}

/** Runs a recording command; a stale lock is removed as its message says, once, and the command run again. */
async function recover(dir: string, args: string[], stdin: string): Promise<{ code: number; stdout: string; staleLock?: string }> {
  let r = await cli(dir, args, stdin);
  let staleLock: string | undefined;
  if (r.code !== 0) {
    const d = (JSON.parse(r.stdout) as { diagnostics?: Array<{ rule: string; message: string }> }).diagnostics?.find((x) => x.rule === 'git/stale-lock');
    // The message names every stale lock; remove them all, as a user following it would.
    const named = d ? [...new Set([...d.message.matchAll(/`([^` ]+\.lock)`/g)].map((m) => m[1]!))] : [];
    if (named.length) {
      staleLock = named.join(' ');
      for (const lock of named) rmSync(join(dir, lock), { force: true });
      r = await cli(dir, args, stdin);
    }
  }
  return { ...r, staleLock };
}

/**
 * Runs the suite: `kills` kills over the scenarios in turn, delays and process-group choices
 * from a PRNG seeded with `seed` (the same seed, the same kill moments relative to each
 * command's start).
 */
export async function runKillSuite(opts: KillOptions): Promise<KillOutcome[]> {
  const scenarios = opts.scenarios ?? SCENARIOS;
  const rng = mulberry32(opts.seed);
  const root = mkdtempSync(join(tmpdir(), 'll-kill9-'));
  const outcomes: KillOutcome[] = [];
  try {
    const base = baseRepo(root);
    // Reference runs that are never killed: what a clean import and synthesis leave, and how long each command takes.
    const duration = new Map<Scenario, number>();
    const reference = new Map<Scenario, Map<string, string>>();
    for (const s of scenarios) {
      const dir = copyRepo(base, root, `ref-${s}`);
      const t = await spawnAndKill(dir, argsOf(s), EXEC(0), 120_000, false);
      duration.set(s, Math.max(50, t.ms));
      if (s === 'import' || s === 'synthesize') reference.set(s, snapshot(join(dir, 'learning-loop'), []));
    }
    const shared = new Map<Scenario, string>();
    let n = 1;
    for (let k = 0; k < opts.kills; k++) {
      const s = scenarios[k % scenarios.length]!;
      // Most of a short command is node starting up: kills land in the second part, where it writes.
      const delayMs = Math.floor(duration.get(s)! * (0.3 + 0.65 * rng()));
      const group = rng() < 0.5;
      // Half the kills come at the moment a temporary file or Git's lock appears.
      const triggered = rng() < 0.5;
      const fresh = s === 'import' || s === 'synthesize';
      let dir = shared.get(s);
      if (fresh || !dir) {
        dir = copyRepo(base, root, fresh ? `run-${s}` : `shared-${s}`);
        if (!fresh) shared.set(s, dir);
      }
      if (s === 'build') writeFileSync(join(dir, 'learning-loop', 'memory', 'short-term', 'executions', 'touch.md'), `---\nkind: rule\nid: touch-${k}\n---\n`); // something to build (an invalid file, too)
      const killed = await spawnAndKill(dir, argsOf(s), EXEC(n++), delayMs, group || (triggered && s === 'record-commit'), triggered ? triggerOf(s, dir) : undefined);
      const leftovers = tempFiles(dir).length;
      const problems: string[] = [];
      let staleLock: string | undefined;
      if (s === 'build') rmSync(join(dir, 'learning-loop', 'memory', 'short-term', 'executions', 'touch.md'), { force: true });
      if (s === 'record' || s === 'record-commit') {
        const r = await recover(dir, argsOf(s), EXEC(n++));
        staleLock = r.staleLock;
        if (r.code !== 0) problems.push(`next ${s} exited ${r.code}: ${r.stdout.slice(0, 400)}`);
        if (s === 'record-commit') {
          try {
            git(dir, 'status', '--porcelain');
          } catch (error) {
            problems.push(`git status failed: ${(error as Error).message}`);
          }
        }
      } else if (fresh) {
        const r = await cli(dir, argsOf(s));
        if (r.code !== 0) problems.push(`next ${s} exited ${r.code}: ${r.stdout.slice(0, 400)}`);
        problems.push(...compare(`${s} after a kill vs a clean ${s}`, reference.get(s)!, snapshot(join(dir, 'learning-loop'), [])));
      }
      problems.push(...(await validateClean(dir)), ...(await buildEqualsClean(dir)));
      const outcome: KillOutcome = { scenario: s, delayMs: triggered ? killed.ms : delayMs, group, triggered, finished: killed.finished, leftovers, ...(staleLock ? { staleLock } : {}), problems };
      outcomes.push(outcome);
      opts.log?.(
        `${String(k + 1).padStart(4)} ${s.padEnd(13)} ${triggered ? 'kill at a file  ' : `kill at ${String(delayMs).padStart(5)} ms`} ${group ? 'group' : 'node '} ${killed.finished ? 'finished first' : `killed after ${String(killed.ms).padStart(4)} ms`} temp files left ${leftovers}${staleLock ? `, stale ${staleLock}` : ''}: ${problems.length ? problems.join('; ') : 'next run ok, equals a clean run'}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return outcomes;
}

/** Totals of a suite run. */
export function summarize(outcomes: readonly KillOutcome[]): { kills: number; killedMidway: number; leftovers: number; withLeftovers: number; staleLocks: number; failures: number } {
  return {
    kills: outcomes.length,
    killedMidway: outcomes.filter((o) => !o.finished).length,
    leftovers: outcomes.reduce((n, o) => n + o.leftovers, 0),
    withLeftovers: outcomes.filter((o) => o.leftovers > 0).length,
    staleLocks: outcomes.filter((o) => o.staleLock).length,
    failures: outcomes.filter((o) => o.problems.length).length,
  };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const kills = arg('--kills', process.argv.includes('--quick') ? 10 : 100);
  const seed = arg('--seed', 1);
  process.stdout.write(`kill -9 suite: ${kills} kills, seed ${seed}\n`);
  const outcomes = await runKillSuite({ seed, kills, log: (l) => process.stdout.write(`${l}\n`) });
  const s = summarize(outcomes);
  process.stdout.write(
    `\n${s.kills} kills (${s.killedMidway} mid-run), ${s.withLeftovers} left temporary files (${s.leftovers} in all), ${s.staleLocks} left a stale Git lock; next run failed or differed from a clean run: ${s.failures}\n`,
  );
  process.exitCode = s.failures ? 1 : 0;
}
