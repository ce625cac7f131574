/** `learning-loop similar --task-type T --component C`: past executions comparable to a task. */
import { Option, type Command } from 'commander';
import { listFlag } from '../flags.js';
import { openIndex } from '../../index/api.js';
import type { SimilarResult } from '../../core/recall/similar.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { intFlag } from './recall.js';

const SLUG = /^[a-z0-9][a-z0-9_.-]{0,79}$/;

/** Registers `similar`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('similar')
    .description('List past executions similar to a task (same component and task type first).')
    .option('--task-type <type>', 'task type, e.g. component (required)')
    .addOption(new Option('--type <type>', 'old spelling of --task-type').hideHelp())
    .option('--component <component>', 'component, e.g. booking-form')
    .option('--domains <list>', 'comma-separated domains, e.g. reiki_patterns,square_api (repeatable)', listFlag, [])
    .addOption(new Option('--domain <list>', 'old spelling of --domains').argParser(listFlag).hideHelp())
    .option('--id <task_id>', 'the task id (excluded from the results)')
    .option('--limit <n>', 'at most this many executions (default 8)')
    .option('--json', 'print one JSON document')
    .option('--no-refresh', 'use the last build without checking for changes')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop similar --task-type component --component booking-form\n  learning-loop similar --task-type integration --domains square_api --json\n\nExit codes: 0 found, 1 none found, 2 usage error.',
    )
    .action(
      async (opts: { taskType?: string; type?: string; component?: string; domains: string[]; domain?: string[]; id?: string; limit?: string; json?: boolean; refresh: boolean }, cmd: Command) => {
        const limit = intFlag('limit', opts.limit, 1, 100);
        const taskType = opts.taskType ?? opts.type;
        if (taskType === undefined) throw new UsageError('--task-type is required.', 'Example: learning-loop similar --task-type component --component booking-form');
        const domains = [...new Set([...opts.domains, ...(opts.domain ?? [])])];
        for (const [flag, v] of [['--task-type', taskType], ['--component', opts.component], ...domains.map((d) => ['--domains', d] as const)] as const) {
          if (v !== undefined && !SLUG.test(v)) throw new UsageError(`${flag} ${JSON.stringify(v)} is not a vocabulary term.`, 'Use lower-case letters, digits, "_", "-" and ".", e.g. booking-form.');
        }
        const ws = ctx.knowledgeBase(cmd, opts.json);
        if (!ws) return;
        const task = { ...(opts.id ? { id: opts.id } : {}), type: taskType, ...(opts.component ? { component: opts.component } : {}), ...(domains.length ? { domains } : {}) };
        const r = await openIndex(ws).similar(task, { limit, noRefresh: !opts.refresh });
        if (opts.json) printJson(ctx.io, { ok: r.executions.length > 0, ...r });
        else ctx.io.stdout.write(renderSimilar(r));
        ctx.exitCode = r.executions.length ? EXIT.OK : EXIT.PROBLEMS;
      },
    );
}

function renderSimilar(r: SimilarResult): string {
  const what = [r.task.type, r.task.component].filter(Boolean).join(' / ');
  const out: string[] = [];
  if (!r.executions.length) return `No past executions similar to ${what}.\n`;
  out.push(`${r.exact} past execution${r.exact === 1 ? '' : 's'} of ${what}: ${r.outcomes.success} success, ${r.outcomes.partial} partial, ${r.outcomes.failure} failure.`);
  if (r.guidance.length) {
    out.push('', 'Applies to this task:');
    for (const g of r.guidance)
      out.push(`  [${g.kind}] ${g.id}${g.status && g.status !== 'accepted' ? ` (${g.status})` : ''}: ${g.text}`, `    ${g.path ?? `derived from the history: learning-loop explain ${g.id}`}`);
  }
  out.push('', 'Similar executions:');
  r.executions.forEach((e, i) => {
    out.push(
      `${i + 1}. ${e.id}  ${[e.outcome, e.component, e.task_type, e.date.slice(0, 10), e.overall !== undefined ? `overall ${e.overall}` : '', `similarity ${e.similarity}`].filter(Boolean).join(' · ')}`,
    );
    out.push(`   ${e.title}`);
    if (e.errors?.length) out.push(`   error: ${e.errors[0]}`);
    if (e.reflections?.length) out.push(`   reflections: ${e.reflections.join(', ')}`);
    out.push(`   ${e.path}`);
  });
  return `${out.join('\n')}\n`;
}
