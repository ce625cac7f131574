/** `learning-loop run [--task-id ID] [--task-type T] [--component C] [--agent A] [--json] -- <command...>`: the 8-step loop around a command. */
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../io.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { LearningOrchestrator, type TaskResult } from '../../agents/orchestrator.js';
import { commandSummary, errorLines, recordedCommand, relativizePaths, type PathPlaces } from '../../agents/run-output.js';
import type { SimilarResult } from '../../core/recall/similar.js';
import { redactSecrets } from '../../core/records/secrets.js';
import { listFlag } from '../flags.js';
import { runTeed } from '../../io/process.js';

/** Lines of stderr kept as the execution's errors when the command fails. */
export const STDERR_TAIL_LINES = 10;

/** How a command ended: its exit code (128 + signal number when a signal ended it). */
interface Ran {
  code: number;
  tail: string[];
  spawnError?: string;
}

/** Runs a command with inherited stdin, stdout to `toStdout`, stderr teed; resolves its exit code and stderr tail. */
async function runCommand(argv: string[], cwd: string, env: Record<string, string | undefined>, stdout: (s: string) => void, stderr: (s: string) => void, inheritStdout: boolean): Promise<Ran> {
  const ran = await runTeed(argv, { cwd, env, stdout, stderr, inheritStdout, keepChars: 16000 });
  if (ran.spawnError !== undefined) return { code: ran.code, tail: [], spawnError: ran.spawnError };
  // Redacted as a whole: a key block spans lines, and one line alone does not look like a key.
  const lines = redactSecrets(ran.stderrTail).text.split('\n');
  return { code: ran.code, tail: ran.signal ? [...lines, `terminated by ${ran.signal}`] : lines };
}

/** One line per recalled id: what `run` recalled before the command starts. */
export function recalledLines(similar: SimilarResult | undefined, recalled: readonly string[]): string[] {
  const guidance = new Map((similar?.guidance ?? []).map((g) => [g.id, g]));
  const executions = new Map((similar?.executions ?? []).map((e) => [e.id, e]));
  return recalled.map((id) => {
    const g = guidance.get(id);
    if (g) return `${id} (${g.kind}${g.status ? `, ${g.status}` : ''}): ${g.text.replace(/\s+/g, ' ').slice(0, 160)}`;
    const e = executions.get(id);
    if (e) return `${id} (execution, ${e.outcome ?? 'unknown'}${e.overall !== undefined ? `, ${e.overall}` : ''}): ${e.title.replace(/\s+/g, ' ').slice(0, 120)}`;
    return id;
  });
}

interface RunFlags {
  taskId?: string;
  taskType?: string;
  type?: string;
  component?: string;
  domains: string[];
  agent?: string;
  sprint?: string;
  commit?: boolean;
  push?: boolean;
  quiet?: boolean;
  json?: boolean;
}

/** Registers `run`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Run a command with learning: recall before (printed), time it, record the execution (exit code, the stderr lines that carry an error), reflect when triggered, print improvements.')
    .argument('<command...>', 'the command to run (after --)')
    .option('--task-id <id>', 'task id (default: a short form of the command line)')
    .option('--task-type <type>', 'task type, e.g. component, integration, test (default: task)')
    .addOption(new Option('--type <type>', 'old spelling of --task-type').hideHelp())
    .option('--component <name>', 'component the task is about')
    .option('--domains <list>', 'comma-separated domains, e.g. square_api,booking (repeatable)', listFlag, [])
    .addOption(new Option('--domain <list>', 'old spelling of --domains').argParser(listFlag).hideHelp())
    .option('--agent <name>', 'agent name (default: $LEARNING_LOOP_AGENT or "orchestrator")')
    .option('--sprint <name>', 'sprint')
    .option('--commit', 'commit the execution record')
    .option('--push', 'commit and push (retrying on races)')
    .option('--quiet', 'do not print what was recalled before the command starts')
    .option('--json', "print one JSON document; the command's stdout goes to stderr")
    .addHelpText(
      'after',
      "\nExamples:\n  learning-loop run --task-type test --component booking-form -- npm test\n  learning-loop run --task-id t-42 --task-type integration --domains square_api --json -- node scripts/sync.js\n\nThe command's exit code is passed through (3 stays 3; a signal gives 128 + its number). Otherwise:\n0 the command succeeded and was recorded, 1 it succeeded but could not be recorded, 2 usage error.",
    )
    .action(async (argv: string[], opts: RunFlags & { domain?: string[] }, cmd: Command) => {
      if (!argv.length) throw new UsageError('Give the command to run after `--`.', 'Example: learning-loop run --task-type test -- npm test');
      const taskType = opts.taskType ?? opts.type ?? 'task';
      if (!/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(taskType)) throw new UsageError(`--task-type must be a lower-case term such as component or integration, not \`${taskType}\`.`);
      if (opts.component !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(opts.component))
        throw new UsageError(`--component must be a lower-case term such as booking-form, not \`${opts.component}\`.`);
      const domains = [...new Set([...opts.domains, ...(opts.domain ?? [])])];
      const root = (cmd.optsWithGlobals() as { root?: string }).root;
      const orch = new LearningOrchestrator({
        cwd: ctx.io.cwd,
        ...(root ? { root } : {}),
        ...(opts.agent ? { agent: opts.agent } : ctx.io.env.LEARNING_LOOP_AGENT ? { agent: ctx.io.env.LEARNING_LOOP_AGENT } : {}),
        commit: Boolean(opts.commit),
        push: Boolean(opts.push),
      });
      if ((opts.commit || opts.push) && !orch.workspace.inGit)
        throw new UsageError(
          `--${opts.push ? 'push' : 'commit'} needs a Git repository, and ${orch.workspace.repoRoot} is not inside one; the command was not run.`,
          'Run `git init` first, or leave out --commit/--push to record without committing.',
        );
      // Records are shared: no path that only exists on this machine goes into one.
      const home = ctx.io.env.HOME ?? ctx.io.env.USERPROFILE;
      const places: PathPlaces = { repoRoot: orch.workspace.repoRoot, ...(home ? { home } : {}) };
      const command = recordedCommand(argv, places);
      let ran: Ran = { code: 0, tail: [] };
      const outcome = await orch.executeWithLearning(
        {
          id: opts.taskId ?? commandSummary(argv, places),
          type: taskType,
          ...(opts.component ? { component: opts.component } : {}),
          ...(domains.length ? { domains } : {}),
          ...(opts.sprint ? { sprint: opts.sprint } : {}),
        },
        async ({ similar, recalled }) => {
          if (!opts.json && !opts.quiet && recalled.length)
            ctx.io.stderr.write(
              `[learning] recalled before you start:\n${recalledLines(similar, recalled)
                .map((l) => `  ${l}`)
                .join('\n')}\n`,
            );
          ran = await runCommand(
            argv,
            ctx.io.cwd,
            ctx.io.env,
            (s) => ctx.io.stderr.write(s),
            (s) => ctx.io.stderr.write(s),
            !opts.json,
          );
          const r: TaskResult = { exit_code: ran.code, command: command.slice(0, 2000), outcome: ran.code === 0 ? 'success' : 'failure', outcomes: [`exit code ${ran.code}`] };
          if (ran.code !== 0) {
            const lines = errorLines(ran.tail, STDERR_TAIL_LINES).map((l) => relativizePaths(l, places));
            r.errors = ran.spawnError ? [relativizePaths(ran.spawnError, places)] : lines.length ? lines : [`exit code ${ran.code}`];
          }
          return r;
        },
      );
      const recorded = outcome.diagnostics.every((d) => d.severity !== 'error') && Boolean(outcome.execution);
      if (opts.json) {
        printJson(ctx.io, {
          ok: ran.code === 0 && recorded,
          exit_code: ran.code,
          score: outcome.score,
          execution: outcome.execution ?? null,
          path: outcome.path ?? null,
          recalled: outcome.recalled,
          reflection: outcome.reflection ?? null,
          learnings: outcome.learnings,
          improvements: outcome.improvements,
          diagnostics: diagnosticsJson(outcome.diagnostics),
        });
      } else {
        reportToStderr(ctx.io, outcome.diagnostics, ctx.color(cmd));
        const lines = [
          `[learning] ${outcome.execution ? `recorded ${outcome.execution.id} (${outcome.path})` : 'not recorded'}: exit ${ran.code}, score ${outcome.score}${outcome.execution?.trigger ? `, ${outcome.execution.trigger}` : ''}`,
        ];
        if (outcome.reflection) lines.push(`[learning] reflection: ${outcome.reflection.written.join(', ') || outcome.reflection.action}`);
        for (const l of outcome.learnings) lines.push(`[learning] ${l}`);
        for (const i of outcome.improvements) lines.push(`[improve] ${i}`);
        ctx.io.stdout.write(`${lines.join('\n')}\n`);
      }
      // Like npm and vitest: the command's own exit code, so scripts around `run` see it.
      ctx.exitCode = ran.code !== 0 ? ran.code : recorded ? EXIT.OK : EXIT.PROBLEMS;
    });
}
