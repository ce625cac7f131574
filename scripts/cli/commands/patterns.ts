/** `learning-loop patterns`: Extract success, failure, performance and dependency patterns. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `patterns`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('patterns')
    .description('Extract success, failure, performance and dependency patterns.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`patterns` is not available yet.');
    });
}
