/** `learning-loop watch`: rebuild incrementally on every change to the knowledge base. */
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { diag } from '../../core/diagnostics/diagnostic.js';
import { diagnosticsJson, formatPretty } from '../output.js';
import { EXIT } from '../io.js';
import type { CliContext } from '../context.js';
import { plural } from '../../core/diagnostics/words.js';
import { exists } from '../../io/fs.js';

/** Registers `watch`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .description('Watch the knowledge base and rebuild incrementally on every change.')
    .option('--json', 'print one JSON line per rebuild (newline-delimited JSON)')
    .option('--poll', 'poll the file system instead of using change events')
    .addHelpText(
      'after',
      '\nRuns a build, then rebuilds after each change (atomic saves, deletions and renames included)\nand prints the diagnostics that appeared or went away. Stop with Ctrl-C.\n\nExamples:\n  learning-loop watch\n  learning-loop watch --json | jq .records',
    )
    .action(async (opts: { json?: boolean; poll?: boolean }, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      const io = ctx.io;
      const color = ctx.color(cmd);
      if (!exists(ws.kbRoot)) {
        io.stderr.write(formatPretty([diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbRoot}.`)], color));
        ctx.exitCode = EXIT.PROBLEMS;
        return;
      }
      const watcher = await openIndex(ws).watch({
        usePolling: opts.poll ?? false,
        onBuild: (e) => {
          if (opts.json) {
            io.stdout.write(
              `${JSON.stringify({ seq: e.seq, ms: e.ms, records: e.result.records, parsed: e.result.stats.parsed, changed: e.result.stats.changed, added: diagnosticsJson(e.added), fixed: diagnosticsJson(e.fixed), errors: e.result.diagnostics.filter((d) => d.severity === 'error').length })}\n`,
            );
            return;
          }
          const changed = e.result.stats.changed;
          io.stdout.write(`[${e.seq}] ${plural(e.result.records, 'record')}, ${changed.length} changed${changed.length && changed.length <= 3 ? ` (${changed.join(', ')})` : ''}, ${e.ms} ms\n`);
          if (e.added.length) io.stdout.write(formatPretty(e.added, color));
          if (e.fixed.length) io.stdout.write(`    ${e.fixed.length} problem${e.fixed.length === 1 ? '' : 's'} fixed\n`);
        },
        onError: (error) => io.stderr.write(`learning-loop watch: ${(error as Error).message ?? String(error)}\n`),
      });
      await watcher.ready;
      if (!opts.json) io.stderr.write(`Watching ${ws.kbPrefix || ws.kbRoot} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await watcher.close();
      ctx.exitCode = EXIT.OK;
    });
}
