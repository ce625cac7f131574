/** `learning-loop explain [rule-or-id]`: a diagnostic rule from the catalog, or a record and its evidence. */
import type { Command } from 'commander';
import { CATALOG, isRuleId, ruleDocLink } from '../../core/diagnostics/catalog.js';
import { didYouMean } from '../../core/diagnostics/suggest.js';
import { openIndex } from '../../index/api.js';
import { explainRecord, renderDerivedExplanation, renderExplanation } from '../../core/learn/explain-record.js';
import { explainDerivedId } from '../../agents/explain.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { exists } from '../../io/fs.js';

/** Registers `explain`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description(
      'Explain a diagnostic rule id (or list them all), a record id (its statement, status and the executions behind it), or the id of a pattern, theme or effect derived from the history (its statement, evidence and figures).',
    )
    .argument('[id]', 'a rule id such as schema/range, a record id such as rule-handle-timezone-conversions-for-appointments, or a derived id that recall showed')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      "\nExamples:\n  learning-loop explain yaml/alias\n  learning-loop explain rule-handle-timezone-conversions-for-appointments\n  learning-loop explain effect-recall-overall\n\nA record's evidence is derived from the executions that recalled it: a success counts as helpful,\na failure (or a score below patterns.failure_score) as harmful.\nExit codes: 0 explained, 2 neither a rule id, a record id nor a derived id.",
    )
    .action(async (id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      if (id === undefined || isRuleId(id)) {
        const entries = Object.entries(CATALOG).filter(([rule]) => id === undefined || rule === id);
        if (opts.json)
          printJson(
            ctx.io,
            entries.map(([rule, e]) => ({ rule, ...e, docs: ruleDocLink(rule) })),
          );
        else for (const [rule, e] of entries) ctx.io.stdout.write(`${rule}  (${e.severity})\n  ${e.title}\n  ${e.hint.split('\n').join('\n  ')}\n  ${ruleDocLink(rule)}\n\n`);
        ctx.exitCode = EXIT.OK;
        return;
      }
      const ws = ctx.workspace(cmd);
      const rows = exists(ws.kbRoot) ? (await openIndex(ws).table()).rows : [];
      const patterns = (await openIndex(ws).learned.patterns()) ?? [];
      const x = explainRecord(rows, id, ws.config, patterns);
      const d = x ? undefined : await explainDerivedId(ws, rows, id, patterns);
      if (!x && !d) {
        const close = id.includes('/')
          ? Object.keys(CATALOG).filter((k) => k.split('/')[0] === id.split('/')[0])
          : [didYouMean(id, [...rows.map((r) => r.id), ...patterns.map((p) => p.id)])].filter((v): v is string => Boolean(v));
        throw new UsageError(
          `\`${id}\` is neither a diagnostic rule id, the id of a record in ${ws.kbPrefix || 'the knowledge base'} nor a pattern, theme or effect derived from its history.`,
          close.length
            ? `Did you mean: ${close.join(', ')}?`
            : 'Run `learning-loop explain` to list every rule id, `learning-loop list` for record ids, or `learning-loop patterns` for derived patterns.',
        );
      }
      if (opts.json) printJson(ctx.io, x ?? d);
      else ctx.io.stdout.write(x ? renderExplanation(x) : renderDerivedExplanation(d!));
      ctx.exitCode = EXIT.OK;
    });
}
