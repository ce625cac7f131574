/** `learning-loop patterns [--json] [--write]`: extract success, failure, performance and dependency patterns. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../io.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { openIndex } from '../../index/api.js';
import { analyzeTable } from '../../core/learn/analyze.js';
import { planPatternWrites } from '../../core/learn/pattern-records.js';
import { applyChanges } from '../../agents/apply.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { plural } from '../../core/diagnostics/words.js';

/** Registers `patterns`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('patterns')
    .description('Extract success, failure, performance and dependency patterns, recurring themes (what failures keep saying) and anti-pattern flags from the executions and reflections.')
    .option('--json', 'print one JSON document')
    .option('--write', 'write new patterns as `status: proposed` records (and refresh proposed ones; never touches accepted/rejected)')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop patterns\n  learning-loop patterns --json\n  learning-loop patterns --write && git add learning-loop/memory/long-term\n\nExit codes: 0 ok (also when nothing is found), 1 the knowledge base has invalid records, 2 usage error.',
    )
    .action(async (opts: { json?: boolean; write?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const table = await openIndex(ws).table();
      const a = analyzeTable(table, ws.config);
      const changes = opts.write ? planPatternWrites(a.patterns, table.rows) : [];
      const written = opts.write ? applyChanges(ws, changes) : [];
      if (opts.json) {
        printJson(ctx.io, { ok: !hasFailures(table.diagnostics), executions: a.executions.length, ...a.set, flags: a.flags, written, diagnostics: diagnosticsJson(table.diagnostics) });
      } else {
        reportToStderr(
          ctx.io,
          table.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        const out: string[] = [`${plural(a.patterns.length, 'pattern')} from ${plural(a.executions.length, 'execution')}.`];
        for (const [title, list] of [
          ['Failure', a.set.failure_patterns],
          ['Recurring theme', a.set.theme_patterns],
          ['Success', a.set.success_patterns],
          ['Dependency', a.set.dependency_patterns],
          ['Performance', a.set.performance_patterns],
        ] as const) {
          if (!list.length) continue;
          out.push('', `${title} patterns:`);
          for (const p of list) out.push(`  ${p.id}`, `    ${p.statement}`, `    evidence: ${p.evidence.slice(0, 6).join(', ')}${p.evidence.length > 6 ? `, … (${p.evidence.length})` : ''}`);
        }
        if (a.flags.length) {
          out.push('', 'Anti-pattern flags:');
          for (const f of a.flags) out.push(`  [${f.action}] ${f.message}`, `    evidence: ${f.evidence.slice(0, 6).join(', ')}${f.evidence.length > 6 ? ', …' : ''}`);
        }
        if (opts.write) out.push('', written.length ? `Wrote ${written.length} pattern file(s):\n${written.map((w) => `  ${w}`).join('\n')}` : 'Pattern files are up to date.');
        ctx.io.stdout.write(`${out.join('\n')}\n`);
      }
      ctx.exitCode = hasFailures(table.diagnostics) ? EXIT.PROBLEMS : EXIT.OK;
    });
}
