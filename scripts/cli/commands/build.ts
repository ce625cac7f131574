/** `learning-loop build`: records table, recall store and aggregates (incremental). */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { diag, hasFailures, countBySeverity } from '../../core/diagnostics/diagnostic.js';
import { exists, toPosix } from '../../io/fs.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT } from '../io.js';
import { intFlag } from './recall.js';
import type { CliContext } from '../context.js';
import { docRef } from '../docs.js';

/** Registers `build`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('build')
    .description('Build the records table, search index and aggregates (incremental).')
    .option('--full', 'ignore the cache and rebuild everything', false)
    .option('--learn', 'also refresh the derived knowledge recall searches (patterns, themes, effects): done on every build up to 2,000 executions, with this flag at any size')
    .option('--json', 'print one JSON document (summary and diagnostics)')
    .option('--strict', 'exit 1 on warnings too', false)
    .option('--workers <n>', 'worker threads for parsing and indexing (0: none; default: one per core for large builds)')
    .addHelpText(
      'after',
      `\nOnly records whose Git blob changed are parsed again; outputs go to the git-ignored build folder\n(default .learning-loop/build/, layout in ${docRef('build.md')}). Invalid records are reported and left out.\n\nExamples:\n  learning-loop build\n  learning-loop build --full --json\n\nExit codes: 0 built, 1 built but some records are invalid, 2 usage error.`,
    )
    .action(async (opts: { full: boolean; json?: boolean; strict: boolean; workers?: string; learn?: boolean }, cmd: Command) => {
      const workers = intFlag('workers', opts.workers, 0, 64);
      const ws = ctx.workspace(cmd);
      const io = ctx.io;
      if (!exists(ws.kbRoot)) {
        const d = diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbRoot}.`);
        if (opts.json) printJson(io, { ok: false, diagnostics: diagnosticsJson([d]) });
        else io.stderr.write(formatPretty([d], ctx.color(cmd)));
        ctx.exitCode = EXIT.PROBLEMS;
        return;
      }
      // Progress only on an interactive terminal, and never in JSON mode.
      const progress = io.isTTY && !opts.json;
      let last = '';
      const result = await openIndex(ws).build({
        full: opts.full,
        workers,
        onProgress: progress
          ? (phase, done, total) => {
              const line = `\r${phase} ${done}/${total}`;
              if (line !== last && total > 500) io.stderr.write(line);
              last = line;
            }
          : undefined,
      });
      if (progress && last) io.stderr.write('\r\u001b[K');
      // Derived knowledge (patterns, themes, effects) follows the build: always with --learn, and
      // for small histories on every build that changed something.
      const learned = await openIndex(ws).learned.refresh({ force: Boolean(opts.learn) });
      const all = [...result.cacheDiagnostics, ...result.diagnostics];
      const out = toPosix(relative(ws.repoRoot, result.outDir)) || '.';
      const summary = {
        ok: !hasFailures(result.diagnostics, opts.strict),
        outDir: out,
        records: result.records,
        files: result.files,
        parsed: result.stats.parsed,
        cached: result.stats.cached,
        changed: result.stats.changed.length,
        written: result.stats.written.length,
        removed: result.stats.removed.length,
        segments: { total: result.stats.segments, rebuilt: result.stats.segmentsRebuilt },
        scan: result.stats.scan,
        learned,
        summary: countBySeverity(all),
      };
      if (opts.json) {
        printJson(io, { ...summary, diagnostics: diagnosticsJson(all) });
      } else {
        const text = formatPretty(all, ctx.color(cmd));
        if (text) io.stderr.write(text);
        io.stdout.write(
          `Built ${result.records} record${result.records === 1 ? '' : 's'} from ${result.files} file${result.files === 1 ? '' : 's'} into ${out}/ ` +
            `(${result.stats.parsed} parsed, ${result.stats.cached} cached; ${result.stats.written.length} output file${result.stats.written.length === 1 ? '' : 's'} written).\n`,
        );
      }
      ctx.exitCode = summary.ok ? EXIT.OK : EXIT.PROBLEMS;
    });
}
