/** `learning-loop validate [paths...]`: check records, report every problem at once. */
import { resolve, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { hasFailures, countBySeverity } from '../../core/diagnostics/diagnostic.js';
import { diag } from '../../core/diagnostics/diagnostic.js';
import { exists, fileInfo, isDirectory, toPosix, walkFiles } from '../../io/fs.js';
import { diagnosticsJson, formatGithub, formatPretty, printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { findStaleLearnings } from '../../agents/staleness.js';

/** Registers `validate`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check every record (or the given files/folders): frontmatter, schema, ids, links, folders.')
    .argument('[paths...]', 'files or folders inside the knowledge base (default: all)')
    .addOption(new Option('--format <format>', 'output format').choices(['pretty', 'json', 'github']).default('pretty'))
    .option('--strict', 'treat warnings as errors', false)
    .option('--json', 'same as --format json')
    .option('--stale', 'also flag accepted learnings whose files changed a lot or disappeared in Git history (stale/learning warnings)')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop validate\n  learning-loop validate learning-loop/rules --format github\n  learning-loop validate --stale\n\nExit codes: 0 clean, 1 problems found (warnings only with --strict), 2 usage error.',
    )
    .action(async (paths: string[], opts: { format: string; strict: boolean; json?: boolean; stale?: boolean }, cmd: Command) => {
      const ws = ctx.workspace(cmd);
      if (!exists(ws.kbRoot)) {
        const d = diag('kb/missing', ws.kbPrefix || ws.kbRoot, `No knowledge base at ${ws.kbRoot}.`);
        emit(ctx, opts.json ? 'json' : opts.format, [d], { files: 0, records: 0 }, cmd);
        ctx.exitCode = EXIT.PROBLEMS;
        return;
      }
      let only: Set<string> | undefined;
      if (paths.length) {
        only = new Set();
        for (const p of paths) {
          const abs = resolve(ctx.io.cwd, p);
          const rel = toPosix(relative(ws.kbRoot, abs));
          if (rel.startsWith('..') || !exists(abs))
            throw new UsageError(`\`${p}\` is not a file or folder inside the knowledge base (${ws.kbRoot}).`, 'Pass paths under the knowledge base, or none to check everything.');
          const links: string[] = [];
          // A folder given as a link is the link itself (never entered).
          if (isDirectory(abs) && !fileInfo(abs, { followLinks: false })?.isSymlink) for (const f of [...walkFiles(abs, links), ...links]) only.add(rel ? `${rel}/${f}` : f);
          else only.add(rel);
        }
      }
      const result = await openIndex(ws).check(only);
      if (opts.stale) {
        const rows = result.records.map((r) => ({ id: r.record.id, kind: r.record.kind, file: r.file, data: r.record, body: r.body }));
        const stale = await findStaleLearnings(ws, rows);
        result.diagnostics.push(...stale.filter((d) => !only || only.has(d.file.slice(ws.kbPrefix.length))));
      }
      emit(ctx, opts.json ? 'json' : opts.format, result.diagnostics, { files: only ? only.size : result.files, records: result.records.length }, cmd);
      ctx.exitCode = hasFailures(result.diagnostics, opts.strict) ? EXIT.PROBLEMS : EXIT.OK;
    });
}

function emit(ctx: CliContext, format: string, list: Parameters<typeof formatPretty>[0], counts: { files: number; records: number }, cmd: Command): void {
  if (format === 'json') {
    printJson(ctx.io, { ok: !hasFailures(list), ...counts, summary: countBySeverity(list), diagnostics: diagnosticsJson(list) });
  } else if (format === 'github') {
    ctx.io.stdout.write(formatGithub(list));
  } else {
    const text = formatPretty(list, ctx.color(cmd));
    if (text) ctx.io.stdout.write(text);
    else ctx.io.stdout.write(`${counts.files} file${counts.files === 1 ? '' : 's'} checked, no problems.\n`);
  }
}
