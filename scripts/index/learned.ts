/**
 * The derived-knowledge store: the patterns, themes and effects the learning engine finds,
 * written as a small recall store in `<outDir>/learned/` (`meta.json`, `seg-derived.json`) that
 * recall opens together with the records' store (recall/store-fs.ts), so derived knowledge is
 * searched through the same index and ranking. `state.json` says which build it was derived
 * from. Written by the learning snapshot (`site build`, `demo`, `build --learn`) and, for
 * histories up to `LEARN_INLINE_MAX` executions, after every build that changed something.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../core/workspace.js';
import { writeFileAtomic } from '../io/fs.js';
import { rowsOf, type RecordsTable } from '../core/records/table.js';
import { readManifest } from './outputs.js';
import { renderRowsStore } from '../core/recall/memory.js';
import { parseStoreFile, type StoreFile } from '../core/recall/store.js';
import { derivedRows } from '../core/learn/derived.js';
import { learnedDir, type LearnedState } from './learned-state.js';
import { effectOfRecall, type EffectReport } from '../core/learn/effect.js';
import type { Analysis } from '../core/learn/analyze.js';

/** Reads the derived store's meta file; undefined when missing, unreadable or of another version. */
export function readLearnedStore(outDir: string): StoreFile | undefined {
  try {
    return parseStoreFile(readFileSync(join(learnedDir(outDir), 'meta.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Writes the derived store for an analysis (and the effect, computed when not given). Deterministic. */
export function writeLearned(ws: Workspace, table: RecordsTable, analysis: Analysis, effect?: EffectReport): LearnedState {
  const history = analysis.executions;
  const latest = history.length ? history[history.length - 1]!.started_at : null;
  const asOf = latest ?? '1970-01-01T00:00:00Z';
  const committed = new Set(rowsOf(table, 'pattern').map((r) => r.id));
  const rows = derivedRows(analysis.patterns, effect ?? effectOfRecall(history, ws.config), committed, asOf, history);
  const store = renderRowsStore(rows, { name: 'seg-derived.json', derived: true });
  const dir = learnedDir(ws.outDir);
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, 'seg-derived.json'), store.content);
  writeFileAtomic(join(dir, 'meta.json'), `${JSON.stringify(store.file)}\n`);
  const state: LearnedState = { version: 1, source: readManifest(ws.outDir)?.source ?? '', executions: history.length, latest_execution: latest, documents: rows.length };
  writeFileAtomic(join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
  return state;
}
