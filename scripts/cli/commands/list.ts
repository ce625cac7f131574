/** `learning-loop list [--kind] [--status] [--since] [--json]`: the records, one line each. */
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { didYouMean } from '../../core/diagnostics/suggest.js';
import { KINDS } from '../../core/records/kinds.js';
import { listRecords, parseSince } from '../../core/records/listing.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { listFlag } from '../flags.js';

const STATUSES = ['proposed', 'accepted', 'rejected', 'archived', 'open', 'done'] as const;

function checkValues(flag: string, values: readonly string[], allowed: readonly string[]): void {
  for (const v of values) {
    if (allowed.includes(v)) continue;
    const close = didYouMean(v, allowed);
    throw new UsageError(`${flag} \`${v}\` is not one of ${allowed.join(', ')}.`, close ? `Did you mean ${flag} ${close}?` : `Example: ${flag} ${allowed[0]}`);
  }
}

/** Registers `list`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('List records, newest first, one line each: id, kind, status, date, title.')
    .option('--kind <kinds>', `record kinds, comma-separated or repeated: ${KINDS.join(', ')}`, listFlag, [])
    .option('--status <statuses>', `statuses, comma-separated or repeated: ${STATUSES.join(', ')}`, listFlag, [])
    .option('--since <when>', 'records dated at or after a date (2026-11-01), a time, or a span back from now (12h, 7d, 2w)')
    .option('--json', 'print one JSON document: {ok, records: [{id, kind, status, date, title, file}]}')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop list --kind rule --status proposed\n  learning-loop list --kind execution --since 7d --json\n\nAn execution is dated by started_at, other records by created_at.\nExit codes: 0 listed, 1 nothing matched, 2 usage error.',
    )
    .action(async (opts: { kind: string[]; status: string[]; since?: string; json?: boolean }, cmd: Command) => {
      checkValues('--kind', opts.kind, KINDS);
      checkValues('--status', opts.status, STATUSES);
      const since = opts.since === undefined ? undefined : parseSince(opts.since, new Date());
      if (opts.since !== undefined && since === undefined)
        throw new UsageError(`--since \`${opts.since}\` is not a date, a time or a span.`, 'Examples: --since 2026-11-01, --since 2026-11-01T09:00:00Z, --since 7d');
      const ws = ctx.knowledgeBase(cmd, opts.json, { records: [] });
      if (!ws) return;
      const records = listRecords((await openIndex(ws).table()).rows, { kinds: opts.kind, statuses: opts.status, ...(since ? { since } : {}) });
      if (opts.json) printJson(ctx.io, { ok: records.length > 0, records });
      else if (records.length) ctx.io.stdout.write(records.map((r) => `${r.id}  ${r.kind}${r.status ? ` (${r.status})` : ''}  ${r.date.slice(0, 10)}  ${r.title}\n`).join(''));
      else ctx.io.stderr.write('No records match.\n');
      ctx.exitCode = records.length ? EXIT.OK : EXIT.PROBLEMS;
    });
}
