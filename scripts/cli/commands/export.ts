/** `learning-loop export`: Export accepted rules into AGENTS.md, CLAUDE.md, Cursor and Copilot files. (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `export`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('export')
    .description('Export accepted rules into AGENTS.md, CLAUDE.md, Cursor and Copilot files.')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`export` is not available yet.');
    });
}
