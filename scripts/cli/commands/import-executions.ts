/** `learning-loop import executions FILE...`: bring in a whole execution history at once. */
import type { Command } from 'commander';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { EXECUTION_FORMATS, REFLEXION_START, csvField, type ExecutionFormat } from '../../core/import/execution-formats.js';
import { importExecutions, type ExecutionImportResult } from '../../agents/import/executions.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';

interface Flags {
  format?: string;
  map?: string;
  agent?: string;
  start?: string;
  commit?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** Parses `--map field=column,...` (a usage error names the bad pair). */
export function parseMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) throw new UsageError(`--map: \`${part}\` is not field=column.`, 'Example: --map task_id=run,accuracy=pass_rate,started_at=date');
    const field = m[1]!.trim();
    if (!csvField(field))
      throw new UsageError(
        `--map: \`${field}\` is not an execution field.`,
        'Fields: task_id, task_type, component, agent, outcome, duration_s, started_at, accuracy, efficiency, reusability, surprise, model, input_tokens, output_tokens, cost_usd, … (docs/interop.md).',
      );
    out[field] = m[2]!.trim();
  }
  return out;
}

/** `--start`: an ISO time with a zone, or a date (midnight UTC). */
export function parseStart(value: string): string {
  const v = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new UsageError(`--start: \`${value}\` is not a date or an ISO time with a zone.`, `Example: --start 2024-01-01 (default ${REFLEXION_START})`);
  }
  return v;
}

function summary(r: ExecutionImportResult, dryRun: boolean): string {
  const verb = dryRun ? 'would import' : 'imported';
  const lines = [
    `${verb} ${r.executions} execution${r.executions === 1 ? '' : 's'}${r.reflections ? ` and ${r.reflections} reflection${r.reflections === 1 ? '' : 's'}` : ''} from ${r.files.length} file${r.files.length === 1 ? '' : 's'}; ${r.already} already imported, ${r.bad} bad row${r.bad === 1 ? '' : 's'}.`,
  ];
  for (const f of r.files) lines.push(`  ${f.file}  ${f.format ?? 'unknown format'}  ${f.rows} row${f.rows === 1 ? '' : 's'}`);
  if (r.commit) lines.push(`  commit ${r.commit}`);
  return `${lines.join('\n')}\n`;
}

/** Registers `import executions` under the `import` command. */
export function registerExecutions(parent: Command, ctx: CliContext): void {
  parent
    .command('executions')
    .description('Import a whole execution history (JSON Lines, CSV, the aider leaderboard, Reflexion run logs) in one process and one commit.')
    .argument('<files...>', 'history files (several may be given: they are scored as one history)')
    .option('--format <format>', `read every file as: ${EXECUTION_FORMATS.join(' | ')} (default: detected per file)`)
    .option('--map <pairs>', 'CSV: field=column pairs, e.g. task_id=run,accuracy=pass_rate (headers named after fields need none)')
    .option('--agent <name>', 'the agent of every imported execution (Reflexion default: the run in the file name)')
    .option('--start <iso>', `Reflexion: when the first task starts (default ${REFLEXION_START}; task on line L at start + (L-1) minutes)`)
    .option('--commit', 'commit everything imported in one commit')
    .option('--dry-run', 'check and score every row, write nothing')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  learning-loop import executions history.jsonl --commit
  learning-loop import executions runs.csv --map task_id=run,accuracy=pass_rate,started_at=date --dry-run
  learning-loop import executions aider-polyglot-leaderboard.tsv --json
  learning-loop import executions humaneval-py.simple-gpt-4.jsonl humaneval-py.reflexion-gpt-4.jsonl --commit

Rows are scored in history order (given scores kept, missing ones computed against everything
that started before; efficiency against earlier runs of the same agent and model; a score the
source does not measure is left out, and overall is the mean of the rest). Ids derive from the source row, so importing a file again adds nothing
("N already imported"). Bad rows are reported (file:line:col, rule, hint) and skipped; each good
row is written with its reflections or not at all. Formats and mappings: docs/interop.md.
Exit codes: 0 imported (or nothing new), 1 bad rows or a write / Git failure, 2 usage error.`,
    )
    .action(async (paths: string[], own: Flags, cmd: Command) => {
      // `--json` and `--dry-run` also belong to `import`, which parses them first: read both.
      const flags = { ...(cmd.optsWithGlobals() as Flags), ...own };
      let format: ExecutionFormat | undefined;
      if (flags.format !== undefined) {
        if (!(EXECUTION_FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`Unknown history format \`${flags.format}\`.`, `Use one of: ${EXECUTION_FORMATS.join(', ')}.`);
        format = flags.format as ExecutionFormat;
      }
      const map = flags.map !== undefined ? parseMap(flags.map) : undefined;
      const start = flags.start !== undefined ? parseStart(flags.start) : undefined;
      if (flags.agent !== undefined && !flags.agent.trim()) throw new UsageError('--agent needs a name.');
      const ws = ctx.knowledgeBase(cmd, flags.json, { dry_run: Boolean(flags.dryRun), files: [], imported: { executions: 0, reflections: 0 }, already_imported: 0, bad_rows: 0 });
      if (!ws) return;
      const r = await importExecutions(ws, paths, { format, map, agent: flags.agent?.trim(), start, dryRun: flags.dryRun, commit: flags.commit, cwd: ctx.io.cwd });
      const failed = hasFailures(r.diagnostics) || r.bad > 0;
      if (flags.json) {
        printJson(ctx.io, {
          ok: !failed,
          dry_run: Boolean(flags.dryRun),
          files: r.files,
          imported: { executions: r.executions, reflections: r.reflections },
          already_imported: r.already,
          bad_rows: r.bad,
          ...(r.commit ? { commit: r.commit } : {}),
          records: r.records,
          diagnostics: diagnosticsJson(r.diagnostics),
        });
      } else {
        reportToStderr(
          ctx.io,
          r.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        ctx.io.stdout.write(summary(r, Boolean(flags.dryRun)));
      }
      ctx.exitCode = failed ? EXIT.PROBLEMS : EXIT.OK;
    });
}
