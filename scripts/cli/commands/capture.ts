/**
 * `learning-loop capture claude-hook|git-commit`: record an execution from a hook. Best effort by
 * contract: whatever goes wrong, it exits 0 and explains on stderr, so it never breaks the
 * agent's session or the commit that triggered it (usage errors still exit 2).
 */
import { Option, type Command } from 'commander';
import { relative } from 'node:path';
import { exists, isDirectory, toPosix } from '../../io/fs.js';
import { openWorkspace } from '../../io/workspace.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { recordExecution } from '../../agents/record.js';
import { changedFiles, claudeHookInput, commitInput, isKnowledgeBaseOnly, lastCommit, readTranscript, type CaptureOverrides, type ClaudeHookPayload } from '../../agents/capture.js';
import { diagnosticsJson, formatPretty, printJson } from '../output.js';
import { EXIT, UsageError } from '../io.js';
import type { CliContext } from '../context.js';
import type { Workspace } from '../../core/workspace.js';

const SOURCES = ['claude-hook', 'git-commit'] as const;

interface CaptureFlags {
  outcome?: CaptureOverrides['outcome'];
  taskType?: string;
  agent?: string;
  commit?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

interface CaptureReport {
  ok: boolean;
  recorded: boolean;
  skipped?: string;
  id?: string;
  path?: string;
  diagnostics: Diagnostic[];
}

/** Registers `capture`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('capture')
    .description('Record an execution from a hook: Claude Code Stop/SessionEnd (payload on stdin) or the last git commit. Never fails the caller.')
    .argument('<source>', `one of: ${SOURCES.join(', ')}`)
    .addOption(new Option('--outcome <outcome>', 'override the derived outcome').choices(['success', 'partial', 'failure']))
    .option('--task-type <type>', 'task type to record (default: agent-session, or from a Conventional Commits prefix)')
    .option('--agent <name>', 'agent name to record (default: claude-code, or git)')
    .option('--commit', 'commit the new record (never with git-commit from a post-commit hook unless you want one record commit per commit)')
    .option('--dry-run', 'show what would be recorded; write nothing')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  echo \'{"session_id":"abc","transcript_path":"t.jsonl","hook_event_name":"SessionEnd"}\' | learning-loop capture claude-hook\n  learning-loop capture git-commit --dry-run --json\n\nClaude Code (.claude/settings.json):\n  {"hooks":{"SessionEnd":[{"hooks":[{"type":"command","command":"npx --no-install learning-loop capture claude-hook"}]}]}}\nGit post-commit: learning-loop hooks install --post-commit\n\nExit codes: always 0 once the source is known (problems are warnings on stderr), 2 usage error.',
    )
    .action(async (source: string, opts: CaptureFlags, cmd: Command) => {
      if (!(SOURCES as readonly string[]).includes(source)) throw new UsageError(`Unknown capture source \`${source}\`.`, `Use one of: ${SOURCES.join(', ')}.`);
      if (opts.taskType !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(opts.taskType)) throw new UsageError('`--task-type` must be a lower-case slug, e.g. `feature`.');
      const over: CaptureOverrides = { outcome: opts.outcome, task_type: opts.taskType, agent: opts.agent };
      let report: CaptureReport;
      try {
        report = source === 'claude-hook' ? await captureClaude(ctx, cmd, opts, over) : await captureCommit(ctx, cmd, opts, over);
      } catch (error) {
        // Best effort: an unexpected failure is a warning, never a broken session.
        report = { ok: false, recorded: false, diagnostics: [diag('capture/failed', '<capture>', `Capture failed: ${(error as Error).message}`)] };
      }
      if (opts.json) printJson(ctx.io, { ...report, diagnostics: diagnosticsJson(report.diagnostics) });
      else {
        if (report.recorded) ctx.io.stdout.write(`${opts.dryRun ? 'would record' : 'recorded'} ${report.id} (${report.path})\n`);
        else if (report.skipped) ctx.io.stdout.write(`nothing recorded: ${report.skipped}\n`);
        if (report.diagnostics.length) ctx.io.stderr.write(formatPretty(report.diagnostics, ctx.color(cmd)));
      }
      ctx.exitCode = EXIT.OK;
    });
}

/** Drops files under the build folder: derived output is never part of a task. */
function withoutBuild(ws: Workspace, files: readonly string[]): string[] {
  const rel = toPosix(relative(ws.repoRoot, ws.outDir));
  if (!rel || rel.startsWith('..')) return [...files];
  return files.filter((f) => f !== rel && !f.startsWith(`${rel}/`));
}

function asWarnings(list: readonly Diagnostic[]): Diagnostic[] {
  return list.map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d));
}

async function record(ws: Workspace, input: Record<string, unknown>, opts: CaptureFlags, source: string): Promise<CaptureReport> {
  if (!exists(ws.kbRoot))
    return {
      ok: false,
      recorded: false,
      diagnostics: [diag('capture/failed', ws.kbPrefix || '.', `No knowledge base at ${ws.kbPrefix || ws.kbRoot}; nothing recorded.`, { hint: 'Run `learning-loop init` in the repository first.' })],
    };
  const result = await recordExecution(ws, input, { commit: opts.commit, dryRun: opts.dryRun, source, reflect: true });
  if (!result.ok && result.diagnostics.some((d) => d.rule === 'id/duplicate') && !result.path) {
    return { ok: true, recorded: false, skipped: `already recorded as ${String(input.id)}`, diagnostics: [] };
  }
  if (!result.ok && !result.path) {
    return { ok: false, recorded: false, diagnostics: [diag('capture/failed', source, 'The execution could not be recorded; see the problems below.'), ...asWarnings(result.diagnostics)] };
  }
  return { ok: result.ok, recorded: true, id: result.execution?.id, path: result.path, diagnostics: asWarnings(result.diagnostics) };
}

async function captureClaude(ctx: CliContext, cmd: Command, opts: CaptureFlags, over: CaptureOverrides): Promise<CaptureReport> {
  const raw = await ctx.io.readStdin();
  let payload: ClaudeHookPayload;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    payload = parsed as ClaudeHookPayload;
  } catch (error) {
    return {
      ok: false,
      recorded: false,
      diagnostics: [diag('capture/failed', '<stdin>', `The hook payload is not a JSON object (${(error as Error).message}); nothing recorded.`, { line: 1, column: 1 })],
    };
  }
  // The session's folder (payload.cwd) decides the repository, whatever folder the hook runs in.
  const root = (cmd.optsWithGlobals() as { root?: string }).root;
  const ws = typeof payload.cwd === 'string' && isDirectory(payload.cwd) ? openWorkspace({ cwd: payload.cwd, root }) : ctx.workspace(cmd);
  const info = readTranscript(typeof payload.transcript_path === 'string' ? payload.transcript_path : undefined, typeof payload.cwd === 'string' ? payload.cwd : ctx.io.cwd);
  const changed = ws.inGit ? withoutBuild(ws, changedFiles(ws.repoRoot)) : [];
  const input = claudeHookInput(payload, info, changed, ws.kbPrefix, new Date(), over);
  return record(ws, input, opts, '<claude-hook>');
}

async function captureCommit(ctx: CliContext, cmd: Command, opts: CaptureFlags, over: CaptureOverrides): Promise<CaptureReport> {
  const ws = ctx.workspace(cmd);
  if (!ws.inGit) return { ok: false, recorded: false, diagnostics: [diag('capture/failed', '.', 'Not inside a Git repository; nothing recorded.')] };
  const c = lastCommit(ws.repoRoot);
  if (!c) return { ok: true, recorded: false, skipped: 'the repository has no commits yet', diagnostics: [] };
  c.files = withoutBuild(ws, c.files);
  // Record commits (and other knowledge-base-only commits) are not tasks: capturing them would loop.
  if (isKnowledgeBaseOnly(c.files, ws.kbPrefix)) return { ok: true, recorded: false, skipped: 'the commit only changed the knowledge base', diagnostics: [] };
  return record(ws, commitInput(c, ws.kbPrefix, over), opts, '<git-commit>');
}
