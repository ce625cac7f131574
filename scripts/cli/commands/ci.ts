/**
 * `learning-loop ci summary|period|pr-body`: the small steps the GitHub workflows run, kept in
 * code (and tested) rather than in workflow shell.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { executionsInOrder } from '../../core/records/table.js';
import { detectAntiPatterns } from '../../core/learn/anti-patterns.js';
import { shouldRunMonthly } from '../../core/learn/schedule.js';
import { addedFiles, capPrBody, DEFAULT_BODY_CAP, renderSummary, summarize, synthesisPeriod, type SummaryFlag } from '../../agents/ci.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { readText, writeText } from '../../io/fs.js';

/** Registers `ci` and its subcommands (once, whoever calls first). */
export function register(program: Command, ctx: CliContext): void {
  const ci = program
    .command('ci')
    .description('Steps the GitHub workflows run: job summary, synthesis period, pull-request body cap.')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop ci summary --base origin/main >> "$GITHUB_STEP_SUMMARY"\n  learning-loop ci period --event schedule --schedule "0 23 * * 0"\n  learning-loop ci pr-body --in report.md --out body.md',
    );

  ci.command('summary')
    .description('Markdown job summary: score cards of the executions added since --base, triggers, anti-pattern flags.')
    .option('--base <ref>', "commit to compare with (the PR base or the push's previous commit); default: HEAD^")
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop ci summary --base "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"')
    .action(async (opts: { base?: string; json?: boolean }, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      const table = await openIndex(ws).table();
      const added = addedFiles(ws, opts.base);
      const flags: SummaryFlag[] = detectAntiPatterns(executionsInOrder(table), ws.config).map((f) => ({ title: `${f.action}: ${f.subject}`, detail: f.message }));
      const s = summarize(table, added, flags);
      if (opts.json) printJson(ctx.io, { ...s, files: added.files });
      else ctx.io.stdout.write(renderSummary(s));
      ctx.exitCode = EXIT.OK;
    });

  ci.command('period')
    .description('Which synthesis this run makes: week, month or none (monthly only on the configured day, the last Friday by default; UTC).')
    .requiredOption('--event <name>', 'the GitHub event name (schedule, workflow_dispatch, …)')
    .option('--schedule <cron>', 'the cron expression that fired', '')
    .option('--period <period>', 'the period asked for by hand (week|month)', '')
    .option('--date <iso>', 'decide as if it were this UTC date (default: now)')
    .option('--json', 'print {"period": …} as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop ci period --event schedule --schedule "0 22 * * 5" --date 2026-11-27')
    .action((opts: { event: string; schedule: string; period: string; date?: string; json?: boolean }, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      const date = opts.date ? new Date(opts.date) : new Date();
      if (Number.isNaN(date.getTime())) throw new UsageError(`--date \`${opts.date}\` is not a date.`, 'Use an ISO date such as 2026-11-27 or 2026-11-27T22:00:00Z.');
      if (opts.period && opts.period !== 'week' && opts.period !== 'month') throw new UsageError(`--period \`${opts.period}\` must be week or month.`);
      const period = synthesisPeriod({ event: opts.event, schedule: opts.schedule, period: opts.period, date, isMonthlyDay: (d) => shouldRunMonthly(d, ws.config) });
      if (opts.json) printJson(ctx.io, { period });
      else ctx.io.stdout.write(`${period}\n`);
      ctx.exitCode = EXIT.OK;
    });

  ci.command('pr-body')
    .description(`Copy a pull-request body, cut below GitHub's 65,536-character limit (default cap ${DEFAULT_BODY_CAP}).`)
    .requiredOption('--in <file>', 'the full report body')
    .requiredOption('--out <file>', 'where to write the capped body')
    .option('--max <chars>', 'cap in characters', String(DEFAULT_BODY_CAP))
    .option('--json', 'print {"chars", "truncated"} as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop ci pr-body --in raw-body.md --out body.md')
    .action((opts: { in: string; out: string; max: string; json?: boolean }) => {
      const max = Number(opts.max);
      if (!Number.isInteger(max) || max < 1000) throw new UsageError(`--max \`${opts.max}\` must be an integer of at least 1000.`);
      let text: string;
      try {
        text = readText(resolve(ctx.io.cwd, opts.in));
      } catch {
        throw new UsageError(`Cannot read --in \`${opts.in}\`.`, 'Pass the file `synthesize --pr-body FILE` wrote.');
      }
      const body = capPrBody(text, max);
      writeText(resolve(ctx.io.cwd, opts.out), body);
      const info = { chars: body.length, truncated: body.length !== text.length };
      if (opts.json) printJson(ctx.io, info);
      else ctx.io.stdout.write(`${opts.out}: ${info.chars} characters${info.truncated ? ' (cut)' : ''}\n`);
      ctx.exitCode = EXIT.OK;
    });
}
