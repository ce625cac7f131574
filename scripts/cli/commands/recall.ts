/** `learning-loop recall`: Answer a question from past learnings (rules, patterns, executions, templates). (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `recall`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('recall')
    .description('Answer a question from past learnings (rules, patterns, executions, templates).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`recall` is not available yet.');
    });
}
