/**
 * `learning-loop hooks install|uninstall|status|run`: the Git pre-commit hook that validates the
 * staged records and refuses secrets, and the optional post-commit capture hook.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkStaged, hookStatus, installHook, uninstallHook, HOOK_KINDS, type HookChange, type HookKind } from '../../agents/hooks.js';
import { packageRoot } from '../../io/fs.js';
import { countBySeverity, hasFailures } from '../../core/diagnostics/diagnostic.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import type { Workspace } from '../../core/workspace.js';

function gitWorkspace(ctx: CliContext, cmd: Command): Workspace {
  const ws = ctx.workspace(cmd);
  if (!ws.inGit) throw new UsageError(`${ws.repoRoot} is not inside a Git repository.`, 'Run `git init` first, then install the hooks.');
  return ws;
}

function report(ctx: CliContext, cmd: Command, changes: HookChange[], json: boolean | undefined): void {
  const problems = changes.flatMap((c) => (c.diagnostic ? [c.diagnostic] : []));
  if (json) printJson(ctx.io, { ok: problems.length === 0, hooks: changes.map(({ diagnostic: _d, ...c }) => c), diagnostics: diagnosticsJson(problems) });
  else {
    for (const c of changes) if (c.action !== 'refused') ctx.io.stdout.write(`${c.hook}: ${c.action} (${c.path})\n`);
    if (problems.length) ctx.io.stderr.write(formatPretty(problems, ctx.color(cmd)));
  }
  ctx.exitCode = problems.length ? EXIT.PROBLEMS : EXIT.OK;
}

/**
 * Registers `hooks` (and, until the command registry lists it, `ci`: the workflows call
 * `learning-loop ci …`, so it must be available; registered once).
 */
export function register(program: Command, ctx: CliContext): void {
  const hooks = program
    .command('hooks')
    .description('Install, remove or inspect the Git hooks (pre-commit validation of staged records; optional post-commit capture).')
    .addHelpText('after', '\nExamples:\n  learning-loop hooks install\n  learning-loop hooks install --post-commit --chain\n  learning-loop hooks status --json\n  learning-loop hooks uninstall');

  hooks
    .command('install')
    .description('Add the pre-commit hook (and with --post-commit the capture hook). Never overwrites an existing hook.')
    .option('--post-commit', 'also install the post-commit hook that runs `learning-loop capture git-commit`')
    .option('--chain', 'when a hook already exists, run ours first and keep the existing commands')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop hooks install --chain\n\nExit codes: 0 installed, 1 an existing hook was left untouched (use --chain), 2 usage error.')
    .action((opts: { postCommit?: boolean; chain?: boolean; json?: boolean }, cmd: Command) => {
      const ws = gitWorkspace(ctx, cmd);
      const kinds: HookKind[] = opts.postCommit ? ['pre-commit', 'post-commit'] : ['pre-commit'];
      const bin = join(packageRoot(), 'bin', 'learning-loop.js');
      report(
        ctx,
        cmd,
        kinds.map((k) => installHook(ws.repoRoot, k, { chain: opts.chain, bin })),
        opts.json,
      );
    });

  hooks
    .command('uninstall')
    .description('Remove our blocks from the hooks (other commands in them are kept).')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop hooks uninstall')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ws = gitWorkspace(ctx, cmd);
      report(
        ctx,
        cmd,
        HOOK_KINDS.map((k) => uninstallHook(ws.repoRoot, k)),
        opts.json,
      );
    });

  hooks
    .command('status')
    .description('Show which hooks are installed and where.')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', '\nExample:\n  learning-loop hooks status --json')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ws = gitWorkspace(ctx, cmd);
      const status = hookStatus(ws.repoRoot);
      if (opts.json) printJson(ctx.io, { hooks: status });
      else
        for (const s of status)
          ctx.io.stdout.write(
            `${s.hook}: ${s.installed ? `installed${s.chained ? ' (chained with other commands)' : ''}` : s.exists ? 'not installed (another hook exists)' : 'not installed'} (${s.path})\n`,
          );
      ctx.exitCode = EXIT.OK;
    });

  hooks
    .command('run')
    .description('What the installed hooks call: `run pre-commit` checks the staged records and refuses secrets.')
    .argument('<hook>', 'pre-commit')
    .option('--json', 'print the diagnostics as JSON')
    .addHelpText('after', '\nExample:\n  git add learning-loop && learning-loop hooks run pre-commit\n\nExit codes: 0 commit may proceed, 1 problems in staged records, 2 usage error.')
    .action(async (hook: string, opts: { json?: boolean }, cmd: Command) => {
      if (hook !== 'pre-commit') throw new UsageError(`\`hooks run ${hook}\` is not a hook we run.`, 'Use `learning-loop hooks run pre-commit`.');
      const ws = gitWorkspace(ctx, cmd);
      const result = await checkStaged(ws);
      const failed = hasFailures(result.diagnostics);
      if (opts.json) printJson(ctx.io, { ok: !failed, files: result.files, summary: countBySeverity(result.diagnostics), diagnostics: diagnosticsJson(result.diagnostics) });
      else if (result.diagnostics.length) {
        ctx.io.stderr.write(formatPretty(result.diagnostics, ctx.color(cmd)));
        if (failed) ctx.io.stderr.write('learning-loop: commit refused; fix the staged records above (or `git commit --no-verify` to skip at your own risk).\n');
      }
      ctx.exitCode = failed ? EXIT.PROBLEMS : EXIT.OK;
    });
}
