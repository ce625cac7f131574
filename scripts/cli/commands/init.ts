/** `learning-loop init`: create the knowledge base structure, config and (optionally) the seed patterns. */
import type { Command } from 'commander';
import { diag } from '../../core/diagnostics/diagnostic.js';
import { initKnowledgeBase } from '../../agents/init-kb.js';
import { installWorkflows } from '../../agents/workflows.js';
import { openWorkspace } from '../../io/workspace.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT } from '../io.js';
import type { CliContext } from '../context.js';

interface InitFlags {
  example?: boolean;
  git: boolean;
  workflows?: boolean;
  json?: boolean;
}

/** Registers `init`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Create the knowledge base structure and config (with --example: the seed patterns). Never overwrites a file.')
    .option('--example', "also write the seed's Step 4 patterns (reiki_patterns, square_api) as pattern records")
    .option('--no-git', 'allow a folder that is not a Git repository')
    .option('--workflows', 'also install the GitHub workflows into .github/workflows/')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop init\n  learning-loop init --example --workflows\n  learning-loop --root docs/memory init --no-git\n\nRunning it again is safe: existing files are kept and listed as kept.',
    )
    .action((flags: InitFlags, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      if (!ws.inGit && flags.git) {
        const d = diag('git/not-a-repo', '.', `${ctx.io.cwd} is not inside a Git repository; nothing was created.`);
        if (flags.json) printJson(ctx.io, { ok: false, created: [], kept: [], diagnostics: diagnosticsJson([d]) });
        else ctx.io.stderr.write(formatPretty([d], ctx.color(cmd)));
        ctx.exitCode = EXIT.PROBLEMS;
        return;
      }
      const result = initKnowledgeBase(ws, { example: flags.example });
      let workflows: { written: string[]; kept: string[] } | undefined;
      if (flags.workflows) workflows = installWorkflows(ws.repoRoot);
      const created = [...result.created, ...(workflows?.written ?? [])];
      const kept = [...result.kept, ...(workflows?.kept ?? [])];
      // Re-open so the config just written is the one reported.
      const after = openWorkspace({ cwd: ctx.io.cwd, root: (cmd.optsWithGlobals() as { root?: string }).root });
      const problems = after.configDiagnostics.filter((d) => d.severity === 'error');
      if (flags.json) {
        printJson(ctx.io, { ok: problems.length === 0, root: ws.kbPrefix || '.', created, kept, gitignore: result.gitignore, diagnostics: diagnosticsJson(problems) });
      } else {
        const out: string[] = [`knowledge base: ${ws.kbPrefix || ws.kbRoot}`];
        for (const f of created) out.push(`  created  ${f}`);
        for (const f of kept) out.push(`  kept     ${f}`);
        for (const g of result.gitignore) out.push(`  .gitignore += ${g}`);
        out.push(`${created.length} created, ${kept.length} kept.${created.length ? ' Next: learning-loop record --help' : ''}`);
        ctx.io.stdout.write(`${out.join('\n')}\n`);
        if (problems.length) ctx.io.stderr.write(formatPretty(problems, ctx.color(cmd)));
      }
      ctx.exitCode = problems.length ? EXIT.PROBLEMS : EXIT.OK;
    });
}
