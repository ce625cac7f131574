/**
 * `init`: the seed's Task 1 structure, the Step 3 config, the working assumptions file and a
 * `.gitignore` entry for the build folder. Idempotent and non-destructive: existing files are
 * kept (never overwritten), and the result lists what was created and what was kept.
 */
import { join, relative } from 'node:path';
import { KB_DIRS, recordPath, type AssumptionRecord } from '../core/records/kinds.js';
import { renderRecord } from '../core/records/write.js';
import { memoryToPatterns, SEED_PATTERNS } from '../core/records/seed-patterns.js';
import { DEFAULT_CONFIG_TEXT } from '../core/config.js';
import { appendText, ensureDir, exists, isDirectory, listDir, readText, toPosix, writeFileExclusive } from '../io/fs.js';
import type { Workspace } from '../core/workspace.js';

/** Options for {@link initKnowledgeBase}. */
export interface InitOptions {
  /** Also write the seed's Step 4 patterns as pattern records. */
  example?: boolean;
  /** Timestamp written into new records (default now); pass one for reproducible output. */
  now?: Date;
  /** Append the build folder to the repository's `.gitignore` (default true). */
  gitignore?: boolean;
}

/** What `init` did, as repo-relative paths. */
export interface InitResult {
  created: string[];
  kept: string[];
  /** Lines appended to the repository's `.gitignore` (empty when already present). */
  gitignore: string[];
}

/** The working assumptions record `init` writes (the seed's current-assumptions.md). */
export function currentAssumptions(createdAt: string): { record: AssumptionRecord; body: string } {
  const record: AssumptionRecord = {
    kind: 'assumption',
    id: 'current-assumptions',
    created_at: createdAt,
    title: 'Current assumptions',
    status: 'accepted',
    statement: 'The working assumptions agents rely on; reviewed when a task scores low or surprises.',
    assumptions: [
      { key: 'records-are-truth', statement: 'Execution records in Git are the single source of truth for what happened.', confidence: 'high' },
      { key: 'scores-follow-thresholds', statement: 'Reflection triggers follow the thresholds in config/triggers.yaml (60 / 90 / 70).', confidence: 'high' },
    ],
  };
  const body = [
    '# Current assumptions',
    '',
    'Review these when scores are consistently below 60 or surprise is high (seed: Support & Troubleshooting).',
    'Add one entry per assumption under `assumptions:` with a stable `key`, and lower its `confidence` when evidence contradicts it.',
  ].join('\n');
  return { record, body };
}

function rel(ws: Workspace, abs: string): string {
  return toPosix(relative(ws.repoRoot, abs));
}

/** Creates (or completes) the knowledge base in `ws.kbRoot`. Never overwrites a file. */
export function initKnowledgeBase(ws: Workspace, opts: InitOptions = {}): InitResult {
  const created: string[] = [];
  const kept: string[] = [];
  const createdAt = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const file = (kbRel: string, content: string) => {
    const abs = join(ws.kbRoot, kbRel);
    (writeFileExclusive(abs, content) ? created : kept).push(rel(ws, abs));
  };

  for (const dir of KB_DIRS) {
    const abs = join(ws.kbRoot, dir);
    if (!isDirectory(abs)) ensureDir(abs);
  }
  file('config/triggers.yaml', DEFAULT_CONFIG_TEXT);
  const ca = currentAssumptions(createdAt);
  file(recordPath(ca.record), renderRecord(ca.record, ca.body));
  if (opts.example) {
    for (const p of memoryToPatterns(SEED_PATTERNS, createdAt)) {
      file(recordPath(p), renderRecord(p, `${p.statement}\n\nSeed pattern from Phase 1 (the seed's Step 4 initial patterns).`));
    }
  }
  // Empty folders stay in Git through a .gitkeep.
  for (const dir of KB_DIRS) {
    const abs = join(ws.kbRoot, dir);
    if (!hasEntries(abs)) file(`${dir}/.gitkeep`, '');
  }

  const gitignore: string[] = [];
  const want = `/${toPosix(relative(ws.repoRoot, ws.outDir)).split('/')[0]}/`;
  const giPath = join(ws.repoRoot, '.gitignore');
  const existing = exists(giPath) ? readText(giPath) : '';
  const lines = existing.split(/\r?\n/).map((l) => l.trim());
  const bare = want.replace(/^\/|\/$/g, '');
  if (opts.gitignore !== false && !lines.some((l) => l === want || l === bare || l === `${bare}/` || l === `/${bare}`)) {
    const prefix = existing && !existing.endsWith('\n') ? '\n' : '';
    appendText(giPath, `${prefix}# learning-loop build output (index, aggregates, site)\n${want}\n`);
    gitignore.push(want);
  }
  return { created: created.sort(), kept: kept.sort(), gitignore };
}

function hasEntries(dir: string): boolean {
  return listDir(dir).some((e) => e.name !== '.gitkeep');
}
