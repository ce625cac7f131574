/**
 * Git hooks: a pre-commit hook that validates only the staged records (the blobs in the index,
 * not the working tree) and refuses secrets, and an optional post-commit hook that captures the
 * commit as an execution. Our code lives in a marked block, so an existing hook is never
 * clobbered (we refuse, or chain into it with `chain`) and uninstall removes only our block.
 */
import { dirname, isAbsolute, join, relative } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { Workspace } from '../core/workspace.js';
import { ensureDir, exists, makeExecutable, readText, removeFile, toPosix, writeText } from '../io/fs.js';
import { checkRecordText, crossRecordChecks, locateInText, type RecordRef } from '../core/records/validate.js';
import { openIndex } from '../index/api.js';
import { isIgnoredKbFile } from '../core/records/kb-files.js';
import { gitSync, gitSyncText } from '../io/git.js';

/** The hooks learning-loop can install. */
export const HOOK_KINDS = ['pre-commit', 'post-commit'] as const;
/** One of `HOOK_KINDS`. */
export type HookKind = (typeof HOOK_KINDS)[number];

const begin = (k: HookKind): string => `# >>> learning-loop ${k} >>>`;
const end = (k: HookKind): string => `# <<< learning-loop ${k} <<<`;

function git(cwd: string, args: string[], maxBuffer = 64 * 1024 * 1024): string {
  return gitSyncText(cwd, args, { maxBuffer });
}

/** The hooks folder Git uses here (honours `core.hooksPath`, worktrees). Absolute. */
export function hooksDir(repoRoot: string): string {
  const p = git(repoRoot, ['rev-parse', '--git-path', 'hooks']).trim();
  return isAbsolute(p) ? p : join(repoRoot, p);
}

/** Shell-quotes one word. */
function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Our block for a hook. It finds the CLI at run time (project dependency, then PATH, then the
 * launcher that installed the hook) and only exits early on failure, so hooks chained after it
 * still run.
 */
export function hookBlock(kind: HookKind, fallbackBin: string): string {
  const find = [
    'learning_loop_cli() {',
    '  if [ -x ./node_modules/.bin/learning-loop ]; then ./node_modules/.bin/learning-loop "$@"',
    '  elif command -v learning-loop >/dev/null 2>&1; then learning-loop "$@"',
    `  else node ${sq(fallbackBin)} "$@"; fi`,
    '}',
  ];
  const run =
    kind === 'pre-commit'
      ? ['learning_loop_cli hooks run pre-commit || exit 1']
      : ['# Never fail a commit that already happened: capture is best effort.', 'learning_loop_cli capture git-commit >/dev/null 2>&1 || true'];
  return [begin(kind), '# Managed by `learning-loop hooks`; remove with `learning-loop hooks uninstall`.', ...find, ...run, end(kind)].join('\n');
}

/** Outcome of installing or removing one hook. */
export interface HookChange {
  hook: HookKind;
  /** Repo-relative (or absolute, outside the repo) path of the hook file. */
  path: string;
  action: 'created' | 'chained' | 'updated' | 'unchanged' | 'refused' | 'removed' | 'absent';
  diagnostic?: Diagnostic;
}

/** State of one hook. */
export interface HookStatus {
  hook: HookKind;
  path: string;
  installed: boolean;
  /** The hook file also runs other commands besides ours. */
  chained: boolean;
  exists: boolean;
}

function blockRange(text: string, kind: HookKind): { start: number; stop: number } | undefined {
  const start = text.indexOf(begin(kind));
  if (start < 0) return undefined;
  const e = text.indexOf(end(kind), start);
  if (e < 0) return undefined;
  let stop = e + end(kind).length;
  if (text[stop] === '\n') stop += 1;
  return { start, stop };
}

function display(repoRoot: string, abs: string): string {
  const rel = toPosix(relative(repoRoot, abs));
  return rel.startsWith('..') ? toPosix(abs) : rel;
}

/** Whether an existing hook is a shell script we can insert into. */
function isShellScript(text: string): boolean {
  const first = text.split('\n', 1)[0] ?? '';
  if (!first.startsWith('#!')) return true; // Git runs shebang-less hooks with sh
  return /\b(?:sh|bash|dash|zsh)\b/.test(first);
}

/**
 * Installs one hook. A new file gets `#!/bin/sh` and our block; a file with our block gets it
 * refreshed; another hook is left untouched (`refused`) unless `chain` is set, in which case our
 * block is inserted after its shebang line (ours runs first, then the existing commands).
 */
export function installHook(repoRoot: string, kind: HookKind, opts: { chain?: boolean; bin: string }): HookChange {
  const abs = join(hooksDir(repoRoot), kind);
  const path = display(repoRoot, abs);
  const block = hookBlock(kind, opts.bin);
  if (!exists(abs)) {
    ensureDir(dirname(abs));
    writeText(abs, `#!/bin/sh\n${block}\n`, { mode: 0o755 });
    makeExecutable(abs);
    return { hook: kind, path, action: 'created' };
  }
  const text = readText(abs);
  const range = blockRange(text, kind);
  if (range) {
    const next = `${text.slice(0, range.start)}${block}\n${text.slice(range.stop)}`;
    if (next === text) return { hook: kind, path, action: 'unchanged' };
    writeText(abs, next);
    return { hook: kind, path, action: 'updated' };
  }
  if (!opts.chain || !isShellScript(text)) {
    const why = !opts.chain
      ? `\`${path}\` already exists and is not ours; it was left untouched.`
      : `\`${path}\` is not a shell script, so our block cannot be chained into it; it was left untouched.`;
    const hint = !opts.chain
      ? `Run \`learning-loop hooks install --chain\` to run our check before the existing hook, or add \`learning-loop hooks run ${kind}\` to it yourself.`
      : `Add \`learning-loop hooks run ${kind}\` to the hook by hand.`;
    return { hook: kind, path, action: 'refused', diagnostic: diag('hooks/conflict', path, why, { hint }) };
  }
  const lines = text.split('\n');
  const hasShebang = (lines[0] ?? '').startsWith('#!');
  const next = hasShebang ? [lines[0], block, ...lines.slice(1)].join('\n') : `${block}\n${text}`;
  writeText(abs, next);
  makeExecutable(abs);
  return { hook: kind, path, action: 'chained' };
}

/** Removes our block from a hook; deletes the file when nothing but a shebang is left. */
export function uninstallHook(repoRoot: string, kind: HookKind): HookChange {
  const abs = join(hooksDir(repoRoot), kind);
  const path = display(repoRoot, abs);
  if (!exists(abs)) return { hook: kind, path, action: 'absent' };
  const text = readText(abs);
  const range = blockRange(text, kind);
  if (!range) return { hook: kind, path, action: 'absent' };
  const rest = text.slice(0, range.start) + text.slice(range.stop);
  if (rest.replace(/^#![^\n]*\n?/, '').trim() === '') removeFile(abs);
  else writeText(abs, rest);
  return { hook: kind, path, action: 'removed' };
}

/** Status of every hook kind. */
export function hookStatus(repoRoot: string): HookStatus[] {
  const dir = hooksDir(repoRoot);
  return HOOK_KINDS.map((kind) => {
    const abs = join(dir, kind);
    const path = display(repoRoot, abs);
    if (!exists(abs)) return { hook: kind, path, installed: false, chained: false, exists: false };
    const text = readText(abs);
    const range = blockRange(text, kind);
    const rest = range ? text.slice(0, range.start) + text.slice(range.stop) : text;
    const other = rest.replace(/^#![^\n]*\n?/, '').trim() !== '';
    return { hook: kind, path, installed: Boolean(range), chained: Boolean(range) && other, exists: true };
  });
}

/** Result of checking the staged records. */
export interface StagedCheck {
  /** Repo-relative paths of the staged records that were checked. */
  files: string[];
  diagnostics: Diagnostic[];
}

/**
 * Validates the records staged for commit: reads each blob from the index (`git show :path`)
 * so what is checked is exactly what will be committed, runs the same per-record checks as
 * `validate`, scans for secrets, and checks the staged records' ids and links against the rest
 * of the knowledge base. Deleted files are skipped.
 */
export async function checkStaged(ws: Workspace): Promise<StagedCheck> {
  const root = ws.repoRoot;
  const kbRel = toPosix(relative(root, ws.kbRoot)) || '.';
  if (kbRel.startsWith('..')) return { files: [], diagnostics: [] };
  const out = git(root, ['diff', '--cached', '--name-only', '--no-renames', '--diff-filter=ACMR', '-z', '--', kbRel]);
  const files = out.split('\0').filter(Boolean).sort();
  const diagnostics: Diagnostic[] = [];
  const checked: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const staged = new Map<string, { ref: RecordRef; text: string }>();
  for (const file of files) {
    const inKb = kbRel === '.' ? file : file.slice(kbRel.length + 1);
    if (isIgnoredKbFile(inKb)) continue;
    checked.push(file);
    if (!file.endsWith('.md')) {
      diagnostics.push(diag('file/not-markdown', file, `\`${inKb}\` is not a Markdown record.`));
      continue;
    }
    let text: string;
    try {
      const buf = gitSync(root, ['show', `:${file}`], { maxBuffer: 64 * 1024 * 1024 });
      text = decoder.decode(buf);
    } catch {
      diagnostics.push(diag('file/encoding', file, 'The staged file is not valid UTF-8 (or could not be read from the index).', { line: 1, column: 1 }));
      continue;
    }
    const check = checkRecordText(inKb, text, { thresholds: ws.config.thresholds, maxBytes: ws.config.build.max_file_bytes }, file);
    diagnostics.push(...check.diagnostics); // secrets included
    if (check.valid) staged.set(file, { ref: { file, record: check.valid.record }, text });
  }
  if (staged.size) {
    // Duplicate ids and broken links: staged records against the rest of the knowledge base.
    const table = await openIndex(ws).table();
    const others: RecordRef[] = table.rows.filter((r) => !staged.has(r.file)).map((r) => ({ file: r.file, record: r.data }));
    // The table leaves out records with cross-record errors (e.g. both halves of a duplicate
    // id); read those back so a staged copy of a committed record is still caught.
    const dropped = new Set(table.diagnostics.filter((d) => d.severity === 'error' && (d.rule === 'id/duplicate' || d.rule === 'link/missing') && !staged.has(d.file)).map((d) => d.file));
    for (const f of dropped) {
      try {
        const kbFile = kbRel === '.' ? f : f.slice(kbRel.length + 1);
        const c = checkRecordText(kbFile, readText(join(root, f)), { thresholds: ws.config.thresholds }, f);
        if (c.valid) others.push({ file: f, record: c.valid.record });
      } catch {
        // unreadable: validate reports it
      }
    }
    const cross = crossRecordChecks([...others, ...[...staged.values()].map((s) => s.ref)], (f, path) => {
      const t = staged.get(f)?.text;
      return t === undefined ? {} : locateInText(t, path);
    });
    diagnostics.push(...cross.filter((d) => staged.has(d.file)));
  }
  return { files: checked, diagnostics };
}
