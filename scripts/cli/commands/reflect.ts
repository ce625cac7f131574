/** `learning-loop reflect`: Write the reflection an execution calls for (root cause, template, assumption review). (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `reflect`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('reflect')
    .description('Write the reflection an execution calls for (root cause, template, assumption review).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`reflect` is not available yet.');
    });
}
