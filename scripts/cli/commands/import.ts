/** `learning-loop import`: Import existing agent memories as proposed records. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `import`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('import')
    .description('Import existing agent memories as proposed records.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`import` is not available yet.');
    });
}
