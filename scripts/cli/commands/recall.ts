/** `learning-loop recall "<question>"`: answer a question from past learnings. */
import { Option, type Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { renderAnswer } from '../../core/recall/answer.js';
import { printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { skippedNote } from '../skipped.js';

/** Parses a positive integer flag or throws a usage error. */
export function intFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)}).`, `e.g. --${name} ${Math.min(max, Math.max(min, 8))}`);
  return n;
}

/** Registers `recall`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('recall')
    .description('Answer a question from past learnings (rules, patterns, executions, templates).')
    .argument('[question...]', 'the question, in plain words')
    .option('--json', 'print one JSON document')
    .option('--limit <n>', 'at most this many insights (default: recall.default_limit, 8)')
    .option('--max-tokens <n>', 'keep the answer within this many tokens (default: recall.default_budget, 1200)')
    .addOption(new Option('--budget <n>', 'old spelling of --max-tokens').hideHelp())
    .option('--no-refresh', 'answer from the last build without checking for changes')
    .addHelpText(
      'after',
      '\nThe question is parsed into intent (kind, outcome, components/domains/agents from the knowledge\nbase\'s own vocabulary, recency) and answered with ids and paths; accepted rules and patterns come\nfirst, proposed ones are marked.\n\nExamples:\n  learning-loop recall "what failed last time we tried the booking component?"\n  learning-loop recall "common Square API integration issues" --json --max-tokens 600\n\nExit codes: 0 answered, 1 nothing matched, 2 usage error.',
    )
    .action(async (words: string[], opts: { json?: boolean; limit?: string; maxTokens?: string; budget?: string; refresh: boolean }, cmd: Command) => {
      const limit = intFlag('limit', opts.limit, 1, 100);
      const budget = intFlag(opts.maxTokens !== undefined ? 'max-tokens' : 'budget', opts.maxTokens ?? opts.budget, 50, 100000);
      const question = words.join(' ').trim();
      if (!question) throw new UsageError('Ask a question, e.g. learning-loop recall "what failed last time we tried the booking component?"');
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const a = await openIndex(ws).recall(question, { limit, budget, noRefresh: !opts.refresh });
      // Invalid records are not in the index: say how many were left out, and where to look.
      const skipped = skippedNote(await openIndex(ws).lastBuildDiagnostics());
      if (opts.json) printJson(ctx.io, { ok: a.insights.length > 0, ...a, ...(skipped ? { skipped: skipped.count } : {}) });
      else ctx.io.stdout.write(renderAnswer(a) + (skipped ? `\n${skipped.text}\n` : ''));
      ctx.exitCode = a.insights.length ? EXIT.OK : EXIT.PROBLEMS;
    });
}
