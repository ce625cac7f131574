/** `learning-loop build`: Build the records table, search index and aggregates (incremental). (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `build`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('build')
    .description('Build the records table, search index and aggregates (incremental).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`build` is not available yet.');
    });
}
