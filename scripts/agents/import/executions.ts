/**
 * `import executions` at the I/O edge: reads the history files, loads the knowledge base once,
 * plans (pure), writes every planned file atomically and never over an existing one, and makes
 * one commit for the whole import. One process, one table load, one `git add` + `git commit`.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import { readBytes, readText, removeFile, toPosix, writeFileExclusiveAsync } from '../../io/fs.js';
import { commitPaths } from '../../io/git.js';
import type { Workspace } from '../../core/workspace.js';
import { openIndex } from '../../index/api.js';
import { detectFormat, parseHistory, type ExecutionFormat, type FormatOptions, type HistoryRow } from '../../core/import/execution-formats.js';
import { planExecutionImport, type PlannedFile } from '../../core/import/execution-plan.js';

/** Options of {@link importExecutions}. */
export interface ExecutionImportOptions extends FormatOptions {
  /** Read every file as this format (default: detected per file). */
  format?: ExecutionFormat;
  /** Plan and report; write nothing. */
  dryRun?: boolean;
  /** Commit everything written in one commit. */
  commit?: boolean;
  /** Where relative paths are resolved and how files outside the repository are shown. */
  cwd?: string;
}

/** One record the import wrote (or would write). */
export interface ImportedRecord {
  kind: 'execution' | 'reflection';
  id: string;
  /** Repo-relative path. */
  path: string;
  /** `file:line` of the source row. */
  source: string;
}

/** What an import did. */
export interface ExecutionImportResult {
  files: Array<{ file: string; format: ExecutionFormat | null; rows: number }>;
  records: ImportedRecord[];
  executions: number;
  reflections: number;
  /** Rows whose execution was already in the knowledge base. */
  already: number;
  /** Rows refused or not written. */
  bad: number;
  commit?: string;
  diagnostics: Diagnostic[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A path as the user should see it: repo-relative inside the repository, else as given. */
function shown(ws: Workspace, cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  const rel = toPosix(relative(ws.repoRoot, abs));
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel;
  return toPosix(path);
}

/** Reads and parses the files; unreadable or undetectable files are diagnostics. */
export function readHistories(ws: Workspace, paths: readonly string[], opts: ExecutionImportOptions): { rows: HistoryRow[]; files: ExecutionImportResult['files']; diagnostics: Diagnostic[] } {
  const cwd = opts.cwd ?? process.cwd();
  const rows: HistoryRow[] = [];
  const files: ExecutionImportResult['files'] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const file = shown(ws, cwd, path);
    let text: string;
    try {
      text = decoder.decode(readBytes(resolve(cwd, path)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      diagnostics.push(code ? diag('file/unreadable', file, `Cannot read \`${file}\`: ${code}.`) : diag('file/encoding', file, 'The file is not valid UTF-8.', { line: 1, column: 1 }));
      files.push({ file, format: null, rows: 0 });
      continue;
    }
    const format = opts.format ?? detectFormat(file, text);
    if (!format) {
      diagnostics.push(
        diag('import/format', file, `Cannot tell the format of \`${file}\`.`, { line: 1, column: 1, hint: 'Pass --format jsonl|csv|aider|reflexion (or name the file .jsonl, .csv, .tsv or .yml).' }),
      );
      files.push({ file, format: null, rows: 0 });
      continue;
    }
    // A benchmark run is a success when its pass rate clears the low-performance threshold.
    const parsed = parseHistory(format, file, text, { successRate: ws.config.thresholds.low_performance, ...opts });
    rows.push(...parsed.rows);
    diagnostics.push(...parsed.diagnostics);
    files.push({ file, format, rows: parsed.rows.length });
  }
  return { rows, files, diagnostics };
}

/** Writes one group's files in order; on any failure removes what it wrote and says why. */
async function writeGroup(ws: Workspace, files: readonly PlannedFile[]): Promise<Diagnostic | undefined> {
  const written: string[] = [];
  for (const f of files) {
    const abs = join(ws.kbRoot, ...f.kbRel.split('/'));
    const display = `${ws.kbPrefix}${f.kbRel}`;
    let problem: Diagnostic | undefined;
    if (!abs.startsWith(ws.kbRoot + sep)) problem = diag('id/unsafe', display, `\`${f.id}\` would be written outside the knowledge base.`);
    else {
      try {
        if (await writeFileExclusiveAsync(abs, f.text)) written.push(abs);
        // Left by an interrupted import of the same row: the same bytes are as good as new.
        else if (readText(abs) !== f.text) problem = diag('input/exists', display, `A different file already exists at ${display}; nothing was overwritten.`);
      } catch (error) {
        problem = diag('file/unreadable', display, `Could not write ${display}: ${(error as Error).message}`);
      }
    }
    if (problem) {
      for (const w of written) {
        try {
          removeFile(w);
        } catch {
          // already gone
        }
      }
      return problem;
    }
  }
  return undefined;
}

/** Groups written at once: their fsyncs overlap in the I/O thread pool. */
const WRITE_CONCURRENCY = 16;

/** Runs `task` over `items` with at most `limit` in flight; results in item order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Imports execution histories. Bad rows are reported (`file:line[:col]`, catalog rule, hint)
 * and skipped; every good row is written with its reflections, or not at all; with `commit`,
 * everything written goes into one commit.
 */
export async function importExecutions(ws: Workspace, paths: readonly string[], opts: ExecutionImportOptions = {}): Promise<ExecutionImportResult> {
  const read = readHistories(ws, paths, opts);
  const result: ExecutionImportResult = { files: read.files, records: [], executions: 0, reflections: 0, already: 0, bad: 0, diagnostics: [...read.diagnostics] };
  // Rows the parsers could not read at all (one error each); file-level problems are not rows.
  const rowProblems = read.diagnostics.filter((d) => d.severity === 'error' && (d.rule === 'import/row' || d.rule === 'input/json')).length;
  const table = await openIndex(ws).table();
  const plan = planExecutionImport(read.rows, table.rows, { config: ws.config, kbPrefix: ws.kbPrefix });
  result.already = plan.already;
  result.bad = plan.bad + rowProblems;
  result.diagnostics.push(...plan.diagnostics);
  const toCommit: string[] = [];
  const problems = opts.dryRun ? [] : await mapLimit(plan.groups, WRITE_CONCURRENCY, (g) => writeGroup(ws, [...g.reflections, g.execution]));
  plan.groups.forEach((group, i) => {
    const problem = problems[i];
    if (problem) {
      result.bad += 1;
      result.diagnostics.push({ ...problem, message: `${problem.message} The row at ${group.source} was not imported.` });
      return;
    }
    const files = [...group.reflections, group.execution];
    for (const f of files) {
      const path = `${ws.kbPrefix}${f.kbRel}`;
      result.records.push({ kind: f.kind, id: f.id, path, source: group.source });
      toCommit.push(path);
    }
    result.executions += 1;
    result.reflections += group.reflections.length;
  });
  if (opts.commit && !opts.dryRun && toCommit.length) {
    if (!ws.inGit) {
      result.diagnostics.push(diag('git/not-a-repo', ws.kbPrefix || '.', 'The records were written but not committed: the folder is not inside a Git repository.'));
    } else {
      const sources = read.files.filter((f) => f.rows).map((f) => f.file.split('/').pop());
      const msg = `learning-loop: import ${result.executions} execution${result.executions === 1 ? '' : 's'}${result.reflections ? ` and ${result.reflections} reflection${result.reflections === 1 ? '' : 's'}` : ''} from ${sources.join(', ')}`;
      try {
        result.commit = (await commitPaths(ws.repoRoot, toCommit, msg)).sha;
      } catch (error) {
        result.diagnostics.push(diag('git/commit-failed', toCommit[0]!, `The records were written but the commit failed: ${(error as Error).message.trim()}`));
      }
    }
  }
  return result;
}
