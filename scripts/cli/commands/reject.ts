/** `learning-loop reject`: Reject a proposed pattern, rule, template or assumption. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `reject`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('reject')
    .description('Reject a proposed pattern, rule, template or assumption.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`reject` is not available yet.');
    });
}
