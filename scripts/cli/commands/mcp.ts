/** `learning-loop mcp`: serve recall/get/similar/record/reflect/dashboard to coding agents over MCP (stdio). */
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../../mcp/server.js';
import type { CliContext } from '../context.js';
import { docRef } from '../docs.js';

/** Registers `mcp`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('Serve the tools recall, get, similar, record, reflect and dashboard to coding agents over MCP (stdio).')
    .addHelpText(
      'after',
      `\nStdout carries the MCP protocol only; logs go to stderr.\n\nExamples:\n  learning-loop mcp\n  claude mcp add learning-loop -- npx learning-loop mcp\n\nSee ${docRef('agents.md')} for Cursor, VS Code and Codex.`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      const server = createMcpServer(ws);
      const transport = new StdioServerTransport();
      await server.connect(transport);
      // Serve until the client closes stdin.
      await new Promise<void>((resolve) => {
        server.server.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
        process.stdin.once('close', () => resolve());
      });
      await server.close();
    });
}
