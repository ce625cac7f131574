/**
 * `learning-loop demo`: the main job on a knowledge base (the shipped example by default) —
 * validate and build, learn (patterns, anti-pattern flags, dashboard), answer the seed's three
 * questions, preview the weekly synthesis (dry run: nothing is written to the knowledge base)
 * and build the static site. It only composes the stage functions every other command uses.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { synthesize } from '../../core/learn/synthesis.js';
import { patternCommitCounts } from '../../io/git.js';
import { buildSite } from '../../agents/publish/site.js';
import { countBySeverity, hasFailures } from '../../core/diagnostics/diagnostic.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { EXIT } from '../io.js';
import type { CliContext } from '../context.js';
import { plural } from '../../core/diagnostics/words.js';

/** The seed's three example questions (Task 4). */
export const SEED_QUESTIONS = ['What failed last time we tried booking component?', 'Show me all Reiki-specific UI patterns that worked', 'Common Square API integration issues'] as const;

/** Registers `demo`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('The main job: validate, build, learn, answer the seed questions, preview the synthesis, build the site.')
    .option('--no-site', 'skip the static site build')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop demo                 # on ./learning-loop (the shipped example)\n  learning-loop --root kb demo --no-site\n\nNothing in the knowledge base is changed; outputs go to the git-ignored build folder.\nExit codes: 0 ok, 1 invalid records or broken site links, 2 usage error.',
    )
    .action(async (opts: { site: boolean; json?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const out = (s: string) => {
        if (!opts.json) ctx.io.stdout.write(s);
      };
      const rel = (p: string) => relative(ctx.io.cwd, p) || '.';

      out(`learning-loop on ${rel(ws.kbRoot)}\n\n1. Validate and build\n`);
      const built = await openIndex(ws).build();
      const counts = countBySeverity(built.diagnostics);
      out(`   ${plural(built.records, 'record')} valid, ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')} -> ${rel(ws.outDir)}\n`);
      if (!opts.json) reportToStderr(ctx.io, built.diagnostics, ctx.color(cmd));

      const table = { rows: built.rows, diagnostics: built.diagnostics };
      const snap = await openIndex(ws).learned.write(table);
      out(`\n2. Learn (${plural(snap.executions, 'execution')})\n`);
      out(`   ${plural(snap.patterns.length, 'pattern')}, ${plural(snap.flags.length, 'anti-pattern flag')}\n`);
      for (const f of snap.flags.slice(0, 5)) out(`   ! ${f.message}\n`);
      for (const c of snap.dashboard.success_criteria) out(`   [${c.status}] ${c.title}: ${c.detail}\n`);

      out("\n3. Recall: the seed's questions\n");
      const answers = [];
      for (const q of SEED_QUESTIONS) {
        const a = await openIndex(ws).recall(q, { limit: 3 });
        answers.push(a);
        out(`   ? ${q}\n`);
        if (!a.insights.length) out('     (nothing matched)\n');
        for (const i of a.insights) out(`     - [${i.kind}${i.proposed ? ', proposed' : ''}] ${i.title}  (${i.id})\n`);
      }

      const latest = snap.latest_execution?.slice(0, 10);
      let synthesis: ReturnType<typeof synthesize> | undefined;
      if (latest) {
        synthesis = synthesize(table, ws.config, 'week', latest, await patternCommitCounts(ws));
        const s = synthesis.summary;
        out(`\n4. Weekly synthesis preview (${synthesis.period.label}, dry run)\n`);
        out(
          `   ${plural(s.executions, 'execution')}, ${plural(s.reflections, 'reflection')}, ${plural(s.patterns_identified, 'pattern')}, ${plural(s.rules_proposed, 'rule proposal')}, ${plural(s.archived, 'archival')}, ${plural(s.flags, 'flag')}; ${plural(synthesis.changes.length, 'file change')} would be proposed\n`,
        );
      }

      let site: Awaited<ReturnType<typeof buildSite>> | undefined;
      if (opts.site) {
        out('\n5. Site\n');
        site = await buildSite(ws, {});
        out(`   ${plural(site.pages, 'page')} -> ${rel(site.outDir)}  (learning-loop site preview to browse it)\n`);
      }
      const problems = hasFailures(built.diagnostics) || (site ? hasFailures(site.diagnostics) : false);
      if (opts.json) {
        printJson(ctx.io, {
          ok: !problems,
          kb: ws.kbRoot,
          build: { records: built.records, outDir: ws.outDir, diagnostics: diagnosticsJson(built.diagnostics) },
          learn: { executions: snap.executions, patterns: snap.patterns.length, flags: snap.flags, success_criteria: snap.dashboard.success_criteria },
          recall: answers.map((a) => ({ question: a.question, insights: a.insights.map((i) => ({ id: i.id, kind: i.kind, title: i.title })) })),
          synthesis: synthesis ? { period: synthesis.period, summary: synthesis.summary, changes: synthesis.changes.length } : null,
          site: site ? { outDir: site.outDir, pages: site.pages } : null,
        });
      } else out(`\nDone${problems ? ' (with problems: see above)' : ''}.\n`);
      ctx.exitCode = problems ? EXIT.PROBLEMS : EXIT.OK;
    });
}
