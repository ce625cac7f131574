/** `learning-loop dashboard [--json]`: the seed's five metrics, trends, recommendations and success criteria. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { docRef } from '../docs.js';
import { EXIT } from '../io.js';
import { printJson, reportToStderr } from '../output.js';
import { analyzeWorkspace } from '../../agents/analyze.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import type { DashboardReport } from '../../core/learn/types.js';
import { describeCost } from '../../core/learn/cost.js';
import { skippedNote } from '../skipped.js';
import { noun, plural } from '../../core/diagnostics/words.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

/** Plain-text rendering of a dashboard report. */
export function formatDashboard(r: DashboardReport, executions: number): string {
  const m = r.metrics;
  const out: string[] = [`Learning dashboard (${plural(executions, 'execution')})`, ''];
  const reuse = m.component_reuse_rate;
  if (reuse.rate === null) out.push('Component reuse rate   not measured (no execution records reuse; an imported history may not)');
  else {
    out.push(`Component reuse rate   ${pct(reuse.rate)} (${reuse.reused}/${reuse.executions}; first week ${pct(reuse.first_week)}, latest ${pct(reuse.latest_week)}); trend ${reuse.trend}`);
    out.push(`                       ${reuse.test.detail}`);
  }
  out.push(
    `API integration time   ${m.api_integration_time.executions ? `median ${m.api_integration_time.median_s}s, mean ${m.api_integration_time.mean_s}s over ${plural(m.api_integration_time.executions, 'execution')}; trend ${m.api_integration_time.trend}\n                       ${m.api_integration_time.test.detail}` : 'no integration executions'}`,
  );
  out.push(
    `Pattern stability      ${m.pattern_stability.stability === null ? `n/a (${m.pattern_stability.source === 'git' ? 'no accepted patterns' : 'Git history unavailable'})` : `${pct(m.pattern_stability.stability)} (${m.pattern_stability.changed} of ${plural(m.pattern_stability.accepted, 'accepted pattern')} changed, ${plural(m.pattern_stability.changes, 'change')})`}`,
  );
  const oi = m.overall_improvement;
  out.push(
    `Overall improvement    trend ${oi.trend}${oi.slope_per_week !== null ? ` (${oi.slope_per_week >= 0 ? '+' : ''}${oi.slope_per_week}/week)` : ''}`,
    `                       ${oi.test.detail}`,
  );
  for (const w of oi.weeks.slice(-8))
    out.push(`  week of ${w.week}: ${plural(w.executions, 'execution')}, mean ${w.mean_overall}${w.change !== null ? ` (${w.change >= 0 ? '+' : ''}${w.change})` : ''}, reuse ${pct(w.reuse_rate)}`);
  out.push('', 'Agent effectiveness (success rate with 95% Wilson interval; cost per success from usage.cost_usd):');
  for (const a of m.agent_effectiveness)
    out.push(
      `  ${a.agent.padEnd(16)} ${String(a.executions).padStart(4)} ${noun(a.executions, 'run', 'runs')}  mean ${a.mean_overall}  success ${pct(a.success_rate.rate)} [${pct(a.success_rate.low)}–${pct(a.success_rate.high)}]  cost: ${describeCost(a, a.executions)}`,
    );
  const ef = r.effect;
  out.push('', `Effect of recall, like for like (learning-loop effect): ${ef.overall.verdict.toUpperCase()} — ${ef.overall.reason}`);
  if (ef.disagreement) out.push(`  Note: ${ef.disagreement}`);
  if (ef.arms) out.push(`  Agents with memory (${ef.arms.with_memory.join(', ')}) vs without (${ef.arms.without_memory.join(', ')}): ${ef.arms.verdict} — ${ef.arms.reason}`);
  for (const t of ef.task_types ?? []) out.push(`  ${t.task_type}: ${t.overall.verdict} — ${t.overall.reason}`);
  out.push(
    `  Learnings: ${ef.learnings_recalled} recalled, ${ef.learnings_tested} tested against comparable work without them, ${ef.learnings.filter((l) => l.verdict === 'helps').length} help, ${ef.learnings.filter((l) => l.verdict === 'harms').length} harm (false discovery rate ${ef.fdr}; \`learning-loop effect\` lists them).`,
  );
  out.push('', 'Success criteria:');
  for (const c of r.success_criteria) out.push(`  [${c.status === 'met' ? 'x' : c.status === 'not_met' ? ' ' : '?'}] ${c.title} — ${c.status.replace(/_/g, ' ')}: ${c.detail}`);
  if (r.recommendations.length) {
    out.push('', 'Recommendations:');
    for (const rec of r.recommendations) out.push(`  - ${rec}`);
  }
  return `${out.join('\n')}\n`;
}

/** Registers `dashboard`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('dashboard')
    .description('Show the dashboard: reuse rate, API integration time, agent effectiveness, pattern stability, overall improvement, success criteria.')
    .option('--json', 'print one JSON document ({metrics, trends, recommendations, success_criteria})')
    .addHelpText(
      'after',
      `\nExamples:\n  learning-loop dashboard\n  learning-loop dashboard --json | jq .success_criteria\n\nFormulas: ${docRef('learning.md')}.\nExit codes: 0 ok, 1 the knowledge base has invalid records, 2 usage error.`,
    )
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const a = await analyzeWorkspace(ws);
      const skippedJson = skippedNote(a.table.diagnostics);
      if (opts.json) printJson(ctx.io, { executions: a.executions.length, ...a.report, ...(skippedJson ? { skipped: skippedJson.count } : {}) });
      else {
        reportToStderr(
          ctx.io,
          a.table.diagnostics.filter((d) => d.severity !== 'info'),
          ctx.color(cmd),
        );
        const skipped = skippedNote(a.table.diagnostics);
        ctx.io.stdout.write(formatDashboard(a.report, a.executions.length) + (skipped ? `\n${skipped.text}\n` : ''));
      }
      ctx.exitCode = hasFailures(a.table.diagnostics) ? EXIT.PROBLEMS : EXIT.OK;
    });
}
