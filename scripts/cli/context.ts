/**
 * What each command receives: the I/O port, colour choice and helpers to open the workspace.
 */
import type { Command } from 'commander';
import { openWorkspace } from '../io/workspace.js';
import { type Workspace } from '../core/workspace.js';
import { diag } from '../core/diagnostics/diagnostic.js';
import { diagnosticsJson, formatPretty, printJson, useColor } from './output.js';
import { EXIT } from './io.js';
import type { CliIo } from './io.js';
import { exists } from '../io/fs.js';

/** Per-run CLI context shared by all commands. */
export interface CliContext {
  io: CliIo;
  /** Set by a command's action; returned by `main`. */
  exitCode: number;
  /** Whether pretty output is coloured. */
  color: (cmd?: Command) => boolean;
  /** Opens the workspace honouring the global `--root` option. */
  workspace: (cmd: Command) => Workspace;
  /**
   * Opens the workspace and checks that the knowledge base exists. When it does not, reports
   * `kb/missing` (one JSON document with `json`, else on stderr), sets exit code 1 and returns
   * undefined. `extra` adds the command's usual JSON fields to that document.
   */
  knowledgeBase: (cmd: Command, json?: boolean, extra?: Record<string, unknown>) => Workspace | undefined;
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
    knowledgeBase: (cmd, json, extra = {}) => {
      const ws = ctx.workspace(cmd);
      if (exists(ws.kbRoot)) return ws;
      const d = diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbRoot}; nothing was read or written.`, {
        hint: 'Run `learning-loop init` (add --example for the seed patterns), or pass --root <dir>.',
      });
      if (json) printJson(io, { ok: false, ...extra, diagnostics: diagnosticsJson([d]) });
      else io.stderr.write(formatPretty([d], ctx.color(cmd)));
      ctx.exitCode = EXIT.PROBLEMS;
      return undefined;
    },
  };
  return ctx;
}

/** A command module: registers itself on the program. */
export type CommandModule = (program: Command, ctx: CliContext) => void;
