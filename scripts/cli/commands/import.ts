/**
 * `learning-loop import <format> <path>`: existing agent memories become proposed records;
 * `learning-loop import executions FILE...`: a whole execution history in one process and one commit.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { IMPORT_FORMATS, isImportFormat, runImport } from '../../agents/import/index.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { registerExecutions } from './import-executions.js';
import { exists } from '../../io/fs.js';

/** Registers `import` (and its `executions` subcommand). */
export function register(program: Command, ctx: CliContext): void {
  const command = program
    .command('import')
    .description(
      'Import existing agent memories (Claude memory, Cline memory bank, AGENTS.md, Cursor rules, .learnings, docs/solutions) as proposed records; `import executions` brings in execution histories.',
    )
    .argument('<format>', `one of: ${IMPORT_FORMATS.join(', ')} (or \`executions\`: see \`import executions --help\`)`)
    .argument('<path>', 'file or folder to import from')
    .option('--dry-run', 'report what would be imported; write nothing')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop import agents-md AGENTS.md --dry-run\n  learning-loop import executions history.jsonl --commit   (a whole execution history; see `import executions --help`)\n  learning-loop import cline .\n  learning-loop import claude-memory ~/.claude/projects/my-project/memory --json\n\nImported records are `status: proposed` with provenance (source, format, digest): review them with\n`learning-loop accept` / `reject`. Re-importing the same source writes nothing new; near-duplicates of\nexisting learnings are reported for merging. Files are written, not committed.\nExit codes: 0 imported (or nothing new), 1 some files or entries had problems, 2 usage error.',
    )
    .action(async (format: string, path: string, opts: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
      if (!isImportFormat(format)) throw new UsageError(`Unknown import format \`${format}\`.`, `Use one of: ${IMPORT_FORMATS.join(', ')}.`);
      const abs = resolve(ctx.io.cwd, path);
      if (!exists(abs)) throw new UsageError(`\`${path}\` does not exist.`, 'Pass the memory file or folder to import.');
      const ws = ctx.knowledgeBase(cmd, opts.json, { dry_run: Boolean(opts.dryRun), format, sources: [], imported: [], duplicates: 0, near_duplicates: 0, skipped_secrets: 0 });
      if (!ws) return;
      const result = await runImport(ws, format, abs, { dryRun: opts.dryRun });
      const failed = hasFailures(result.diagnostics);
      if (opts.json) {
        printJson(ctx.io, {
          ok: !failed,
          dry_run: Boolean(opts.dryRun),
          format,
          sources: result.sources,
          imported: result.records,
          duplicates: result.duplicates,
          near_duplicates: result.nearDuplicates,
          skipped_secrets: result.secrets,
          diagnostics: diagnosticsJson(result.diagnostics),
        });
      } else {
        reportToStderr(
          ctx.io,
          result.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        for (const r of result.records) ctx.io.stdout.write(`${opts.dryRun ? 'would import' : 'imported'}  ${r.kind}  ${r.id}  ${r.path}  (from ${r.source})\n`);
        ctx.io.stdout.write(
          `${result.records.length} ${opts.dryRun ? 'to import' : 'imported'} as proposed from ${result.sources.length} file${result.sources.length === 1 ? '' : 's'}; ${result.duplicates} already imported, ${result.nearDuplicates} near-duplicate${result.nearDuplicates === 1 ? '' : 's'}, ${result.secrets} skipped for secrets.\n`,
        );
      }
      ctx.exitCode = failed ? EXIT.PROBLEMS : EXIT.OK;
    });
  registerExecutions(command, ctx);
}
