/** `learning-loop watch`: Rebuild incrementally on every change and report diagnostics. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `watch`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('watch')
    .description('Rebuild incrementally on every change and report diagnostics.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`watch` is not available yet.');
    });
}
