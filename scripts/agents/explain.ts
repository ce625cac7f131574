/**
 * Derived knowledge by id, for `explain`, `show` (CLI) and `get` (MCP): a pattern, theme or effect
 * that recall showed as derived from the history is not a record, but it can be explained.
 */
import { openIndex, type OpenOptions } from '../index/api.js';
import { derivedDocOf, explainDerived, type DerivedExplanation } from '../core/learn/explain-record.js';
import type { ExtractedPattern } from '../core/learn/types.js';
import type { RecordRow } from '../core/records/table.js';
import type { Workspace } from '../core/workspace.js';
import type { RecallStore } from '../core/recall/store.js';
import { exists } from '../io/fs.js';

/**
 * A lookup of derived items: as recall holds them (the derived store; brought up to date like
 * recall does unless `noRefresh`, e.g. for an id a recall just showed), else in the last learning
 * snapshot's patterns (a large history whose derived store was not refreshed). The store and the
 * patterns are opened once, on the first lookup.
 */
export function derivedLookup(ws: Workspace, rows: readonly RecordRow[], opts: OpenOptions & { patterns?: readonly ExtractedPattern[] } = {}): (id: string) => Promise<DerivedExplanation | undefined> {
  let store: Promise<RecallStore | undefined> | undefined;
  let patterns: Promise<readonly ExtractedPattern[]> | undefined;
  return async (id) => {
    if (!exists(ws.kbRoot)) return undefined;
    store ??= openStoreFor(ws, opts.noRefresh === true);
    const s = await store;
    const doc = s && [s.find('pattern', id), s.find('effect', id)].find((x) => x?.derived);
    if (doc) return explainDerived(doc, rows);
    patterns ??= opts.patterns
      ? Promise.resolve(opts.patterns)
      : openIndex(ws)
          .learned.patterns()
          .then((p) => p ?? []);
    const p = (await patterns).find((x) => x.id === id);
    return p ? explainDerived(derivedDocOf(p), rows) : undefined;
  };
}

/** The recall store; with `noRefresh`, only one a build already wrote (a lookup never builds one). */
async function openStoreFor(ws: Workspace, noRefresh: boolean): Promise<RecallStore | undefined> {
  const index = openIndex(ws);
  if (noRefresh && !(await index.manifest())) return undefined;
  return index.store(noRefresh ? { noRefresh: true } : {}).catch(() => undefined);
}

/** One derived item by id (see derivedLookup). */
export async function explainDerivedId(ws: Workspace, rows: readonly RecordRow[], id: string, patterns?: readonly ExtractedPattern[]): Promise<DerivedExplanation | undefined> {
  return derivedLookup(ws, rows, patterns ? { patterns } : {})(id);
}
