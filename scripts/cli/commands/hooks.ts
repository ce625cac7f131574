/** `learning-loop hooks`: Install or remove the Git pre-commit hook. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `hooks`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('hooks')
    .description('Install or remove the Git pre-commit hook.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`hooks` is not available yet.');
    });
}
