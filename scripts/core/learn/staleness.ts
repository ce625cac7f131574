/**
 * Staleness: learnings rot with the code they are about. A long-lived learning names its files
 * or components (`about:`, and a rule's `applies_to.paths` / `applies_to.components`); when those
 * files disappeared, or changed a lot in Git since the learning was accepted, it is flagged
 * `stale/learning` (a warning) so validate and synthesis can propose a review.
 *
 * `assessStaleness` is pure (targets + history in, findings out); `findStaleLearnings`
 * (agents/staleness.ts) gathers the history from Git.
 */
import type { RecordRow } from '../records/table.js';
import { isLifecycleKind } from '../records/kinds.js';
import { plural } from '../diagnostics/words.js';

/** Thresholds for "changed a lot". */
export interface StalenessOptions {
  /** Statuses checked (default: accepted only; proposed learnings are reviewed anyway). */
  statuses?: ReadonlyArray<'proposed' | 'accepted' | 'rejected' | 'archived'>;
  /** Lines added + deleted in the named files since acceptance that always count as a lot (default 200). */
  minLines?: number;
  /** Churn relative to the files' current size that counts as a lot, when above `floorLines` (default 0.5). */
  ratio?: number;
  /** Churn below this never counts, however small the files are (default 20). */
  floorLines?: number;
  /** Commits touching the named files since acceptance that count as a lot (default 10). */
  minCommits?: number;
}

/** One commit's changes from `git log --numstat`. */
export interface HistoryCommit {
  sha: string;
  /** Committer time (ISO). */
  at: string;
  /** Changed files with lines added + deleted (binary files count 1). */
  files: Array<{ path: string; lines: number }>;
}

/** What a learning is about, resolved to matchers. */
export interface LearningTargets {
  id: string;
  file: string;
  /** Acceptance time (review.decided_at, else created_at). */
  since: string;
  /** Paths or globs named by the learning, with where they were named. */
  paths: Array<{ spec: string; field: Array<string | number> }>;
  /** Component names (matched as a path segment). */
  components: Array<{ name: string; field: Array<string | number> }>;
}

/** One stale finding (before it becomes a diagnostic). */
export interface StaleFinding {
  id: string;
  file: string;
  field: Array<string | number>;
  reason: 'missing' | 'churn';
  message: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Glob (`**`, `*`, `?`, `{a,b}`) to an anchored regular expression over POSIX paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        if (g[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = g.indexOf('}', i);
      if (close > i) {
        re += `(?:${g
          .slice(i + 1, close)
          .split(',')
          .map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = close;
      } else re += '\\{';
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // A plain folder path also names everything inside it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** True when an `about` entry names a path (has a slash, a dot or glob characters), not a component. */
export function isPathSpec(entry: string): boolean {
  return entry.includes('/') || entry.includes('.') || GLOB_CHARS.test(entry);
}

/** The targets of a row, or undefined when it names nothing or is not a long-lived kind. */
export function targetsOf(row: RecordRow, statuses: ReadonlyArray<string>): LearningTargets | undefined {
  if (!isLifecycleKind(row.kind)) return undefined;
  const d = row.data as { status?: string; created_at: string; review?: { decided_at?: string }; about?: string[]; applies_to?: { paths?: string[]; components?: string[] }; component?: string };
  if (!d.status || !statuses.includes(d.status)) return undefined;
  const t: LearningTargets = { id: row.id, file: row.file, since: d.review?.decided_at ?? d.created_at, paths: [], components: [] };
  for (const [i, a] of (d.about ?? []).entries()) {
    if (isPathSpec(a)) t.paths.push({ spec: a, field: ['about', i] });
    else t.components.push({ name: a, field: ['about', i] });
  }
  for (const [i, p] of (d.applies_to?.paths ?? []).entries()) t.paths.push({ spec: p, field: ['applies_to', 'paths', i] });
  for (const [i, c] of (d.applies_to?.components ?? []).entries()) t.components.push({ name: c, field: ['applies_to', 'components', i] });
  return t.paths.length || t.components.length ? t : undefined;
}

/**
 * Decides staleness (pure). `tracked` are the files in the current tree with their line counts;
 * `history` the commits (any order). A named path that matches no tracked file is missing; the
 * named files' churn since acceptance counts as a lot by the thresholds in `opts`.
 */
export function assessStaleness(targets: readonly LearningTargets[], tracked: ReadonlyMap<string, number>, history: readonly HistoryCommit[], opts: StalenessOptions = {}): StaleFinding[] {
  const minLines = opts.minLines ?? 200;
  const ratio = opts.ratio ?? 0.5;
  const floor = opts.floorLines ?? 20;
  const minCommits = opts.minCommits ?? 10;
  const out: StaleFinding[] = [];
  const files = [...tracked.keys()];
  for (const t of targets) {
    const matchers: Array<(p: string) => boolean> = [];
    let missing = false;
    for (const p of t.paths) {
      const re = globToRegExp(p.spec);
      matchers.push((f) => re.test(f));
      if (!files.some((f) => re.test(f))) {
        missing = true;
        out.push({ id: t.id, file: t.file, field: p.field, reason: 'missing', message: `\`${t.id}\` is about \`${p.spec}\`, which no longer matches any file in the repository.` });
      }
    }
    for (const c of t.components) {
      const seg = c.name.toLowerCase();
      matchers.push((f) => f.toLowerCase().split('/').slice(0, -1).includes(seg));
    }
    if (missing && !t.components.length) continue;
    const since = Date.parse(t.since);
    const touched = new Set<string>();
    let lines = 0;
    let commits = 0;
    for (const c of history) {
      if (!(Date.parse(c.at) > since)) continue;
      let hit = false;
      for (const f of c.files) {
        if (!matchers.some((m) => m(f.path))) continue;
        hit = true;
        lines += f.lines;
        touched.add(f.path);
      }
      if (hit) commits += 1;
    }
    if (!commits) continue;
    const size = files.filter((f) => matchers.some((m) => m(f))).reduce((s, f) => s + (tracked.get(f) ?? 0), 0);
    const alot = lines >= minLines || (lines >= floor && lines >= ratio * size) || commits >= minCommits;
    if (!alot) continue;
    const first = t.paths[0]?.field ?? t.components[0]!.field;
    out.push({
      id: t.id,
      file: t.file,
      field: first,
      reason: 'churn',
      message: `\`${t.id}\` is about files that changed a lot since ${t.since.slice(0, 10)}: ${lines} line${lines === 1 ? '' : 's'} in ${commits} commit${commits === 1 ? '' : 's'} across ${touched.size} file${touched.size === 1 ? '' : 's'} (now ${plural(size, 'line')}).`,
    });
  }
  return out;
}

/** Parses `git log --numstat --format=%x00%H%x09%cI` output. */
export function parseNumstatLog(text: string): HistoryCommit[] {
  const out: HistoryCommit[] = [];
  for (const chunk of text.split('\0')) {
    const lines = chunk.split('\n');
    const head = lines[0]?.split('\t');
    if (!head || head.length < 2 || !/^[0-9a-f]{7,64}$/.test(head[0]!)) continue;
    const c: HistoryCommit = { sha: head[0]!, at: head[1]!.trim(), files: [] };
    for (const l of lines.slice(1)) {
      const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(l);
      if (!m) continue;
      const n = m[1] === '-' ? 1 : Number(m[1]) + Number(m[2]);
      c.files.push({ path: m[3]!, lines: n });
    }
    out.push(c);
  }
  return out;
}
