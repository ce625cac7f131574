/** `learning-loop explain [rule]`: the error catalog. */
import type { Command } from 'commander';
import { CATALOG, isRuleId } from '../../diagnostics/catalog.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';

/** Registers `explain`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description('Explain a diagnostic rule id (or list them all).')
    .argument('[rule]', 'rule id, e.g. schema/range')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  learning-loop explain yaml/alias')
    .action((rule: string | undefined, opts: { json?: boolean }) => {
      if (rule !== undefined && !isRuleId(rule)) {
        const close = Object.keys(CATALOG).filter((k) => k.split('/')[0] === rule.split('/')[0]);
        throw new UsageError(`Unknown rule \`${rule}\`.`, close.length ? `Did you mean: ${close.join(', ')}?` : 'Run `learning-loop explain` to list every rule.');
      }
      const entries = Object.entries(CATALOG).filter(([id]) => rule === undefined || id === rule);
      if (opts.json) printJson(ctx.io, entries.map(([id, e]) => ({ rule: id, ...e })));
      else for (const [id, e] of entries) ctx.io.stdout.write(`${id}  (${e.severity})\n  ${e.title}\n  ${e.hint.split('\n').join('\n  ')}\n\n`);
      ctx.exitCode = EXIT.OK;
    });
}
