/**
 * What each command receives: the I/O port, colour choice and helpers to open the workspace.
 */
import type { Command } from 'commander';
import { openWorkspace, type Workspace } from '../adapters/workspace.js';
import { useColor } from './output.js';
import type { CliIo } from './io.js';

/** Per-run CLI context shared by all commands. */
export interface CliContext {
  io: CliIo;
  /** Set by a command's action; returned by `main`. */
  exitCode: number;
  /** Whether pretty output is coloured. */
  color: (cmd?: Command) => boolean;
  /** Opens the workspace honouring the global `--root` option. */
  workspace: (cmd: Command) => Workspace;
}

/** Builds the context for one `main` call. */
export function createContext(io: CliIo): CliContext {
  const ctx: CliContext = {
    io,
    exitCode: 0,
    color: (cmd) => useColor(io, cmd ? (cmd.optsWithGlobals() as { color?: boolean }).color : undefined),
    workspace: (cmd) => {
      const opts = cmd.optsWithGlobals() as { root?: string };
      return openWorkspace({ cwd: io.cwd, root: opts.root });
    },
  };
  return ctx;
}

/** A command module: registers itself on the program. */
export type CommandModule = (program: Command, ctx: CliContext) => void;
