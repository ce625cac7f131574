/** `learning-loop record`: Record an execution: score it, write it, reflect when triggered, optionally commit and push. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `record`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('record')
    .description('Record an execution: score it, write it, reflect when triggered, optionally commit and push.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`record` is not available yet.');
    });
}
