/** `learning-loop synthesize`: Write the weekly or monthly synthesis. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `synthesize`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('synthesize')
    .description('Write the weekly or monthly synthesis.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`synthesize` is not available yet.');
    });
}
