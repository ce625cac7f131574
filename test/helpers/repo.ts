/**
 * Test helpers: temporary real Git repositories (and bare remotes), and the CLI run in-process
 * or as a real process.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCliInProcess } from '../../tools/bench/cli.js';

/** Absolute path of the repository under test. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI launcher (run `npm run build:ts` first; `npm test` does). */
export const CLI_BIN = join(REPO_ROOT, 'bin', 'learning-loop.js');

const cleanups: string[] = [];

/** Runs git in a folder and returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates a temporary Git repository with an identity, optionally with files. */
export function tempRepo(files: Record<string, string> = {}, opts: { commit?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-test-'));
  cleanups.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeFiles(dir, files);
  if (opts.commit && Object.keys(files).length) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'fixture');
  }
  return dir;
}

/** Creates a temporary folder that is not a Git repository. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-test-'));
  cleanups.push(dir);
  return dir;
}

/** Writes files (paths relative to `dir`). */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

/** Removes every temporary folder created so far (call from afterAll). */
export function cleanupTemp(): void {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Result of a CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast; same code path as the binary). */
export async function runCli(cwd: string, args: string[], opts: { stdin?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  return runCliInProcess(cwd, args, opts.stdin ?? '', opts.env);
}

/**
 * `record` flags from fields: `{ 'task-id': 'A-1', domains: ['a', 'b'] }` →
 * `['record', '--task-id', 'A-1', '--domains', 'a', '--domains', 'b']` (a list repeats its flag).
 */
export function recordArgs(fields: Record<string, string | number | readonly string[]>, ...extra: string[]): string[] {
  const flags = Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap((x) => [`--${k}`, String(x)]) : [`--${k}`, String(v)]));
  return ['record', ...extra, ...flags];
}

/** Runs `node <args>` as a real process and collects its output. */
export function spawnNode(args: string[], opts: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', GIT_TERMINAL_PROMPT: '0', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/** Runs the built CLI as a real process. */
export function spawnCli(cwd: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return spawnNode([CLI_BIN, ...args], { cwd, ...opts });
}
