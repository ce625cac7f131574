/** `learning-loop accept`: Accept a proposed pattern, rule, template or assumption. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `accept`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('accept')
    .description('Accept a proposed pattern, rule, template or assumption.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`accept` is not available yet.');
    });
}
