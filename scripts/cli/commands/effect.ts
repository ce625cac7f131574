/** `learning-loop effect [--json] [--strata a,b] [--learning ID]`: the effect of recall on outcomes, like for like. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../io.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { openIndex } from '../../index/api.js';
import { executionsInOrder } from '../../core/records/table.js';
import { effectOfRecall, renderEffect } from '../../core/learn/effect.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { skippedNote } from '../skipped.js';

const STRATA = ['task_type', 'component', 'week', 'agent', 'domain', 'sprint'] as const;

/** Registers `effect`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('effect')
    .description('The effect of recall on outcomes, like for like: executions that recalled learnings vs comparable ones that did not (Mantel–Haenszel over strata of comparable work), overall, per agent and per learning.')
    .option('--json', 'print one JSON document (fields: overall, naive, agents, learnings, arms; odds_ratio, ci_low, ci_high, p_value, risk_difference, helpful, harmful, verdict)')
    .option('--strata <list>', `what makes executions comparable, comma-separated from ${STRATA.join(', ')} (default: config statistics.strata)`)
    .option('--learning <id...>', 'report only these learnings')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop effect\n  learning-loop effect --json\n  learning-loop effect --strata task_type,component --learning rule-validate-square-webhook-signatures\n\nVerdicts: helps / harms when the test is significant (p < statistics.alpha; per learning q < statistics.fdr,\nBenjamini–Hochberg), unclear otherwise. Groups of comparable work without both kinds of execution carry no\ninformation and are counted apart. Methods: docs/learning.md#effect-of-memory.\nExit codes: 0 ok, 1 the knowledge base has invalid records (skipped, and counted), 2 usage error.',
    )
    .action(async (opts: { json?: boolean; strata?: string; learning?: string[] }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const config = structuredClone(ws.config);
      if (opts.strata !== undefined) {
        const list = opts.strata.split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((s) => !(STRATA as readonly string[]).includes(s));
        if (bad.length) throw new UsageError(`--strata: unknown ${bad.map((b) => `\`${b}\``).join(', ')}; use ${STRATA.join(', ')}.`);
        config.statistics.strata = list as typeof config.statistics.strata;
      }
      const table = await openIndex(ws).table();
      const report = effectOfRecall(executionsInOrder(table), config, opts.learning ? { learnings: opts.learning } : {});
      const skipped = skippedNote(table.diagnostics);
      if (opts.json) printJson(ctx.io, { ok: !hasFailures(table.diagnostics), ...report, ...(skipped ? { skipped: skipped.count } : {}), diagnostics: diagnosticsJson(table.diagnostics) });
      else {
        reportToStderr(ctx.io, table.diagnostics.filter((d) => d.severity !== 'info'), ctx.color(cmd));
        ctx.io.stdout.write(renderEffect(report) + (skipped ? `\n${skipped.text}\n` : ''));
      }
      ctx.exitCode = hasFailures(table.diagnostics) ? EXIT.PROBLEMS : EXIT.OK;
    });
}
