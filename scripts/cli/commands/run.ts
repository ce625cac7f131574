/** `learning-loop run`: Run a command with learning: recall before, record and reflect after. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `run`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('run')
    .description('Run a command with learning: recall before, record and reflect after.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`run` is not available yet.');
    });
}
