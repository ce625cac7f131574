/** `learning-loop synthesize --period week|month [--date D] [--dry-run] [--json] [--pr-body FILE]`. */
import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../io.js';
import { printJson, reportToStderr } from '../output.js';
import { openIndex } from '../../index/api.js';
import { patternCommitCounts } from '../../io/git.js';
import { synthesize, type Period } from '../../core/learn/synthesis.js';
import { applyChanges } from '../../agents/apply.js';
import { shouldRunMonthly, shouldRunWeekly } from '../../core/learn/schedule.js';
import { writeFileAtomic } from '../../io/fs.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { findStaleLearnings } from '../../agents/staleness.js';
import { plural } from '../../core/diagnostics/words.js';

/** Registers `synthesize`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('synthesize')
    .description('Weekly/monthly synthesis: top patterns, proposed rules, archivals, merges, metrics snapshot and a report, as files for a pull request.')
    .addOption(new Option('--period <period>', 'week or month').choices(['week', 'month']).default('week'))
    .option('--date <date>', 'a day inside the period, YYYY-MM-DD (default: today, UTC)')
    .option('--dry-run', 'compute and print, write nothing')
    .option('--json', 'print one JSON document (includes pr_body and the planned changes)')
    .option('--pr-body <file>', 'also write the pull-request body (Markdown) to this file')
    .option('--if-scheduled', 'do nothing unless the date is the configured weekly day / monthly day (last Friday by default)')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop synthesize --period week\n  learning-loop synthesize --period month --date 2026-11-27 --dry-run --json\n  learning-loop synthesize --period week --pr-body /tmp/pr.md && git add learning-loop\n\nRunning it twice on the same history writes nothing new. Exit codes: 0 ok, 1 invalid records in the knowledge base, 2 usage error.',
    )
    .action(async (opts: { period: Period; date?: string; dryRun?: boolean; json?: boolean; prBody?: string; ifScheduled?: boolean }, cmd: Command) => {
      if (opts.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(new Date(`${opts.date}T00:00:00Z`).getTime())))
        throw new UsageError(`--date must be a day as YYYY-MM-DD, not \`${opts.date}\`.`, 'Example: --date 2026-11-22');
      const date = opts.date ?? new Date().toISOString().slice(0, 10);
      const ws = ctx.workspace(cmd);
      if (opts.ifScheduled && !(opts.period === 'week' ? shouldRunWeekly(date, ws.config) : shouldRunMonthly(date, ws.config))) {
        const why = `${date} is not the scheduled ${opts.period === 'week' ? `weekly day (${ws.config.schedule.weekly})` : `monthly day (${ws.config.schedule.monthly})`}; nothing to do.`;
        if (opts.json) printJson(ctx.io, { ok: true, scheduled: false, message: why });
        else ctx.io.stdout.write(`${why}\n`);
        return;
      }
      if (!ctx.knowledgeBase(cmd, opts.json)) return;
      const table = await openIndex(ws).table();
      const stale = await findStaleLearnings(ws, table.rows);
      const result = synthesize(table, ws.config, opts.period, date, await patternCommitCounts(ws), { stale });
      const written = opts.dryRun ? [] : applyChanges(ws, result.changes);
      if (opts.prBody) writeFileAtomic(resolve(ctx.io.cwd, opts.prBody), result.pr_body);
      if (opts.json) {
        printJson(ctx.io, {
          ok: !hasFailures(table.diagnostics),
          scheduled: true,
          period: result.period,
          id: result.record.id,
          summary: result.summary,
          top_patterns: result.top_patterns.map((p) => p.id),
          changes: result.changes.map((c) => ({ path: `${ws.kbPrefix}${c.path}`, action: c.action, id: c.id, reason: c.reason })),
          written,
          dry_run: Boolean(opts.dryRun),
          pr_body: result.pr_body,
        });
      } else {
        reportToStderr(
          ctx.io,
          table.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        const s = result.summary;
        ctx.io.stdout.write(
          `${result.record.title} (${result.period.start} → ${result.period.end})\n` +
            `${plural(s.executions, 'execution')}, ${plural(s.reflections, 'reflection')}, ${plural(s.patterns_identified, 'pattern')}, ${plural(s.rules_proposed, 'new rule')}, ${plural(s.archived, 'archival')}, ${plural(s.merges, 'merge')}, ${plural(s.flags, 'flag')}.\n` +
            (opts.dryRun
              ? `Would write ${plural(result.changes.length, 'file')}:\n${result.changes.map((c) => `  ${c.action} ${ws.kbPrefix}${c.path}`).join('\n')}\n`
              : written.length
                ? `Wrote ${plural(written.length, 'file')}:\n${written.map((w) => `  ${w}`).join('\n')}\n`
                : 'Everything is up to date (no file changed).\n'),
        );
      }
      ctx.exitCode = hasFailures(table.diagnostics) ? EXIT.PROBLEMS : EXIT.OK;
    });
}
