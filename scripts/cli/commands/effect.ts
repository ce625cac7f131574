/** `learning-loop effect [--json] [--strata a,b] [--learning ID]`: the effect of recall on outcomes, like for like. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../io.js';
import { diagnosticsJson, formatPretty, printJson, reportToStderr } from '../output.js';
import { openIndex } from '../../index/api.js';
import { executionsInOrder } from '../../core/records/table.js';
import { effectOfRecall, renderEffect } from '../../core/learn/effect.js';
import { diag, hasFailures, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { didYouMean } from '../../core/diagnostics/suggest.js';
import type { ExecutionRecord } from '../../core/records/kinds.js';
import { skippedNote } from '../skipped.js';

const STRATA = ['task_type', 'component', 'week', 'agent', 'domain', 'sprint'] as const;

/** Registers `effect`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('effect')
    .description(
      'The effect of recall on outcomes, like for like: executions that recalled learnings vs comparable ones that did not (Mantel–Haenszel over strata of comparable work), overall, per agent and per learning.',
    )
    .option('--json', 'print one JSON document (fields: overall, naive, agents, learnings, arms; odds_ratio, ci_low, ci_high, p_value, risk_difference, helpful, harmful, verdict)')
    .option('--strata <list>', `what makes executions comparable, comma-separated from ${STRATA.join(', ')} (default: config statistics.strata)`)
    .option('--learning <id...>', 'report only these learnings')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop effect\n  learning-loop effect --json\n  learning-loop effect --strata task_type,component --learning rule-validate-square-webhook-signatures\n\nVerdicts: helps / harms when the test is significant (p < statistics.alpha; per learning q < statistics.fdr,\nBenjamini–Hochberg), unclear otherwise. Groups of comparable work without both kinds of execution carry no\ninformation and are counted apart. Methods: docs/learning.md#effect-of-memory.\n--learning with an id no execution recalled says so; an id that is neither a record nor recalled is a usage error.\nExit codes: 0 ok, 1 the knowledge base has invalid records (skipped, and counted), 2 usage error.',
    )
    .action(async (opts: { json?: boolean; strata?: string; learning?: string[] }, cmd: Command) => {
      const strata = opts.strata === undefined ? undefined : parseStrata(opts.strata);
      if (strata && 'problem' in strata) return usage(ctx, cmd, opts.json, [strata.problem]);
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const config = structuredClone(ws.config);
      if (strata) config.statistics.strata = strata.list;
      const table = await openIndex(ws).table();
      const history = executionsInOrder(table);
      if (opts.learning) {
        const unknown = unknownLearnings(
          opts.learning,
          history,
          table.rows.map((r) => r.id),
        );
        if (unknown.length) return usage(ctx, cmd, opts.json, unknown);
      }
      const report = effectOfRecall(history, config, opts.learning ? { learnings: opts.learning } : {});
      const skipped = skippedNote(table.diagnostics);
      if (opts.json) printJson(ctx.io, { ok: !hasFailures(table.diagnostics), ...report, ...(skipped ? { skipped: skipped.count } : {}), diagnostics: diagnosticsJson(table.diagnostics) });
      else {
        reportToStderr(
          ctx.io,
          table.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        ctx.io.stdout.write(renderEffect(report) + (skipped ? `\n${skipped.text}\n` : ''));
      }
      ctx.exitCode = hasFailures(table.diagnostics) ? EXIT.PROBLEMS : EXIT.OK;
    });
}

const STRATA_HINT = `Use one or more of ${STRATA.join(', ')}, comma-separated, e.g. --strata task_type,component,week.`;

/** `--strata` as a list of known fields, or the problem with it (empty, or an unknown field). */
function parseStrata(value: string): { list: Array<(typeof STRATA)[number]> } | { problem: Diagnostic } {
  const list = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (!list.length)
    return { problem: diag('input/flag', '<flags>', `--strata: no field given${value.trim() ? ` (\`${value}\`)` : ''}; executions must be compared within something.`, { hint: STRATA_HINT }) };
  const bad = list.filter((s) => !(STRATA as readonly string[]).includes(s));
  if (bad.length) {
    const close = didYouMean(bad[0]!, STRATA);
    return { problem: diag('input/flag', '<flags>', `--strata: unknown ${bad.map((b) => `\`${b}\``).join(', ')}.`, { hint: `${close ? `Did you mean \`${close}\`? ` : ''}${STRATA_HINT}` }) };
  }
  return { list: list as Array<(typeof STRATA)[number]> };
}

/** `--learning` ids that are neither a record nor recalled by any execution, with the closest known id. */
function unknownLearnings(ids: readonly string[], history: readonly ExecutionRecord[], recordIds: readonly string[]): Diagnostic[] {
  const recalled = new Set(history.flatMap((e) => e.recalled ?? []));
  const known = new Set([...recalled, ...recordIds]);
  return [...new Set(ids)]
    .filter((id) => !known.has(id))
    .map((id) => {
      // A recalled learning is the likelier meaning; any record id otherwise.
      const close = didYouMean(id, recalled) ?? didYouMean(id, known);
      return diag('input/not-found', '<flags>', `--learning: \`${id}\` is not a record and no execution recalled it.`, {
        hint: close ? `Did you mean \`${close}\`?` : 'Ids that executions recalled are listed by `learning-loop effect --json` (learnings[].id).',
      });
    });
}

/** Prints usage problems (one JSON document with --json) and sets exit code 2. */
function usage(ctx: CliContext, cmd: Command, json: boolean | undefined, problems: Diagnostic[]): void {
  if (json) printJson(ctx.io, { ok: false, diagnostics: diagnosticsJson(problems) });
  else ctx.io.stderr.write(formatPretty(problems, ctx.color(cmd)));
  ctx.exitCode = EXIT.USAGE;
}
