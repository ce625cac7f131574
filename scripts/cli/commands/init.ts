/** `learning-loop init`: Create the knowledge base structure and config (with --example: the seed patterns). (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `init`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('init')
    .description('Create the knowledge base structure and config (with --example: the seed patterns).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`init` is not available yet.');
    });
}
