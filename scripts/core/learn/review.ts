/**
 * Review decisions on proposals: `accept` / `reject` set the status and a `review` block. A
 * rejected pattern or rule keeps its file (status `rejected`), which is how extraction and
 * synthesis know never to propose it again. Pure: returns the new file text.
 */
import type { RecordsTable } from '../records/table.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LIFECYCLE_KINDS, type AnyRecord } from '../records/kinds.js';
import { renderRecord } from '../records/write.js';
import { withArticle } from '../diagnostics/words.js';
import { scanSecrets } from '../records/secrets.js';

/** A review decision. */
export interface Decision {
  decision: 'accepted' | 'rejected';
  /** ISO time of the decision. */
  at: string;
  by?: string;
  reason?: string;
}

/** Result: the repo-relative file and its new content, or diagnostics. */
export interface DecisionResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  file?: string;
  content?: string;
  previous?: string;
  unchanged?: boolean;
}

/** Applies a decision to the record `id` (patterns, templates, rules, assumptions). */
export function decide(table: RecordsTable, id: string, d: Decision): DecisionResult {
  const row = table.rows.find((r) => r.id === id);
  if (!row) return { ok: false, diagnostics: [diag('input/not-found', id, `No record with id \`${id}\` in the knowledge base.`)] };
  if (!(LIFECYCLE_KINDS as readonly string[]).includes(row.kind)) {
    return { ok: false, diagnostics: [diag('input/field', row.file, `\`${id}\` is ${withArticle(row.kind)}; only patterns, templates, rules and assumptions are reviewed.`)] };
  }
  const data = row.data as Extract<AnyRecord, { status: string }>;
  const previous = data.status;
  if (previous === d.decision) return { ok: true, diagnostics: [], file: row.file, previous, unchanged: true };
  if (previous === 'archived') {
    return { ok: false, diagnostics: [diag('input/field', row.file, `\`${id}\` is archived; archival is final (Git keeps its history).`)] };
  }
  const review: NonNullable<typeof data.review> = { decided_at: d.at };
  if (d.by) review.by = d.by;
  if (d.reason) review.reason = d.reason;
  const rec = { ...data, status: d.decision, review } as AnyRecord;
  const content = renderRecord(rec, row.body);
  // The reason and the reviewer are new text: a secret pasted into them is refused like anywhere else.
  const secrets = scanSecrets('<flags>', `${d.by ?? ''}\n${d.reason ?? ''}`);
  if (secrets.length) return { ok: false, diagnostics: secrets.map((x) => ({ ...x, message: x.message.replace(/^Lines? [\d-]+ contains?/, 'The review flags contain') })) };
  return { ok: true, diagnostics: [], file: row.file, content, previous };
}
