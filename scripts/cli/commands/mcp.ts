/** `learning-loop mcp`: Serve recall/record tools over MCP (stdio). (placeholder until its issue lands). */
import type { Command } from 'commander';
import { UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `mcp`. */
export function register(program: Command, _ctx: CliContext): void {
  program
    .command('mcp')
    .description('Serve recall/record tools over MCP (stdio).')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      throw new UsageError('`mcp` is not available yet.');
    });
}
