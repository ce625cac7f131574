/** `learning-loop reflect <execution-id> [--as ACTION] [--dry-run] [--json]`: write the reflection an execution calls for. */
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../io.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { openIndex } from '../../index/api.js';
import { reflectOn } from '../../agents/reflect.js';
import type { TriggerAction } from '../../core/score/formulas.js';

/** Registers `reflect`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('reflect')
    .description('Write the reflection for an execution: root-cause analysis, template extraction or assumption review, pre-filled with evidence.')
    .argument('<execution-id>', 'the execution to reflect on')
    .addOption(new Option('--as <action>', "reflection to write instead of the execution's own trigger").choices(['mandatory_reflection', 'extract_template', 'update_architecture']))
    .option('--dry-run', 'print it, write nothing')
    .option('--json', 'print one JSON document (the reflection record, body and proposals)')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop reflect ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E\n  learning-loop reflect ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E --as extract_template --json\n\nAn execution without a trigger gets a root-cause analysis. Existing files are never overwritten.\nExit codes: 0 ok, 1 no such execution, 2 usage error.',
    )
    .action(async (id: string, opts: { as?: TriggerAction; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const table = await openIndex(ws).table();
      const r = await reflectOn(ws, table.rows, id, { ...(opts.as ? { action: opts.as } : {}), ...(opts.dryRun ? { dryRun: true } : {}) });
      if (opts.json) {
        printJson(ctx.io, {
          ok: r.ok,
          reflection: r.reflection ? { ...r.reflection.record, body: r.reflection.body } : null,
          template: r.reflection?.template ? { ...r.reflection.template.record, body: r.reflection.template.body } : null,
          assumption: r.reflection?.assumption ? { ...r.reflection.assumption.record, body: r.reflection.assumption.body } : null,
          written: r.written,
          existing: r.existing,
          dry_run: Boolean(opts.dryRun),
          diagnostics: diagnosticsJson(r.diagnostics),
        });
      } else if (r.ok) {
        ctx.io.stdout.write(
          `${r.reflection!.body}\n\n${opts.dryRun ? 'Would write' : 'Wrote'}: ${r.written.join(', ') || 'nothing'}${r.existing.length ? `\nAlready there (left untouched): ${r.existing.join(', ')}` : ''}\n`,
        );
      } else ctx.io.stderr.write(formatPretty(r.diagnostics, ctx.color(cmd)));
      ctx.exitCode = r.ok ? EXIT.OK : EXIT.PROBLEMS;
    });
}
