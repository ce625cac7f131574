/** `learning-loop demo`: The main job on the example knowledge base: validate, build, learn, publish. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `demo`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('demo')
    .description('The main job on the example knowledge base: validate, build, learn, publish.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`demo` is not available yet.');
    });
}
