/** `learning-loop dashboard`: Show the dashboard metrics and success criteria. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `dashboard`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('dashboard')
    .description('Show the dashboard metrics and success criteria.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`dashboard` is not available yet.');
    });
}
