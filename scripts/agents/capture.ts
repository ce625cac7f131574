/**
 * Automatic capture: turn what a hook can know (a Claude Code hook payload and its transcript,
 * or the commit that just happened) into execution input for `recordExecution`.
 *
 * The builders are pure (`claudeHookInput`, `commitInput`); the gatherers read the transcript and
 * Git. Capture is best effort by design: it must never break the agent's session or a commit.
 */
import { isAbsolute, resolve } from 'node:path';
import { slugify } from '../core/records/ids.js';
import { scanSecrets } from '../core/records/secrets.js';
import { own } from '../core/dict.js';
import { fileInfo, readText } from '../io/fs.js';
import { gitSyncText } from '../io/git.js';

/** The fields of a Claude Code hook payload capture uses (others are ignored). */
export interface ClaudeHookPayload {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  /** SessionEnd: why the session ended (clear, logout, prompt_input_exit, other). */
  reason?: string;
}

/** What a transcript tells about the session. */
export interface TranscriptInfo {
  /** The first real user prompt (not a tool result, command or meta message). */
  prompt?: string;
  /** First and last timestamps seen (ISO). */
  first?: string;
  last?: string;
  /** The last test-like command run and whether it failed. */
  lastTest?: { command: string; failed: boolean };
  /** Number of tool calls that reported an error. */
  toolErrors: number;
  /** Short error texts from failed tool calls (at most 5). */
  errors: string[];
}

/** Commands that count as a test run for the outcome. */
const TEST_COMMAND = /\b(?:npm (?:run )?test|pnpm (?:run )?test|yarn test|npx vitest|vitest|jest|pytest|go test|cargo test|mvn test|gradle test|rspec|phpunit|dotnet test|make test|bun test)\b/;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (isObj(c) && c.type === 'text' && typeof c.text === 'string' ? c.text : typeof c === 'string' ? c : '')).join('\n');
  return '';
}

/**
 * Reads a Claude Code transcript (JSON Lines). Unreadable lines are skipped: a transcript is a
 * hint, never a reason to fail.
 */
export function parseTranscript(text: string): TranscriptInfo {
  const info: TranscriptInfo = { toolErrors: 0, errors: [] };
  const testCalls = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObj(entry)) continue;
    const ts = typeof entry.timestamp === 'string' && !Number.isNaN(Date.parse(entry.timestamp)) ? entry.timestamp : undefined;
    if (ts) {
      if (!info.first || ts < info.first) info.first = ts;
      if (!info.last || ts > info.last) info.last = ts;
    }
    const message = isObj(entry.message) ? entry.message : undefined;
    const content = message?.content;
    if (entry.type === 'user' && !entry.isMeta && !info.prompt) {
      const t = textOf(content).trim();
      const isToolResult = Array.isArray(content) && content.some((c) => isObj(c) && c.type === 'tool_result');
      if (t && !isToolResult && !t.startsWith('<') && !t.startsWith('Caveat:')) info.prompt = t;
    }
    if (!Array.isArray(content)) continue;
    for (const c of content) {
      if (!isObj(c)) continue;
      if (c.type === 'tool_use' && isObj(c.input) && typeof c.input.command === 'string' && typeof c.id === 'string' && TEST_COMMAND.test(c.input.command)) {
        testCalls.set(c.id, c.input.command);
      }
      if (c.type === 'tool_result') {
        const failed = c.is_error === true;
        if (failed) {
          info.toolErrors += 1;
          const msg =
            textOf(c.content)
              .trim()
              .split('\n')
              .find((l) => l.trim()) ?? '';
          if (msg && info.errors.length < 5) info.errors.push(msg.slice(0, 300));
        }
        const cmd = typeof c.tool_use_id === 'string' ? testCalls.get(c.tool_use_id) : undefined;
        if (cmd) info.lastTest = { command: cmd, failed };
      }
    }
  }
  return info;
}

/** Component of a changed file: the folder under `components/`, else the first meaningful folder. */
export function componentOf(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  const i = parts.indexOf('components');
  const pick = i >= 0 && parts.length > i + 2 ? parts[i + 1] : parts.find((p, n) => n < parts.length - 1 && !['src', 'lib', 'app', 'packages', 'apps', 'scripts'].includes(p));
  const s = pick ? slugify(pick, 60) : '';
  return s || undefined;
}

/** The most frequent component among changed files (ties: alphabetical), skipping the knowledge base. */
export function mainComponent(files: readonly string[], kbPrefix: string): string | undefined {
  const counts = new Map<string, number>();
  for (const f of files) {
    if (kbPrefix && f.startsWith(kbPrefix)) continue;
    const c = componentOf(f);
    if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

function hasSecret(text: string): boolean {
  return scanSecrets('<capture>', text).length > 0;
}

/** Overrides a hook user may give on the command line. */
export interface CaptureOverrides {
  outcome?: 'success' | 'partial' | 'failure';
  task_type?: string;
  agent?: string;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Execution input from a Claude Code hook (pure). Outcome: the last test run decides (passed:
 * success, failed: failure); with no test run it is `partial` unless overridden, because nothing
 * shows the task succeeded. A prompt holding a secret is left out rather than recorded.
 */
export function claudeHookInput(
  payload: ClaudeHookPayload,
  info: TranscriptInfo | undefined,
  changed: readonly string[],
  kbPrefix: string,
  now: Date,
  over: CaptureOverrides = {},
): Record<string, unknown> {
  const session = slugify(payload.session_id ?? '', 40) || 'session';
  const prompt = info?.prompt && !hasSecret(info.prompt) ? info.prompt : undefined;
  const first = info?.first ? Date.parse(info.first) : now.getTime();
  const last = info?.last ? Date.parse(info.last) : now.getTime();
  const end = Math.max(last, first);
  const outcome = over.outcome ?? (info?.lastTest ? (info.lastTest.failed ? 'failure' : 'success') : 'partial');
  const files = changed
    .filter((f) => !(kbPrefix && f.startsWith(kbPrefix)))
    .slice(0, 200)
    .map((f) => clip(f, 200));
  const input: Record<string, unknown> = {
    // One record per session: a second hook run for the same session finds the id taken.
    id: `ex-cc-${session}`,
    task_id: prompt ? slugify(prompt, 60) || `claude-${session}` : `claude-${session}`,
    task_type: over.task_type ?? 'agent-session',
    agent: over.agent ?? 'claude-code',
    started_at: isoSeconds(first),
    created_at: isoSeconds(Math.max(end, first)),
    duration_s: Math.max(0, Math.round((end - first) / 1000)),
    outcome,
    tags: ['captured'],
  };
  if (prompt) input.title = clip(prompt, 300);
  const component = mainComponent(changed, kbPrefix);
  if (component) input.component = component;
  if (files.length) input.produced = [...new Set(files)];
  const errors = (info?.errors ?? []).filter((e) => !hasSecret(e)).map((e) => clip(e, 300));
  if (errors.length) input.errors = errors;
  const outcomes: string[] = [];
  if (info?.lastTest) outcomes.push(`last test run \`${clip(info.lastTest.command, 200)}\` ${info.lastTest.failed ? 'failed' : 'passed'}`);
  if (payload.hook_event_name) outcomes.push(`captured by the Claude Code ${payload.hook_event_name} hook${payload.reason ? ` (${payload.reason})` : ''}`);
  if (outcomes.length) input.post = { outcomes };
  input.body = prompt ? `## Task\n\n${prompt.slice(0, 4000)}\n` : '';
  return input;
}

/** The last commit as Git reports it. */
export interface CommitInfo {
  sha: string;
  subject: string;
  body: string;
  /** Committer time (ISO). */
  committedAt: string;
  /** Parent's committer time (ISO), when there is a parent. */
  parentAt?: string;
  files: string[];
}

const CONVENTIONAL: Record<string, string> = {
  feat: 'feature',
  fix: 'bugfix',
  refactor: 'refactor',
  perf: 'performance',
  docs: 'docs',
  test: 'test',
  chore: 'chore',
  build: 'build',
  ci: 'ci',
  style: 'style',
};

/**
 * Execution input for a commit (pure). The task is the subject; the type comes from a
 * Conventional Commits prefix; the duration is the time since the previous commit, capped at
 * four hours (a rough measure of the work the commit holds).
 */
export function commitInput(c: CommitInfo, kbPrefix: string, over: CaptureOverrides = {}): Record<string, unknown> {
  const prefix = /^(\w+)(?:\([^)]*\))?!?:/.exec(c.subject)?.[1]?.toLowerCase();
  const end = Date.parse(c.committedAt);
  const startMs = c.parentAt ? Math.max(Date.parse(c.parentAt), end - 4 * 3600 * 1000) : end;
  const safeSubject = hasSecret(c.subject) ? `commit ${c.sha.slice(0, 12)}` : c.subject;
  const input: Record<string, unknown> = {
    id: `ex-git-${c.sha.slice(0, 20)}`,
    task_id: slugify(safeSubject, 60) || `commit-${c.sha.slice(0, 12)}`,
    task_type: over.task_type ?? (prefix && own(CONVENTIONAL, prefix)) ?? 'commit',
    agent: over.agent ?? 'git',
    started_at: isoSeconds(Math.min(startMs, end)),
    created_at: isoSeconds(end),
    duration_s: Math.max(0, Math.round((end - startMs) / 1000)),
    outcome: over.outcome ?? 'success',
    commit: c.sha,
    title: clip(safeSubject, 300),
    tags: ['captured'],
  };
  const component = mainComponent(c.files, kbPrefix);
  if (component) input.component = component;
  const files = c.files
    .filter((f) => !(kbPrefix && f.startsWith(kbPrefix)))
    .slice(0, 200)
    .map((f) => clip(f, 200));
  if (files.length) input.produced = [...new Set(files)];
  if (c.body.trim() && !hasSecret(c.body)) input.body = `## Commit message\n\n${c.body.trim().slice(0, 4000)}\n`;
  return input;
}

/** True when a commit only touched the knowledge base (e.g. a record commit): nothing to capture. */
export function isKnowledgeBaseOnly(files: readonly string[], kbPrefix: string): boolean {
  return files.length > 0 && Boolean(kbPrefix) && files.every((f) => f.startsWith(kbPrefix));
}

// ---- gatherers (I/O) ----------------------------------------------------------------------------

function git(cwd: string, args: string[]): string {
  return gitSyncText(cwd, args, { maxBuffer: 16 * 1024 * 1024 });
}

/** Largest transcript read (bytes); bigger ones are skipped rather than slowing the hook down. */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

/** Reads and parses a transcript; undefined when missing, too big or unreadable. */
export function readTranscript(path: string | undefined, cwd: string): TranscriptInfo | undefined {
  if (!path) return undefined;
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    const size = fileInfo(abs)?.size;
    if (size === undefined || size > MAX_TRANSCRIPT_BYTES) return undefined;
    return parseTranscript(readText(abs));
  } catch {
    return undefined;
  }
}

/** Files changed in the work tree (tracked changes against HEAD, plus untracked files). */
export function changedFiles(repoRoot: string): string[] {
  const out = new Set<string>();
  for (const args of [
    ['diff', '--name-only', 'HEAD'],
    ['ls-files', '--others', '--exclude-standard'],
  ]) {
    try {
      for (const l of git(repoRoot, args).split('\n')) if (l.trim()) out.add(l.trim());
    } catch {
      // no HEAD yet, or not a repository: nothing to report
    }
  }
  return [...out].sort();
}

/** The last commit of the repository; undefined when there is none. */
export function lastCommit(repoRoot: string): CommitInfo | undefined {
  try {
    const [sha, committedAt, parents, subject, ...body] = git(repoRoot, ['log', '-1', '--format=%H%n%cI%n%P%n%s%n%b', 'HEAD']).split('\n');
    if (!sha || !committedAt) return undefined;
    const parent = parents?.split(' ')[0];
    const parentAt = parent ? git(repoRoot, ['log', '-1', '--format=%cI', parent]).trim() : undefined;
    const files = git(repoRoot, ['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', 'HEAD'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    return { sha, committedAt, parentAt: parentAt || undefined, subject: subject ?? '', body: body.join('\n'), files };
  } catch {
    return undefined;
  }
}

/** Claude Code `.claude/settings.json` hooks that capture every session (documented in docs/interop.md). */
export const CLAUDE_SETTINGS_SNIPPET = {
  hooks: {
    SessionEnd: [{ hooks: [{ type: 'command', command: 'npx --no-install learning-loop capture claude-hook' }] }],
  },
} as const;

/** The post-commit hook line (what `learning-loop hooks install --post-commit` installs, in short). */
export const POST_COMMIT_SNIPPET = '#!/bin/sh\n# Best effort: never fail a commit that already happened.\nnpx --no-install learning-loop capture git-commit >/dev/null 2>&1 || true\n';
