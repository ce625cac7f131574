/**
 * Workspace: where the repository, the knowledge base and the build folder are, plus the
 * loaded config. The only place that decides paths, so every command agrees on them.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig } from './config.js';
import type { Workspace } from '../core/workspace.js';
import { toPosix } from './fs.js';
import { finishPendingChanges } from './changeset.js';

/** Options to open a workspace. */
export interface WorkspaceOptions {
  cwd?: string;
  /** Knowledge-base root (absolute or relative to cwd). Env `LEARNING_LOOP_ROOT` also works. */
  root?: string;
  /** Build folder override. */
  outDir?: string;
}

/** Finds the enclosing Git work tree by looking for `.git` (no process spawn). */
export function findGitRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Opens the workspace: finds the roots and loads config/triggers.yaml. */
export function openWorkspace(opts: WorkspaceOptions = {}): Workspace {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const rootOpt = opts.root ?? process.env.LEARNING_LOOP_ROOT;
  const gitRoot = findGitRoot(rootOpt ? resolve(cwd, rootOpt) : cwd);
  const repoRoot = gitRoot ?? cwd;
  const kbRoot = rootOpt ? (isAbsolute(rootOpt) ? rootOpt : resolve(cwd, rootOpt)) : join(repoRoot, 'learning-loop');
  let kbPrefix = toPosix(relative(repoRoot, kbRoot));
  if (kbPrefix.startsWith('..')) kbPrefix = toPosix(kbRoot);
  if (kbPrefix && !kbPrefix.endsWith('/')) kbPrefix += '/';
  const cfg = loadConfig(kbRoot, kbPrefix);
  const outDir = opts.outDir ? resolve(cwd, opts.outDir) : resolve(repoRoot, cfg.config.build.out_dir);
  // A change a killed process left half written is finished before anything reads the records.
  const recoveryDiagnostics = finishPendingChanges(kbRoot, outDir, toPosix(relative(repoRoot, outDir)) || '.');
  return {
    repoRoot,
    inGit: gitRoot !== undefined,
    kbRoot,
    kbPrefix,
    outDir,
    config: cfg.config,
    configDiagnostics: cfg.diagnostics,
    configExists: cfg.exists,
    ...(recoveryDiagnostics.length ? { recoveryDiagnostics } : {}),
  };
}
