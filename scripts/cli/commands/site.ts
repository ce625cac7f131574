/** `learning-loop site`: Build or preview the static learnings site. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `site`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('site')
    .description('Build or preview the static learnings site.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`site` is not available yet.');
    });
}
