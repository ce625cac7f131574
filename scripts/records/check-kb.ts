/**
 * Whole-knowledge-base check: every file on its own, then the cross-record checks, all problems
 * in one run. Used by `validate` and as the simple (non-incremental) loader for the library.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { walkFiles } from '../adapters/fs.js';
import { displayPath, type Workspace } from '../adapters/workspace.js';
import { checkRecordText, crossRecordChecks, locateInText, type ValidRecord } from './validate.js';

/** Files that may sit in the knowledge base without being records. */
export function isIgnoredKbFile(kbRelative: string): boolean {
  const base = kbRelative.split('/').pop() ?? '';
  return base === '.gitkeep' || base === 'README.md' || base === '.gitignore' || kbRelative === 'config/triggers.yaml';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as strict UTF-8; returns a diagnostic when it is not. */
export function readUtf8(abs: string, display: string, maxBytes: number): { text?: string; diagnostic?: Diagnostic } {
  try {
    const size = statSync(abs).size;
    if (size > maxBytes) return { diagnostic: diag('file/too-large', display, `The file is ${size} bytes; the limit is ${maxBytes}.`, { line: 1, column: 1 }) };
    const buf = readFileSync(abs);
    try {
      return { text: decoder.decode(buf) };
    } catch {
      return { diagnostic: diag('file/encoding', display, 'The file is not valid UTF-8.', { line: 1, column: 1 }) };
    }
  } catch (error) {
    return { diagnostic: diag('file/unreadable', display, (error as Error).message) };
  }
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
  const all = walkFiles(ws.kbRoot);
  let files = 0;
  for (const rel of all) {
    if (isIgnoredKbFile(rel)) continue;
    files += 1;
    const display = displayPath(ws, rel);
    const report = !only || only.has(rel);
    if (!rel.endsWith('.md')) {
      if (report) diagnostics.push(diag('file/not-markdown', display, `\`${rel}\` is not a Markdown record.`, { line: 1, column: 1 }));
      continue;
    }
    const read = readUtf8(join(ws.kbRoot, rel), display, ws.config.build.max_file_bytes);
    if (read.diagnostic) {
      if (report) diagnostics.push(read.diagnostic);
      continue;
    }
    const check = checkRecordText(rel, read.text!, { thresholds: ws.config.thresholds, maxBytes: ws.config.build.max_file_bytes }, display);
    if (report) diagnostics.push(...check.diagnostics);
    if (check.valid) records.push({ ...check.valid, kbFile: rel });
  }
  const byDisplay = new Map(records.map((r) => [r.file, r.kbFile]));
  const cross = crossRecordChecks(records, (file, path) => {
    const kbFile = byDisplay.get(file);
    if (!kbFile) return {};
    try {
      return locateInText(readFileSync(join(ws.kbRoot, kbFile), 'utf8'), path);
    } catch {
      return {};
    }
  });
  const reportedCross = only ? cross.filter((d) => only.has(byDisplay.get(d.file) ?? '')) : cross;
  diagnostics.push(...reportedCross);
  // A record with a cross-record error is not valid either (e.g. a duplicate id).
  const badFiles = new Set(cross.filter((d) => d.severity === 'error').map((d) => d.file));
  return {
    records: records.filter((r) => !badFiles.has(r.file)).map(({ kbFile: _k, ...rest }) => rest),
    diagnostics: sortDiagnostics(diagnostics),
    files,
  };
}
