/**
 * `learning-loop accept <id> [--reason] [--by] [--at] [--json]`: record a review decision. The
 * shared body of `accept` and `reject` (read flags → decide → write → print) lives here.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../io.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { openIndex } from '../../index/api.js';
import { writeFileAtomic } from '../../io/fs.js';
import { decide } from '../../core/learn/review.js';
import { gitUserName } from '../../io/git.js';

/** Registers `accept` or `reject`. */
export function registerReview(program: Command, ctx: CliContext, decision: 'accepted' | 'rejected'): void {
  const name = decision === 'accepted' ? 'accept' : 'reject';
  program
    .command(name)
    .description(
      decision === 'accepted'
        ? 'Accept a proposed pattern, template, rule or assumption (sets status and a review block).'
        : 'Reject a proposal; it keeps its file with status rejected and is never proposed again.',
    )
    .argument('<id>', 'the record id')
    .option('--reason <text>', 'why (stored in the review block)')
    .option('--by <name>', 'who decided (default: $GIT_AUTHOR_NAME, $USER, or git config user.name)')
    .option('--at <time>', 'decision time, ISO 8601 with zone (default: now)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      `\nExamples:\n  learning-loop ${name} pat-failure-component-booking-form-3f9a1c${decision === 'rejected' ? ' --reason "coincidence: the SDK outage week"' : ''}\n  learning-loop ${name} rule-failure-component-booking-form-3f9a1c --json\n\nExit codes: 0 recorded (or already so), 1 not found / not reviewable, 2 usage error.`,
    )
    .action(async (id: string, opts: { reason?: string; by?: string; at?: string; json?: boolean }, cmd: Command) => {
      if (opts.at !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(opts.at))
        throw new UsageError('--at must be an ISO 8601 time with a zone.', 'Example: --at 2026-11-22T10:00:00Z');
      const ws = ctx.workspace(cmd);
      const table = await openIndex(ws).table();
      const at = opts.at ?? `${new Date().toISOString().slice(0, 19)}Z`;
      // A decision names who made it: without $USER (CI, containers) Git still knows the author.
      const by = opts.by || ctx.io.env.GIT_AUTHOR_NAME || ctx.io.env.USER || (await gitUserName(ws.repoRoot));
      const r = decide(table, id, { decision, at, ...(by ? { by } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
      if (r.ok && r.content && r.file) writeFileAtomic(join(ws.repoRoot, r.file), r.content);
      if (opts.json)
        printJson(ctx.io, { ok: r.ok, id, status: r.ok ? decision : undefined, previous: r.previous, file: r.file, unchanged: Boolean(r.unchanged), diagnostics: diagnosticsJson(r.diagnostics) });
      else if (r.ok) ctx.io.stdout.write(r.unchanged ? `${id} is already ${decision}.\n` : `${id}: ${r.previous} → ${decision} (${r.file})\n`);
      else ctx.io.stderr.write(formatPretty(r.diagnostics, ctx.color(cmd)));
      ctx.exitCode = r.ok ? EXIT.OK : EXIT.PROBLEMS;
    });
}

/** Registers `accept`. */
export function register(program: Command, ctx: CliContext): void {
  registerReview(program, ctx, 'accepted');
}
