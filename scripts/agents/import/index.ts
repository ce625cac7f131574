/**
 * `import` at the I/O edge: finds the source files of a format under a path, reads them safely
 * (size limit, strict UTF-8), parses, plans, and writes each new record atomically without ever
 * overwriting an existing file.
 */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { exists, fileInfo, listDir, toPosix, writeFileExclusive } from '../../io/fs.js';
import type { Workspace } from '../../core/workspace.js';
import { openIndex } from '../../index/api.js';
import { readUtf8 } from '../../io/fs.js';
import { CLINE_FILES, IMPORT_FORMATS, parserFor, type ImportEntry, type ImportFormat } from '../../core/import/parsers.js';
import { planImport, type ImportSource, type PlannedRecord } from '../../core/import/plan.js';

export { IMPORT_FORMATS, type ImportFormat } from '../../core/import/parsers.js';

/** True when a string names an import format. */
export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Every file under `dir` (absolute paths, sorted), including dot-folders such as `.cursor`. */
function walk(dir: string, accept: (name: string) => boolean, depth = 0): string[] {
  if (depth > 12) return [];
  const out: string[] = [];
  for (const e of listDir(dir)) {
    const full = join(dir, e.name);
    if (e.isDirectory && !SKIP_DIRS.has(e.name)) out.push(...walk(full, accept, depth + 1));
    else if (e.isFile && accept(e.name)) out.push(full);
  }
  return out.sort();
}

function sub(dir: string, ...candidates: string[]): string {
  for (const c of candidates) if (exists(join(dir, c))) return join(dir, c);
  return dir;
}

/** The source files of a format under `path` (a file, or a folder searched the format's way). */
export function collectSources(format: ImportFormat, path: string): string[] {
  const info = fileInfo(path);
  if (!info) return [];
  if (!info.isDirectory) return [path];
  switch (format) {
    case 'claude-memory': {
      const dir = sub(path, 'memory');
      return walk(dir, (n) => n.endsWith('.md'), 12); // flat: topic files sit beside MEMORY.md
    }
    case 'cline': {
      const dir = sub(path, 'memory-bank');
      return CLINE_FILES.map((f) => join(dir, f)).filter((f) => exists(f));
    }
    case 'agents-md':
      return walk(path, (n) => n === 'AGENTS.md' || n === 'CLAUDE.md' || n === 'CLAUDE.local.md');
    case 'cursor':
      return walk(sub(path, '.cursor/rules'), (n) => n.endsWith('.mdc'));
    case 'learnings': {
      const dir = sub(path, '.learnings');
      return ['LEARNINGS.md', 'ERRORS.md'].map((f) => join(dir, f)).filter((f) => exists(f));
    }
    case 'solutions':
      return walk(sub(path, 'docs/solutions'), (n) => n.endsWith('.md'));
  }
}

/** Options of `runImport`. */
export interface ImportOptions {
  /** Plan and report only; write nothing. */
  dryRun?: boolean;
  /** Clock for `created_at` (ISO); defaults to now. */
  now?: string;
  /** Largest source file read (bytes); defaults to the config's `build.max_file_bytes`. */
  maxBytes?: number;
}

/** Result of an import run. */
export interface ImportResult {
  format: ImportFormat;
  /** Source files read (display paths). */
  sources: string[];
  /** Records written (or, with dryRun, that would be). */
  records: Array<Pick<PlannedRecord, 'id' | 'kind' | 'source'> & { path: string }>;
  duplicates: number;
  nearDuplicates: number;
  secrets: number;
  diagnostics: Diagnostic[];
}

/** Display path: repo-relative inside the repository, else relative to the import path's parent. */
function displayOf(ws: Workspace, root: string, abs: string): string {
  const inRepo = toPosix(relative(ws.repoRoot, abs));
  if (inRepo && !inRepo.startsWith('..') && !inRepo.startsWith('/')) return inRepo;
  return toPosix(relative(dirname(root), abs)) || basename(abs);
}

/**
 * Imports a memory source as proposed records. Malformed files, huge files and entries holding
 * secrets are reported (path:line:col) and skipped; everything else is imported.
 */
export async function runImport(ws: Workspace, format: ImportFormat, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const root = resolve(path);
  const result: ImportResult = { format, sources: [], records: [], duplicates: 0, nearDuplicates: 0, secrets: 0, diagnostics: [] };
  const files = collectSources(format, root);
  if (!files.length) {
    result.diagnostics.push(diag('import/format', toPosix(path), `No ${format} files found at \`${toPosix(path)}\`.`, { hint: hintFor(format) }));
    return result;
  }
  const maxBytes = opts.maxBytes ?? ws.config.build.max_file_bytes;
  const parser = parserFor(format);
  const parsed: Array<{ source: ImportSource; entries: ImportEntry[] }> = [];
  for (const abs of files) {
    const file = displayOf(ws, root, abs);
    result.sources.push(file);
    const read = readUtf8(abs, file, maxBytes);
    if (read.diagnostic || read.text === undefined) {
      if (read.diagnostic) result.diagnostics.push(read.diagnostic);
      continue;
    }
    const res = parser(file, read.text);
    result.diagnostics.push(...res.diagnostics);
    parsed.push({ source: { file, text: read.text }, entries: res.entries });
  }
  const table = await openIndex(ws).table();
  const plan = planImport(format, parsed, table.rows, { now: opts.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
  result.duplicates = plan.duplicates;
  result.nearDuplicates = plan.nearDuplicates;
  result.secrets = plan.secrets;
  result.diagnostics.push(...plan.diagnostics);
  for (const rec of plan.records) {
    const display = `${ws.kbPrefix}${rec.path}`;
    if (!opts.dryRun) {
      const abs = join(ws.kbRoot, ...rec.path.split('/'));
      if (!abs.startsWith(ws.kbRoot + sep)) continue;
      if (!writeFileExclusive(abs, rec.content)) {
        result.duplicates += 1;
        result.diagnostics.push(diag('import/duplicate', display, `\`${display}\` already exists; nothing was overwritten.`));
        continue;
      }
    }
    result.records.push({ id: rec.id, kind: rec.kind, source: rec.source, path: display });
  }
  return result;
}

function hintFor(format: ImportFormat): string {
  switch (format) {
    case 'claude-memory':
      return 'Point at the auto-memory folder that holds MEMORY.md and its topic files.';
    case 'cline':
      return 'Point at the project (or its memory-bank/ folder) with projectbrief.md, activeContext.md, …';
    case 'agents-md':
      return 'Point at an AGENTS.md or CLAUDE.md file, or a folder containing them.';
    case 'cursor':
      return 'Point at a project with .cursor/rules/*.mdc, or at one .mdc file.';
    case 'learnings':
      return 'Point at a project with .learnings/LEARNINGS.md or ERRORS.md.';
    case 'solutions':
      return 'Point at a project with docs/solutions/**/*.md, or at that folder.';
  }
}
