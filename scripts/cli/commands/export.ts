/** `learning-loop export --to <targets>`: accepted rules into the instruction files agents read. */
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { EXPORT_TARGETS, parseTargets } from '../../core/publish/export.js';
import { runExport } from '../../agents/publish/export-files.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';

interface ExportFlags {
  to: string[];
  check?: boolean;
  includePatterns?: boolean;
  maxRules?: string;
  json?: boolean;
}

/** Registers `export`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('Export accepted rules into AGENTS.md, CLAUDE.md, .claude/rules, .cursor/rules and Copilot instructions (inside marked blocks).')
    .requiredOption('--to <targets...>', `targets: ${EXPORT_TARGETS.join(', ')} or all (repeat or comma-separate)`)
    .option('--check', 'write nothing; exit 1 when any exported file is out of date (for CI)')
    .option('--include-patterns', "also export the strongest accepted patterns and templates' summaries")
    .option('--max-rules <n>', 'most rules in the generated block (default 150)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop export --to all\n  learning-loop export --to agents-md,claude --check\n  learning-loop export --to cursor --include-patterns --json\n\nOnly the block between `<!-- learning-loop:begin -->` and `<!-- learning-loop:end -->` (or files carrying the\nlearning-loop:generated marker) is rewritten; hand-written text is never touched.\nExit codes: 0 written / up to date, 1 out of date (--check) or broken markers, 2 usage error.',
    )
    .action(async (opts: ExportFlags, cmd: Command) => {
      const targets = parseTargets(opts.to);
      if (!Array.isArray(targets)) throw new UsageError(`Unknown export target \`${targets.unknown}\`.`, `Use one of: ${EXPORT_TARGETS.join(', ')}, all.`);
      if (!targets.length) throw new UsageError('No export target given.', 'Example: learning-loop export --to all');
      let maxRules: number | undefined;
      if (opts.maxRules !== undefined) {
        maxRules = Number(opts.maxRules);
        if (!Number.isInteger(maxRules) || maxRules < 1) throw new UsageError('`--max-rules` must be a positive integer.', 'Example: --max-rules 100');
      }
      const ws = ctx.knowledgeBase(cmd, opts.json, { check: Boolean(opts.check), changes: [], unchanged: [], exported: [] });
      if (!ws) return;
      const table = await openIndex(ws).table();
      const result = runExport(ws.repoRoot, table.rows, targets, { check: opts.check, includePatterns: opts.includePatterns, maxRules, config: ws.config });
      // Invalid records are validate's business; export only reports its own problems.
      const failed = hasFailures(result.diagnostics);
      if (opts.json) {
        printJson(ctx.io, {
          ok: !failed,
          check: Boolean(opts.check),
          targets,
          exported: result.ids,
          changes: result.changes,
          unchanged: result.unchanged,
          notes: result.notes,
          diagnostics: diagnosticsJson(result.diagnostics),
        });
      } else {
        reportToStderr(ctx.io, result.diagnostics, ctx.color(cmd));
        const verb = opts.check ? 'out of date' : '';
        for (const c of result.changes) ctx.io.stdout.write(opts.check ? `${c.path}  ${verb}\n` : `${c.action === 'create' ? 'created' : c.action === 'update' ? 'updated' : 'deleted'}  ${c.path}\n`);
        for (const n of result.notes) ctx.io.stdout.write(`note  ${n}\n`);
        if (!result.changes.length && !failed)
          ctx.io.stdout.write(`${result.unchanged.length} file${result.unchanged.length === 1 ? '' : 's'} up to date (${result.ids.length} learning${result.ids.length === 1 ? '' : 's'} exported).\n`);
      }
      ctx.exitCode = failed ? EXIT.PROBLEMS : EXIT.OK;
    });
}
