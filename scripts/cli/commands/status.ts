/** `learning-loop status [--json]`: what waits for a reviewer this morning (like `changeset status`). */
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { findStaleLearnings } from '../../agents/staleness.js';
import { renderStatus, statusReport } from '../../core/learn/status.js';
import { targetsInUse } from '../../core/publish/export.js';
import { repoView, runExport } from '../../agents/publish/export-files.js';
import { printJson } from '../output.js';
import { EXIT } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `status`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('What waits for a person: open reflections without a root cause, proposals to review, stale learnings, exported files out of date, invalid records.')
    .option('--json', 'print one JSON document: {clean, open_reflections, proposals, stale, exports, invalid}')
    .addHelpText(
      'after',
      '\nExported files are checked for the targets the repository already uses (files with a learning-loop\nblock or generated rule files); stale learnings need Git history.\n\nExamples:\n  learning-loop status\n  learning-loop status --json | jq .proposals\n\nExit codes: 0 nothing waits, 1 something waits (listed), 2 usage error.',
    )
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json, { clean: false });
      if (!ws) return;
      const table = await openIndex(ws).table();
      const stale = await findStaleLearnings(ws, table.rows);
      const inUse = targetsInUse(repoView(ws.repoRoot));
      const exported = inUse.targets.length
        ? runExport(ws.repoRoot, table.rows, inUse.targets, { check: true, includePatterns: inUse.includePatterns, config: ws.config }).diagnostics.filter((d) => d.rule === 'export/out-of-date')
        : [];
      const report = statusReport(table.rows, table.diagnostics, { stale, exports: exported });
      if (opts.json) printJson(ctx.io, report);
      else ctx.io.stdout.write(renderStatus(report));
      ctx.exitCode = report.clean ? EXIT.OK : EXIT.PROBLEMS;
    });
}
