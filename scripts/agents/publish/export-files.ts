/**
 * The I/O edge of `export`: reads the current instruction files, applies a plan atomically, and
 * refuses any path that resolves outside the repository (including through symlinks).
 */
import { exists, fileInfo, listDir, readText, realPath, removeFile, safeRepoPath, writeFileAtomic } from '../../io/fs.js';
import { diag, type Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { RecordRow } from '../../core/records/table.js';
import { planExport, type ExportFsView, type ExportOptions, type ExportTarget, type PlannedFile } from '../../core/publish/export.js';

/** A read-only view of the repository for the planner; unsafe paths read as absent. */
export function repoView(repoRoot: string): ExportFsView {
  return {
    read(path) {
      const { abs } = safeRepoPath(repoRoot, path);
      if (!abs || !exists(abs)) return undefined;
      try {
        const info = fileInfo(abs, { followLinks: false });
        if (!info?.isFile && !info?.isSymlink) return undefined;
        return readText(abs);
      } catch {
        return undefined;
      }
    },
    list(dir) {
      const { abs } = safeRepoPath(repoRoot, dir);
      if (!abs || !exists(abs)) return [];
      try {
        return listDir(abs)
          .filter((e) => e.isFile)
          .map((e) => e.name);
      } catch {
        return [];
      }
    },
  };
}

/** One file the export changed (or would change, with --check). */
export interface ExportChange {
  path: string;
  target: ExportTarget;
  action: 'create' | 'update' | 'delete';
}

/** Result of running an export. */
export interface ExportResult {
  changes: ExportChange[];
  unchanged: string[];
  diagnostics: Diagnostic[];
  ids: string[];
  /** Why a target asked for has nothing to write. */
  notes: string[];
}

/**
 * Runs the export for a repository: plans from the records table, then (unless `check`) writes
 * every changed file atomically. With `check`, nothing is written and every file that would
 * change is reported as `export/out-of-date`.
 */
export function runExport(repoRoot: string, rows: readonly RecordRow[], targets: readonly ExportTarget[], opts: ExportOptions & { check?: boolean } = {}): ExportResult {
  const view = repoView(repoRoot);
  const plan = planExport(rows, targets, view, opts);
  const result: ExportResult = { changes: [], unchanged: [], diagnostics: [...plan.diagnostics], ids: plan.ids, notes: plan.notes };
  for (const f of plan.files) applyOne(repoRoot, f, view, result, opts.check ?? false);
  return result;
}

function applyOne(repoRoot: string, f: PlannedFile, view: ExportFsView, result: ExportResult, check: boolean): void {
  const safe = safeRepoPath(repoRoot, f.path);
  if (!safe.abs) {
    result.diagnostics.push(diag('export/unsafe-path', f.path, `${safe.reason} Nothing was written.`));
    return;
  }
  const existing = view.read(f.path);
  if (f.remove) {
    if (existing === undefined) return;
    result.changes.push({ path: f.path, target: f.target, action: 'delete' });
    if (check) result.diagnostics.push(diag('export/out-of-date', f.path, `\`${f.path}\` is a generated file that should be removed.`));
    else removeFile(safe.abs);
    return;
  }
  if (existing === f.content) {
    result.unchanged.push(f.path);
    return;
  }
  result.changes.push({ path: f.path, target: f.target, action: existing === undefined ? 'create' : 'update' });
  if (check) {
    result.diagnostics.push(diag('export/out-of-date', f.path, existing === undefined ? `\`${f.path}\` does not exist yet.` : `\`${f.path}\` differs from what the export would write.`));
    return;
  }
  // Writing through a symlink that points inside the repository updates its target.
  const target = fileInfo(safe.abs, { followLinks: false })?.isSymlink && exists(safe.abs) ? realPath(safe.abs) : safe.abs;
  writeFileAtomic(target, f.content ?? '');
}
