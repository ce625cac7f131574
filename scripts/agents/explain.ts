/**
 * Derived knowledge by id, for `explain` (CLI) and `get` (MCP): a pattern, theme or effect that
 * recall showed as derived from the history is not a record, but it can be explained.
 */
import { openIndex } from '../index/api.js';
import { derivedDocOf, explainDerived, type DerivedExplanation } from '../core/learn/explain-record.js';
import type { ExtractedPattern } from '../core/learn/types.js';
import type { RecordRow } from '../core/records/table.js';
import type { Workspace } from '../core/workspace.js';
import { exists } from '../io/fs.js';

/**
 * A derived item as recall holds it (the derived store, brought up to date like recall does),
 * else from the last learning snapshot's patterns (a large history whose derived store was not
 * refreshed); undefined when the id is none of them.
 */
export async function explainDerivedId(ws: Workspace, rows: readonly RecordRow[], id: string, patterns?: readonly ExtractedPattern[]): Promise<DerivedExplanation | undefined> {
  if (!exists(ws.kbRoot)) return undefined;
  const index = openIndex(ws);
  const store = await index.store();
  const doc = [store.find('pattern', id), store.find('effect', id)].find((x) => x?.derived);
  if (doc) return explainDerived(doc, rows);
  const p = (patterns ?? (await index.learned.patterns()) ?? []).find((x) => x.id === id);
  return p ? explainDerived(derivedDocOf(p), rows) : undefined;
}
