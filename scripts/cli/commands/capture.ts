/** `learning-loop capture`: record an execution from an agent hook (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `capture`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('capture')
    .description('Record an execution from an agent hook (Claude Code Stop/SessionEnd, git post-commit).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`capture` is not available yet.');
    });
}
