/**
 * Staleness over a workspace: gathers the Git history and the named files' sizes, and flags
 * learnings with the pure `assessStaleness` (core/learn/staleness.ts).
 */
import { join } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { RecordRow } from '../core/records/table.js';
import type { Workspace } from '../core/workspace.js';
import { locateInText } from '../core/records/validate.js';
import { assessStaleness, globToRegExp, parseNumstatLog, targetsOf, type HistoryCommit, type LearningTargets, type StalenessOptions } from '../core/learn/staleness.js';
import { git } from '../io/git.js';
import { readBytes, readText } from '../io/fs.js';

function countLines(abs: string): number {
  try {
    const buf = readBytes(abs);
    if (buf.includes(0)) return 1; // binary
    let n = 0;
    for (const b of buf) if (b === 10) n += 1;
    return buf.length && buf[buf.length - 1] !== 10 ? n + 1 : n;
  } catch {
    return 0;
  }
}

/**
 * Flags accepted learnings whose files disappeared or changed a lot since acceptance
 * (`stale/learning` warnings, positioned at the field that names the files). Outside Git, or
 * when Git fails, returns no diagnostics: staleness is advice, never a failure.
 */
export async function findStaleLearnings(ws: Workspace, rows: readonly RecordRow[], opts: StalenessOptions = {}): Promise<Diagnostic[]> {
  if (!ws.inGit) return [];
  const targets = rows.map((r) => targetsOf(r, opts.statuses ?? ['accepted'])).filter((t): t is LearningTargets => Boolean(t));
  if (!targets.length) return [];
  let history: HistoryCommit[];
  const tracked = new Map<string, number>();
  try {
    const since = targets.map((t) => t.since).sort()[0]!;
    // Renames count as a deletion plus an addition: the learning names the old path.
    history = parseNumstatLog(await git(ws.repoRoot, ['log', '--no-renames', '--numstat', '--format=%x00%H%x09%cI', `--since=${since}`, 'HEAD'], { maxBuffer: 256 * 1024 * 1024 }));
    const files = (await git(ws.repoRoot, ['ls-files', '-z'], { maxBuffer: 256 * 1024 * 1024 })).split('\0').filter(Boolean);
    const wanted = targets.flatMap((t) => [...t.paths.map((p) => globToRegExp(p.spec)), ...t.components.map((c) => new RegExp(`(^|/)${c.name.replace(/[.+^$()|[\]\\*?{}]/g, '\\$&')}/`, 'i'))]);
    for (const f of files) tracked.set(f, wanted.some((re) => re.test(f)) ? countLines(join(ws.repoRoot, f)) : 0);
  } catch {
    return [];
  }
  const findings = assessStaleness(targets, tracked, history, opts);
  const texts = new Map<string, string>();
  return findings.map((f) => {
    let pos: { line?: number; column?: number } = {};
    try {
      if (!texts.has(f.file)) texts.set(f.file, readText(join(ws.repoRoot, f.file)));
      pos = locateInText(texts.get(f.file)!, f.field);
    } catch {
      // position is a nicety
    }
    return diag('stale/learning', f.file, f.message, {
      ...pos,
      hint:
        f.reason === 'missing'
          ? 'Update `about` / `applies_to` to the new location, or archive the learning (`status: archived`) if the code is gone.'
          : 'Re-read the learning against the current code; update it, or archive it if it no longer holds. `learning-loop synthesize` proposes the review.',
    });
  });
}
