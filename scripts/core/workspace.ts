/**
 * The workspace: where the repository, the knowledge base and the build folder are, and the
 * resolved config. Plain data; io/workspace.ts finds it on disk.
 */
import type { ResolvedConfig } from './config.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';

/** Resolved locations and config for one run. */
export interface Workspace {
  /** The Git work tree root (or the start folder when not in Git). */
  repoRoot: string;
  /** True when `repoRoot` is a Git work tree. */
  inGit: boolean;
  /** The knowledge base root (default `<repo>/learning-loop`). */
  kbRoot: string;
  /** KB root relative to the repo root, POSIX, with a trailing slash ('' when they coincide). */
  kbPrefix: string;
  /** Absolute build output folder (git-ignored). */
  outDir: string;
  config: ResolvedConfig;
  configDiagnostics: Diagnostic[];
  configExists: boolean;
  /** What opening the workspace found and did: a change a killed process left half written (`kb/pending-change`). */
  recoveryDiagnostics?: Diagnostic[];
}

/** Display path (repo-relative) for a KB-relative path. */
export function displayPath(ws: Workspace, kbRelative: string): string {
  return `${ws.kbPrefix}${kbRelative}`;
}
