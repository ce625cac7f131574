/**
 * Whole-knowledge-base check: every file on its own, then the cross-record checks, all problems
 * in one run. Used by `validate` and as the simple (non-incremental) loader for the library.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { capDiagnostics, diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { readFileSafe, walkFiles, type SafeRead } from '../io/fs.js';
import { displayPath, type Workspace } from '../core/workspace.js';
import { checkRecordText, crossRecordChecks, textLocator, type FileCheck, type IdRef, type RecordRef, type ValidRecord } from '../core/records/validate.js';

export { isIgnoredKbFile } from '../core/records/kb-files.js';
import { isIgnoredKbFile } from '../core/records/kb-files.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks one knowledge-base file on its own (the single-file half of `validate`): not-Markdown,
 * unreadable, too large, not UTF-8, then frontmatter and schema. `content` skips the read when
 * the caller already has the bytes (the incremental build reads them in bulk).
 */
export function checkKbFile(ws: Workspace, kbFile: string, content?: Buffer): FileCheck {
  const display = displayPath(ws, kbFile);
  const max = ws.config.build.max_file_bytes;
  if (!kbFile.endsWith('.md')) {
    // Never read; a link is named as such.
    const read = isSymlink(join(ws.kbRoot, kbFile)) ? readFileSafe(ws.kbRoot, kbFile, 0, ws.repoRoot) : undefined;
    if (read?.kind === 'link') return { file: display, diagnostics: [linkDiagnostic(ws, display, read)] };
    return { file: display, diagnostics: [diag('file/not-markdown', display, `\`${kbFile}\` is not a Markdown record.`, { line: 1, column: 1 })] };
  }
  let buf = content;
  if (!buf) {
    // Never through a link, and the size checked before anything is read.
    const read = readFileSafe(ws.kbRoot, kbFile, max, ws.repoRoot);
    if (read.kind === 'link') return { file: display, diagnostics: [linkDiagnostic(ws, display, read)] };
    if (read.kind === 'too-large') return { file: display, diagnostics: [tooLarge(display, read.size, max)] };
    if (read.kind !== 'file') return { file: display, diagnostics: [diag('file/unreadable', display, read.kind === 'missing' ? `\`${kbFile}\` disappeared while it was being read.` : read.message)] };
    buf = read.buf;
  }
  if (buf.length > max) return { file: display, diagnostics: [tooLarge(display, buf.length, max)] };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { file: display, diagnostics: [diag('file/encoding', display, 'The file is not valid UTF-8.', { line: 1, column: 1 })] };
  }
  return checkRecordText(kbFile, text, { thresholds: ws.config.thresholds, maxBytes: max }, display);
}

function tooLarge(display: string, size: number, max: number): Diagnostic {
  return diag('file/too-large', display, `The file is ${size} bytes; the limit is ${max}.`, { line: 1, column: 1 });
}

function isSymlink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The `file/symlink` diagnostic for a link found on the way to a knowledge-base file. */
export function linkDiagnostic(ws: Workspace, display: string, read: Extract<SafeRead, { kind: 'link' }>): Diagnostic {
  const name = read.link === display.slice(ws.kbPrefix.length) ? 'It is a symbolic link' : `The folder \`${displayPath(ws, read.link)}\` on its way is a symbolic link`;
  const where = read.inside ? 'into the repository' : 'that leaves the repository (or leads nowhere)';
  return diag('file/symlink', display, `${name} (to \`${read.target}\`) ${where}; it was not read.`, { line: 1, column: 1 });
}

/** A valid record with its display and KB-relative paths, as the cross-record checks need. */
export interface KbRecordRef extends RecordRef {
  kbFile: string;
}

/**
 * The cross-record checks (duplicate ids, missing links) over every valid record (and, for
 * duplicate ids, every invalid one whose id could be read), positioned by
 * re-reading only the files that have a problem. `bad` holds the display paths whose records are
 * invalid because of them (e.g. both files of a duplicate id).
 */
export function crossCheckKb(ws: Workspace, records: readonly KbRecordRef[], invalid: ReadonlyArray<IdRef & { kbFile: string }> = []): { diagnostics: Diagnostic[]; bad: Set<string> } {
  const byDisplay = new Map([...records, ...invalid].map((r) => [r.file, r.kbFile]));
  // Diagnostics come file after file: the last file's parse serves all of its positions.
  let last: { file: string; at: (path: ReadonlyArray<string | number>) => { line?: number; column?: number } } | undefined;
  const diagnostics = crossRecordChecks(
    records,
    (file, path) => {
      const kbFile = byDisplay.get(file);
      if (!kbFile) return {};
      if (last?.file !== file) {
        const read = readFileSafe(ws.kbRoot, kbFile, ws.config.build.max_file_bytes, ws.repoRoot);
        if (read.kind !== 'file') return {};
        last = { file, at: textLocator(read.buf.toString('utf8')) };
      }
      return last.at(path);
    },
    invalid,
  );
  return { diagnostics, bad: new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file)) };
}

/** Result of checking the knowledge base. */
export interface KbCheck {
  records: ValidRecord[];
  diagnostics: Diagnostic[];
  /** Number of files looked at. */
  files: number;
}

/**
 * Checks the knowledge base. `only` (KB-relative paths) limits which files' diagnostics are
 * reported; links and duplicate ids are still resolved against the whole knowledge base.
 */
export function checkKnowledgeBase(ws: Workspace, only?: ReadonlySet<string>): KbCheck {
  const diagnostics: Diagnostic[] = [...ws.configDiagnostics.filter((d) => d.severity !== 'info')];
  const records: Array<ValidRecord & { kbFile: string }> = [];
  const invalid: Array<IdRef & { kbFile: string }> = [];
  let files = 0;
  const links: string[] = [];
  const entries = walkFiles(ws.kbRoot, links);
  // Links are reported (never read) like every other file the build sees.
  for (const rel of [...entries, ...links].sort()) {
    if (isIgnoredKbFile(rel)) continue;
    files += 1;
    const check = checkKbFile(ws, rel);
    if (!only || only.has(rel)) diagnostics.push(...check.diagnostics);
    if (check.valid) records.push({ ...check.valid, kbFile: rel });
    else if (check.readableId) invalid.push({ file: check.file, id: check.readableId, kbFile: rel });
  }
  const cross = crossCheckKb(ws, records, invalid);
  const kbOf = new Map([...records, ...invalid].map((r) => [r.file, r.kbFile]));
  diagnostics.push(...(only ? cross.diagnostics.filter((d) => only.has(kbOf.get(d.file) ?? '')) : cross.diagnostics));
  return {
    records: records.filter((r) => !cross.bad.has(r.file)).map(({ kbFile: _k, ...rest }) => rest),
    diagnostics: capDiagnostics(diagnostics),
    files,
  };
}
