/** `learning-loop show <id...>`: full records by id (the MCP tool `get`). */
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { openIndex } from '../../index/api.js';
import { derivedLookup } from '../../agents/explain.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { didYouMean } from '../../core/diagnostics/suggest.js';
import { renderRecord } from '../../core/records/write.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT } from '../io.js';
import type { CliContext } from '../context.js';
import { readText } from '../../io/fs.js';

function readRecordText(repoRoot: string, file: string): string | undefined {
  try {
    return readText(isAbsolute(file) ? file : join(repoRoot, file));
  } catch {
    return undefined;
  }
}

/** Registers `show`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('show')
    .description('Print records in full by id: frontmatter and Markdown body (the MCP tool `get`).')
    .argument('<ids...>', 'record ids, e.g. rule-handle-timezone-conversions-for-appointments')
    .option('--json', 'print one JSON document: {ok, records: [{id, kind, file, data, body}], missing}')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop show rule-handle-timezone-conversions-for-appointments\n  learning-loop show ex-01M7AN6YB0E6EBXBW8VAN03QDW rf-01M7AN6YB0E6EBXBW8VAN03QDW --json\n\nExit codes: 0 every id found, 1 some id not found (the others are printed), 2 usage error.',
    )
    .action(async (ids: string[], opts: { json?: boolean }, cmd: Command) => {
      const ws = ctx.knowledgeBase(cmd, opts.json, { records: [], missing: ids });
      if (!ws) return;
      const rows = (await openIndex(ws).table()).rows;
      const byId = new Map(rows.map((r) => [r.id, r]));
      const found = [...new Set(ids)].map((id) => byId.get(id)).filter((r) => r !== undefined);
      const missing = [...new Set(ids)].filter((id) => !byId.has(id));
      const diagnostics: Diagnostic[] = [];
      // A row recall marked derived is not a record, but `explain` explains it (the store as the
      // last recall left it: a mistyped id does not rebuild anything).
      const lookup = derivedLookup(ws, rows, { noRefresh: true });
      for (const id of missing) {
        const derived = await lookup(id);
        const close = derived ? undefined : didYouMean(id, byId.keys());
        const hint = derived
          ? `\`${id}\` is ${derived.kind === 'effect' ? 'an effect' : 'a pattern'} derived from the history, not a record: run \`learning-loop explain ${id}\` for its statement, evidence and figures.`
          : close && `Did you mean \`${close}\`?`;
        diagnostics.push(diag('input/not-found', id, `No valid record has the id \`${id}\`.`, hint ? { hint } : {}));
      }
      if (opts.json) {
        printJson(ctx.io, {
          ok: !missing.length,
          records: found.map((r) => ({ id: r.id, kind: r.kind, file: r.file, data: r.data, body: r.body })),
          missing,
          diagnostics: diagnosticsJson(diagnostics),
        });
      } else {
        // The file as it is on disk (what a reviewer would open), headed by its path.
        ctx.io.stdout.write(found.map((r) => `# ${r.file}\n${readRecordText(ws.repoRoot, r.file) ?? renderRecord(r.data, r.body)}`).join('\n'));
        if (diagnostics.length) ctx.io.stderr.write(formatPretty(diagnostics, ctx.color(cmd)));
      }
      ctx.exitCode = missing.length ? EXIT.PROBLEMS : EXIT.OK;
    });
}
