/** `learning-loop run [--task-id ID] [--type T] [--component C] [--agent A] [--json] -- <command...>`: the 8-step loop around a command. */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../io.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { LearningOrchestrator, type TaskResult } from '../../learn/orchestrator.js';

/** Lines of stderr kept as the execution's errors when the command fails. */
export const STDERR_TAIL_LINES = 10;

/** Runs a command with inherited stdin, stdout to `toStdout`, stderr teed; resolves its exit code and stderr tail. */
function runCommand(argv: string[], cwd: string, env: Record<string, string | undefined>, stdout: (s: string) => void, stderr: (s: string) => void, inheritStdout: boolean): Promise<{ code: number; tail: string[]; spawnError?: string }> {
  return new Promise((resolve) => {
    let tail = '';
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: env as NodeJS.ProcessEnv, stdio: ['inherit', inheritStdout ? 'inherit' : 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => stdout(d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      stderr(s);
      tail = (tail + s).slice(-16000);
    });
    child.on('error', (e) => resolve({ code: 127, tail: [], spawnError: e.message }));
    child.on('close', (code, signal) => {
      const lines = tail.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(-STDERR_TAIL_LINES);
      resolve({ code: code ?? (signal ? 128 : 1), tail: signal ? [...lines, `terminated by ${signal}`] : lines });
    });
  });
}

/** Registers `run`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Run a command with learning: recall before, time it, record the execution (exit code, stderr tail as errors), reflect when triggered, print improvements.')
    .argument('<command...>', 'the command to run (after --)')
    .option('--task-id <id>', 'task id (default: the command line)')
    .option('--type <type>', 'task type, e.g. component, integration, test', 'task')
    .option('--component <name>', 'component the task is about')
    .option('--domain <name...>', 'domains, e.g. square_api')
    .option('--agent <name>', 'agent name (default: $LEARNING_LOOP_AGENT or "orchestrator")')
    .option('--sprint <name>', 'sprint')
    .option('--commit', 'commit the execution record')
    .option('--push', 'commit and push (retrying on races)')
    .option('--json', 'print one JSON document; the command\'s stdout goes to stderr')
    .addHelpText('after', '\nExamples:\n  learning-loop run --type test --component booking-form -- npm test\n  learning-loop run --task-id t-42 --type integration --domain square_api --json -- node scripts/sync.js\n\nExit codes: 0 the command succeeded and was recorded, 1 the command failed or could not be recorded, 2 usage error.')
    .action(async (argv: string[], opts: { taskId?: string; type: string; component?: string; domain?: string[]; agent?: string; sprint?: string; commit?: boolean; push?: boolean; json?: boolean }, cmd: Command) => {
      if (!argv.length) throw new UsageError('Give the command to run after `--`.', 'Example: learning-loop run --type test -- npm test');
      if (!/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(opts.type)) throw new UsageError(`--type must be a lower-case term such as component or integration, not \`${opts.type}\`.`);
      if (opts.component !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(opts.component)) throw new UsageError(`--component must be a lower-case term such as booking-form, not \`${opts.component}\`.`);
      const root = (cmd.optsWithGlobals() as { root?: string }).root;
      const orch = new LearningOrchestrator({ cwd: ctx.io.cwd, ...(root ? { root } : {}), ...(opts.agent ? { agent: opts.agent } : ctx.io.env.LEARNING_LOOP_AGENT ? { agent: ctx.io.env.LEARNING_LOOP_AGENT } : {}), commit: Boolean(opts.commit), push: Boolean(opts.push) });
      const commandLine = argv.join(' ');
      let ran: { code: number; tail: string[]; spawnError?: string } = { code: 0, tail: [] };
      const outcome = await orch.executeWithLearning(
        { id: opts.taskId ?? commandLine.slice(0, 200), type: opts.type, ...(opts.component ? { component: opts.component } : {}), ...(opts.domain ? { domains: opts.domain } : {}), ...(opts.sprint ? { sprint: opts.sprint } : {}) },
        async ({ similar }) => {
          if (!opts.json && similar?.guidance.length) ctx.io.stderr.write(`[learning] before you start:\n${similar.guidance.map((g) => `  ${g.id}: ${g.text}`).join('\n')}\n`);
          ran = await runCommand(argv, ctx.io.cwd, ctx.io.env, (s) => ctx.io.stderr.write(s), (s) => ctx.io.stderr.write(s), !opts.json);
          const r: TaskResult = { exit_code: ran.code, command: commandLine.slice(0, 2000), outcome: ran.code === 0 ? 'success' : 'failure', outcomes: [`exit code ${ran.code}`] };
          if (ran.code !== 0) r.errors = ran.spawnError ? [ran.spawnError] : ran.tail.length ? ran.tail : [`exit code ${ran.code}`];
          return r;
        },
      );
      const ok = ran.code === 0 && outcome.diagnostics.every((d) => d.severity !== 'error');
      if (opts.json) {
        printJson(ctx.io, {
          ok,
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
        const lines = [`[learning] ${outcome.execution ? `recorded ${outcome.execution.id} (${outcome.path})` : 'not recorded'}: exit ${ran.code}, score ${outcome.score}${outcome.execution?.trigger ? `, ${outcome.execution.trigger}` : ''}`];
        if (outcome.reflection) lines.push(`[learning] reflection: ${outcome.reflection.written.join(', ') || outcome.reflection.action}`);
        for (const l of outcome.learnings) lines.push(`[learning] ${l}`);
        for (const i of outcome.improvements) lines.push(`[improve] ${i}`);
        ctx.io.stdout.write(`${lines.join('\n')}\n`);
      }
      ctx.exitCode = ok ? EXIT.OK : EXIT.PROBLEMS;
    });
}
