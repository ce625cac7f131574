/** `learning-loop record`: score and write one execution (JSON via --input, or flags). */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { recordExecution, type RecordResult } from '../../agents/record.js';
import { parseJsonInput } from '../../core/records/execution-input.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { listFlag } from '../flags.js';
import { dict } from '../../core/dict.js';
import { readText } from '../../io/fs.js';

interface RecordFlags {
  input?: string;
  taskId?: string;
  taskType?: string;
  type?: string;
  component?: string;
  agent?: string;
  outcome?: string;
  duration?: string;
  domains?: string[];
  domain?: string[];
  tags?: string[];
  scores?: string;
  accuracy?: string;
  efficiency?: string;
  reusability?: string;
  surprise?: string;
  model?: string;
  inputTokens?: string;
  outputTokens?: string;
  cost?: string;
  error: string[];
  assumption: string[];
  dependency: string[];
  decision: string[];
  alternative: string[];
  outcomeNote: string[];
  deviation: string[];
  discovery: string[];
  reused?: string[];
  produced?: string[];
  recalled?: string[];
  sprint?: string;
  title?: string;
  body?: string;
  checks?: string;
  commitSha?: string;
  id?: string;
  startedAt?: string;
  commit?: boolean;
  push?: boolean;
  dryRun?: boolean;
  reflect: boolean;
  json?: boolean;
}

const collect = (value: string, prev: string[]): string[] => [...prev, value];
/** A non-negative decimal number, e.g. 35.6. */
const DECIMAL = /^\d+(\.\d+)?$/;

/** The flag that sets each input field (the fields `inputFromFlags` fills). */
export const FIELD_FLAGS: Record<string, string> = {
  id: '--id',
  task_id: '--task-id',
  task_type: '--task-type',
  component: '--component',
  agent: '--agent',
  outcome: '--outcome',
  duration_s: '--duration',
  sprint: '--sprint',
  title: '--title',
  body: '--body',
  started_at: '--started-at',
  commit: '--commit-sha',
  domains: '--domains',
  tags: '--tags',
  reused: '--reused',
  produced: '--produced',
  recalled: '--recalled',
  scores: '--scores',
  'scores.accuracy': '--accuracy',
  'scores.efficiency': '--efficiency',
  'scores.reusability': '--reusability',
  'scores.surprise': '--surprise',
  'usage.model': '--model',
  'usage.input_tokens': '--input-tokens',
  'usage.output_tokens': '--output-tokens',
  'usage.cost_usd': '--cost',
  checks: '--checks',
  errors: '--error',
  'pre.assumptions': '--assumption',
  'pre.dependencies': '--dependency',
  'during.decision_points': '--decision',
  'during.alternatives_considered': '--alternative',
  'post.outcomes': '--outcome-note',
  'post.deviations': '--deviation',
  'post.discoveries': '--discovery',
};

const FLAG_EXAMPLES: Record<string, string> = {
  '--task-id': '--task-id BOOK-12',
  '--task-type': '--task-type component',
  '--agent': '--agent claude-code',
  '--outcome': '--outcome success',
  '--duration': '--duration 600',
};

/** The flag for a data path (`pre.dependencies.0` → `--dependency`, `scores.accuracy` → `--scores accuracy=…`). */
function flagFor(path: string): string | undefined {
  const bare = path.replace(/\.\d+$/, '');
  if (FIELD_FLAGS[bare]) return FIELD_FLAGS[bare];
  const score = /^scores\.(\w+)$/.exec(bare);
  return score ? `--scores ${score[1]}=…` : undefined;
}

/**
 * Diagnostics about flag input speak flags, not schema fields: "Required flag `--agent`" rather
 * than "Required field `agent` … see schemas/execution.schema.json".
 */
export function speakFlags(d: Diagnostic): Diagnostic {
  if (d.file !== '<flags>') return d;
  const required = /^Required field `([^`]+)` is missing from (?:the record|`([^`]+)`)\.$/.exec(d.message);
  if (required) {
    const flag = flagFor(required[2] ? `${required[2]}.${required[1]}` : required[1]!);
    if (flag) return { ...d, message: `Required flag \`${flag}\` is missing.`, hint: `Pass it, e.g. ${FLAG_EXAMPLES[flag] ?? `${flag} <value>`}; \`learning-loop record --help\` lists every flag.` };
  }
  const swap = (text: string): string => text.replace(/`([a-z_]+(?:\.[a-z_0-9]+)*)`/g, (m, path: string) => (flagFor(path) ? `\`${flagFor(path)}\`` : m));
  const enumFlag = d.rule === 'schema/enum' ? /^`([^`]+)`/.exec(d.message)?.[1] : undefined;
  const hint = d.hint && enumFlag && flagFor(enumFlag) ? d.hint.replace(/^Did you mean `([^`]+)`\?/, (_m, v: string) => `Did you mean \`${flagFor(enumFlag)} ${v}\`?`) : d.hint;
  const out: Diagnostic = { ...d, message: swap(d.message) };
  if (hint !== undefined) out.hint = swap(hint);
  return out;
}

/** Converts flags to an input object; problems are `<flags>` diagnostics. */
export function inputFromFlags(f: RecordFlags): { input: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const bad = (flag: string, msg: string, hint?: string) => diagnostics.push(diag('input/flag', '<flags>', `--${flag}: ${msg}`, hint ? { hint } : {}));
  const input: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('id', f.id);
  set('task_id', f.taskId);
  set('task_type', f.taskType ?? f.type);
  set('component', f.component);
  set('agent', f.agent);
  set('outcome', f.outcome);
  set('sprint', f.sprint);
  set('title', f.title);
  set('body', f.body);
  set('started_at', f.startedAt);
  set('commit', f.commitSha);
  set('domains', f.domains || f.domain ? [...new Set([...(f.domains ?? []), ...(f.domain ?? [])])] : undefined);
  set('tags', f.tags);
  set('reused', f.reused);
  set('produced', f.produced);
  set('recalled', f.recalled);
  if (f.duration !== undefined) {
    const n = Number(f.duration);
    if (!/^\d+(\.\d+)?$/.test(f.duration.trim()) || !Number.isFinite(n)) bad('duration', `\`${f.duration}\` is not a number of seconds.`, 'Example: --duration 420');
    else input.duration_s = n;
  }
  // `--scores __proto__=1` must stay a key the schema refuses, never the object's prototype.
  const scores = dict<number>();
  if (f.scores !== undefined) {
    for (const part of f.scores
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^(\w+)\s*=\s*(-?\d+(?:\.\d+)?)$/.exec(part);
      if (!m) {
        bad('scores', `\`${part}\` is not name=value.`, 'Example: --scores accuracy=90,surprise=40');
        continue;
      }
      scores[m[1]!] = Number(m[2]);
    }
  }
  // One flag per score (decimals kept); they win over the same name in --scores.
  for (const name of ['accuracy', 'efficiency', 'reusability', 'surprise'] as const) {
    const v = f[name];
    if (v === undefined) continue;
    if (!DECIMAL.test(v.trim())) bad(name, `\`${v}\` is not a number from 0 to 100.`, `Example: --${name} 35.6`);
    else scores[name] = Number(v);
  }
  if (f.scores !== undefined || Object.keys(scores).length) input.scores = scores;
  const usage: Record<string, unknown> = {};
  if (f.model !== undefined) usage.model = f.model;
  for (const [flag, key, value] of [
    ['input-tokens', 'input_tokens', f.inputTokens],
    ['output-tokens', 'output_tokens', f.outputTokens],
  ] as const) {
    if (value === undefined) continue;
    if (!/^\d+$/.test(value.trim())) bad(flag, `\`${value}\` is not a whole number of tokens.`, `Example: --${flag} 12000`);
    else usage[key] = Number(value);
  }
  if (f.cost !== undefined) {
    if (!DECIMAL.test(f.cost.trim())) bad('cost', `\`${f.cost}\` is not an amount in US dollars.`, 'Example: --cost 0.42');
    else usage.cost_usd = Number(f.cost);
  }
  if (Object.keys(usage).length) input.usage = usage;
  if (f.checks !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(f.checks.trim());
    if (!m) bad('checks', `\`${f.checks}\` is not passed/failed.`, 'Example: --checks 41/1 (41 passed, 1 failed)');
    else input.checks = { passed: Number(m[1]), failed: Number(m[2]) };
  }
  if (f.error.length) input.errors = f.error;
  const pre: Record<string, unknown> = {};
  if (f.assumption.length) pre.assumptions = f.assumption;
  if (f.dependency.length) pre.dependencies = f.dependency;
  if (Object.keys(pre).length) input.pre = pre;
  const during: Record<string, unknown> = {};
  if (f.decision.length) during.decision_points = f.decision;
  if (f.alternative.length) during.alternatives_considered = f.alternative;
  if (Object.keys(during).length) input.during = during;
  const post: Record<string, unknown> = {};
  if (f.outcomeNote.length) post.outcomes = f.outcomeNote;
  if (f.deviation.length) post.deviations = f.deviation;
  if (f.discovery.length) post.discoveries = f.discovery;
  if (Object.keys(post).length) input.post = post;
  return { input, diagnostics };
}

/** Registers `record`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('record')
    .description('Score an execution, write it (and the reflection its trigger calls for), optionally commit and push.')
    .option('--input <file>', 'read the execution as JSON from a file (`-` for standard input)')
    .option('--task-id <id>', 'task id (required without --input)')
    .option('--task-type <type>', 'task type, e.g. component, bugfix, api-integration')
    .addOption(new Option('--type <type>', 'old spelling of --task-type').hideHelp())
    .option('--component <name>', 'component, e.g. booking-form')
    .option('--agent <name>', 'agent that did the work')
    .option('--outcome <outcome>', 'success | partial | failure')
    .option('--duration <seconds>', 'how long the task took, in seconds')
    .option('--domains <list>', 'comma-separated domains, e.g. booking,square_api (repeatable)', listFlag)
    .addOption(new Option('--domain <list>', 'old spelling of --domains').argParser(listFlag).hideHelp())
    .option('--tags <list>', 'comma-separated tags (repeatable)', listFlag)
    .option('--scores <pairs>', 'scores you know, e.g. accuracy=90,surprise=40 (missing ones are computed)')
    .option('--accuracy <0-100>', 'accuracy score (decimals kept, e.g. 35.6)')
    .option('--efficiency <0-100>', 'efficiency score')
    .option('--reusability <0-100>', 'reusability score')
    .option('--surprise <0-100>', 'surprise score')
    .option('--model <name>', 'usage: the model that did the work')
    .option('--input-tokens <n>', 'usage: input tokens')
    .option('--output-tokens <n>', 'usage: output tokens')
    .option('--cost <usd>', 'usage: cost in US dollars, e.g. 0.42')
    .option('--error <message>', 'an error met during the task (repeatable)', collect, [])
    .option('--assumption <text>', 'pre: an assumption made (repeatable)', collect, [])
    .option('--dependency <name>', 'pre: a dependency (repeatable)', collect, [])
    .option('--decision <text>', 'during: a decision point (repeatable)', collect, [])
    .option('--alternative <text>', 'during: an alternative considered (repeatable)', collect, [])
    .option('--outcome-note <text>', 'post: an outcome (repeatable)', collect, [])
    .option('--deviation <text>', 'post: a deviation from the plan (repeatable)', collect, [])
    .option('--discovery <text>', 'post: an unexpected finding (repeatable)', collect, [])
    .option('--reused <list>', 'comma-separated templates/components/rules reused: record ids or free-form names (repeatable)', listFlag)
    .option('--produced <list>', 'comma-separated artefacts produced (repeatable)', listFlag)
    .option('--recalled <ids>', 'comma-separated record ids recall returned before the task (repeatable)', listFlag)
    .option('--checks <passed/failed>', 'automated checks, e.g. 41/1')
    .option('--sprint <name>', 'sprint name')
    .option('--title <text>', 'short title')
    .option('--body <markdown>', 'Markdown body (notes)')
    .option('--commit-sha <sha>', 'the code commit the task produced')
    .option('--id <id>', 'record id (default: a new ULID-based id)')
    .option('--started-at <iso>', 'start time (default: now minus the duration)')
    .option('--commit', 'commit the new files (one commit per record)')
    .option('--push', 'commit and push; rebase and retry when the remote moved')
    .option('--dry-run', 'validate and score, write nothing')
    .option('--no-reflect', 'do not write the reflection stub even when a trigger fires')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  learning-loop record --task-id BOOK-12 --task-type component --component booking-form \\
    --agent claude --outcome failure --duration 1800 --error "TypeError: tz is undefined" --commit
  learning-loop record --task-id BENCH-3 --type benchmark --agent gpt-4o --outcome partial \
    --duration 2700 --accuracy 35.6 --model gpt-4o --input-tokens 120000 --cost 0.42
  echo '{"task_id":"BOOK-12","task_type":"component","agent":"claude","outcome":"success","duration_s":600}' \\
    | learning-loop record --input - --json

Exit codes: 0 recorded, 1 invalid input / write or Git failure (nothing half-written), 2 usage error.`,
    )
    .action(async (flags: RecordFlags, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      let input: unknown;
      let source = '<flags>';
      let sourceText: string | undefined;
      const early: Diagnostic[] = [];
      if (flags.input !== undefined) {
        const fieldFlags = [
          'taskId',
          'taskType',
          'type',
          'component',
          'agent',
          'outcome',
          'duration',
          'scores',
          'accuracy',
          'efficiency',
          'reusability',
          'surprise',
          'model',
          'inputTokens',
          'outputTokens',
          'cost',
          'domains',
          'domain',
        ] as const;
        if (fieldFlags.some((k) => flags[k] !== undefined)) throw new UsageError('Give the execution either with --input or with field flags, not both.');
        if (flags.input === '-') {
          source = '<stdin>';
          sourceText = await ctx.io.readStdin();
        } else {
          source = flags.input;
          try {
            sourceText = readText(resolve(ctx.io.cwd, flags.input));
          } catch (error) {
            throw new UsageError(
              `Cannot read --input ${flags.input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
              'Pass an existing JSON file, or `-` to read standard input.',
            );
          }
        }
        const parsed = parseJsonInput(sourceText, source);
        early.push(...parsed.diagnostics);
        input = parsed.input;
      } else {
        const fromFlags = inputFromFlags(flags);
        if (fromFlags.diagnostics.length) {
          emit(ctx, flags, { ok: false, diagnostics: fromFlags.diagnostics, pushRetries: 0 }, cmd);
          ctx.exitCode = EXIT.USAGE;
          return;
        }
        input = fromFlags.input;
      }
      const result: RecordResult = early.length
        ? { ok: false, diagnostics: early, pushRetries: 0 }
        : await recordExecution(ws, input, { commit: flags.commit, push: flags.push, dryRun: flags.dryRun, reflect: flags.reflect, source, sourceText });
      emit(ctx, flags, { ...result, diagnostics: result.diagnostics.map(speakFlags) }, cmd);
      ctx.exitCode = result.ok ? EXIT.OK : EXIT.PROBLEMS;
    });
}

function emit(ctx: CliContext, flags: RecordFlags, r: RecordResult, cmd: Command): void {
  if (flags.json) {
    const out: Record<string, unknown> = { ok: r.ok, dryRun: Boolean(flags.dryRun) };
    if (r.execution) {
      out.id = r.execution.id;
      out.path = r.path;
      out.overall = r.execution.overall;
      out.trigger = r.execution.trigger ?? null;
      out.scores = r.execution.scores;
      out.computed = r.execution.computed ?? [];
    }
    if (r.reflection) out.reflection = r.reflection;
    if (r.commit) out.commit = r.commit;
    if (r.pushed !== undefined) {
      out.pushed = r.pushed;
      out.pushRetries = r.pushRetries;
    }
    out.diagnostics = diagnosticsJson(r.diagnostics);
    printJson(ctx.io, out);
    return;
  }
  if (r.execution && (r.ok || r.path)) {
    const e = r.execution;
    const lines = [
      `${flags.dryRun ? 'would record' : 'recorded'} ${e.id}`,
      `  path     ${r.path}`,
      `  overall  ${e.overall}  (accuracy ${e.scores.accuracy}, efficiency ${e.scores.efficiency}, reusability ${e.scores.reusability}, surprise ${e.scores.surprise}${e.computed?.length ? `; computed: ${e.computed.join(', ')}` : ''})`,
      `  trigger  ${e.trigger ?? 'none'}`,
    ];
    if (r.reflection) lines.push(`  reflection ${r.reflection.id}  ${r.reflection.path}`);
    if (r.commit) lines.push(`  commit   ${r.commit}`);
    if (r.pushed !== undefined) lines.push(`  pushed   ${r.pushed ? 'yes' : 'no'} (${r.pushRetries} retr${r.pushRetries === 1 ? 'y' : 'ies'})`);
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (r.diagnostics.length) ctx.io.stderr.write(formatPretty(r.diagnostics, ctx.color(cmd)));
}
