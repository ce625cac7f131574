/** `learning-loop similar`: Find past executions similar to a task. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `similar`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('similar')
    .description('Find past executions similar to a task.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`similar` is not available yet.');
    });
}
