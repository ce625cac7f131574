/** `learning-loop explain [rule-or-id]`: a diagnostic rule from the catalog, or a record and its evidence. */
import type { Command } from 'commander';
import { CATALOG, isRuleId, ruleDocLink } from '../../core/diagnostics/catalog.js';
import { didYouMean } from '../../core/diagnostics/suggest.js';
import { openIndex } from '../../index/api.js';
import { explainRecord, renderExplanation } from '../../core/learn/explain-record.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { exists } from '../../io/fs.js';

/** Registers `explain`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('Explain a diagnostic rule id (or list them all), or a record id: its statement, status and the executions behind it.')
    .argument('[id]', 'a rule id such as schema/range, or a record id such as rule-handle-timezone-conversions-for-appointments')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop explain yaml/alias\n  learning-loop explain rule-handle-timezone-conversions-for-appointments\n\nA record\'s evidence is derived from the executions that recalled it: a success counts as helpful,\na failure (or a score below patterns.failure_score) as harmful.\nExit codes: 0 explained, 2 neither a rule id nor a record id.',
    )
    .action(async (id: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      if (id === undefined || isRuleId(id)) {
        const entries = Object.entries(CATALOG).filter(([rule]) => id === undefined || rule === id);
        if (opts.json) printJson(ctx.io, entries.map(([rule, e]) => ({ rule, ...e, docs: ruleDocLink(rule) })));
        else for (const [rule, e] of entries) ctx.io.stdout.write(`${rule}  (${e.severity})\n  ${e.title}\n  ${e.hint.split('\n').join('\n  ')}\n  ${ruleDocLink(rule)}\n\n`);
        ctx.exitCode = EXIT.OK;
        return;
      }
      const ws = ctx.workspace(cmd);
      const rows = exists(ws.kbRoot) ? (await openIndex(ws).table()).rows : [];
      const x = explainRecord(rows, id, ws.config, (await openIndex(ws).learned.patterns()) ?? []);
      if (!x) {
        const close = id.includes('/') ? Object.keys(CATALOG).filter((k) => k.split('/')[0] === id.split('/')[0]) : [didYouMean(id, rows.map((r) => r.id))].filter((v): v is string => Boolean(v));
        throw new UsageError(`\`${id}\` is neither a diagnostic rule id nor the id of a record in ${ws.kbPrefix || 'the knowledge base'}.`, close.length ? `Did you mean: ${close.join(', ')}?` : 'Run `learning-loop explain` to list every rule id, or `learning-loop list` for record ids.');
      }
      if (opts.json) printJson(ctx.io, x);
      else ctx.io.stdout.write(renderExplanation(x));
      ctx.exitCode = EXIT.OK;
    });
}
