/** `learning-loop site build|preview`: build the static learnings site, or serve a built one. */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import { diagnosticsJson, printJson, reportToStderr } from '../output.js';
import { hasFailures } from '../../core/diagnostics/diagnostic.js';
import { buildSite, normalizeBase, previewSite } from '../../agents/publish/site.js';
import { checkSiteLinks } from '../../agents/publish/site-links.js';
import { PortUnavailableError, type StaticServer } from '../../io/static-server.js';
import { plural } from '../../core/diagnostics/words.js';
import { exists } from '../../io/fs.js';

function parseBase(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/[?#\\\s]|\.\./.test(value) || /^[a-z]+:/i.test(value))
    throw new UsageError(`\`--base ${value}\` is not a URL path.`, 'Pass the path the site is served under, e.g. --base /my-repo/ for a GitHub Pages project site.');
  return normalizeBase(value);
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 4321;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`\`--port ${value}\` is not a port number.`, 'Use a number from 0 to 65535 (0 picks a free port).');
  return n;
}

function parseCap(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`\`--execution-pages ${value}\` is not a whole number.`, 'Use e.g. --execution-pages 5000 (0 gives pages only to referenced executions).');
  return n;
}

/** Registers `site` with `build` and `preview`. */
export function register(program: Command, ctx: CliContext): void {
  const site = program
    .command('site')
    .description('Build or preview the static learnings site (dashboard, executions, patterns, rules, search).')
    .addHelpText('after', '\nExamples:\n  learning-loop site build\n  learning-loop site build --base /my-repo/ --out _site\n  learning-loop site preview --base /my-repo/ --out _site');

  site
    .command('build')
    .description('Update the build outputs, then build the static site (default folder: <build folder>/site).')
    .option('--base <path>', 'base path the site is served under, e.g. /my-repo/ for GitHub Pages project sites', undefined)
    .option('--out <dir>', 'output folder (default: .learning-loop/build/site)')
    .option('--title <text>', 'site title', 'Learnings')
    .option('--execution-pages <n>', 'most recent executions that get their own page (referenced ones always do)', undefined)
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  learning-loop site build\n  learning-loop site build --base /my-repo/ --out _site --json\n\nExit codes: 0 built (invalid records are left out and reported), 1 invalid records or broken links, 2 usage error.',
    )
    .action(async (opts: { base?: string; out?: string; title: string; executionPages?: string; json?: boolean }, cmd: Command) => {
      const base = parseBase(opts.base);
      const cap = parseCap(opts.executionPages);
      const ws = ctx.knowledgeBase(cmd, opts.json);
      if (!ws) return;
      const outDir = opts.out ? resolve(ctx.io.cwd, opts.out) : undefined;
      const result = await buildSite(ws, { base, outDir, title: opts.title, executionPageCap: cap });
      const links = checkSiteLinks(result.outDir, result.base);
      const problems = hasFailures(result.diagnostics) || links.broken.length > 0;
      if (opts.json) {
        printJson(ctx.io, {
          ok: !problems,
          outDir: result.outDir,
          base: result.base,
          pages: result.pages,
          records: result.records,
          executions: result.executions,
          executionPages: result.executionPages,
          missing: result.missing,
          durationMs: result.durationMs,
          phases: result.phases,
          cpu: result.cpu,
          links: { checked: links.checked, broken: links.broken.slice(0, 100) },
          diagnostics: diagnosticsJson(result.diagnostics),
        });
      } else {
        reportToStderr(ctx.io, result.diagnostics, ctx.color(cmd));
        for (const b of links.broken.slice(0, 20)) ctx.io.stderr.write(`broken link ${b.href} in ${b.page}\n`);
        ctx.io.stdout.write(
          `Built ${plural(result.pages, 'page')} (${plural(result.records, 'record')}, ${result.executionPages} of ${plural(result.executions, 'execution')} with a page) in ${(result.durationMs / 1000).toFixed(1)} s\n  ${result.outDir}  (base ${result.base})\n`,
        );
        if (result.missing.length) ctx.io.stdout.write(`  not available yet: ${result.missing.join(', ')}\n`);
      }
      ctx.exitCode = problems ? EXIT.PROBLEMS : EXIT.OK;
    });

  site
    .command('preview')
    .description('Serve a built site on loopback under its base path (Ctrl-C to stop).')
    .option('--base <path>', 'base path the site was built with', undefined)
    .option('--out <dir>', 'the built site folder (default: .learning-loop/build/site)')
    .option('--port <n>', 'port; when it is taken the next free one is used and named (0 picks any free one)', '4321')
    .option('--json', 'print the URL as one JSON document')
    .addHelpText(
      'after',
      '\nExample:\n  learning-loop site build --base /my-repo/ && learning-loop site preview --base /my-repo/\n\nExit codes: 0 served until interrupted, 1 no port could be listened on, 2 usage error (no built site, bad flag).',
    )
    .action(async (opts: { base?: string; out?: string; port?: string; json?: boolean }, cmd: Command) => {
      const base = parseBase(opts.base);
      const port = parsePort(opts.port);
      const ws = ctx.workspace(cmd);
      const dir = opts.out ? resolve(ctx.io.cwd, opts.out) : join(ws.outDir, 'site');
      if (!exists(join(dir, 'index.html'))) throw new UsageError(`No built site in ${dir}.`, 'Run `learning-loop site build` first (with the same --out and --base).');
      let server: StaticServer;
      try {
        server = await previewSite(ws, { dir, base, port });
      } catch (error) {
        if (!(error instanceof PortUnavailableError)) throw error;
        const hint = 'Pass another port with --port <n>, or --port 0 for any free one.';
        if (opts.json) printJson(ctx.io, { ok: false, error: error.message, hint });
        else ctx.io.stderr.write(`learning-loop: ${error.message}\n  ${hint}\n`);
        ctx.exitCode = EXIT.PROBLEMS;
        return;
      }
      const moved = server.port !== server.requestedPort ? `Port ${server.requestedPort} is in use; serving on port ${server.port} instead.` : undefined;
      if (opts.json) printJson(ctx.io, { ok: true, url: server.url, dir, port: server.port, requestedPort: server.requestedPort });
      else ctx.io.stdout.write(`${moved ? `${moved}\n` : ''}Serving ${dir}\n  ${server.url}\n`);
      // Keep serving until the process is interrupted.
      await new Promise<void>((done) => {
        const stop = (): void => {
          void server.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
