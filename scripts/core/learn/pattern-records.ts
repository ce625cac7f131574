/**
 * Extracted patterns → pattern records (status `proposed`), merged with what is on disk:
 * a growing history updates a proposed record in place; accepted, rejected and archived
 * records are decisions made by people and are never rewritten here. Pure.
 */
import type { PatternRecord } from '../records/kinds.js';
import type { RecordRow } from '../records/table.js';
import { recordPath } from '../records/kinds.js';
import { renderRecord } from '../records/write.js';
import type { ExtractedPattern } from './types.js';

/** A planned file change under the knowledge base. */
export interface FileChange {
  /** KB-relative path. */
  path: string;
  /** Full new file text. */
  content: string;
  /** 'create' for a new file, 'update' for a changed one. */
  action: 'create' | 'update';
  /** The record id. */
  id: string;
  /** Why (one line, for the PR body). */
  reason: string;
}

/** The record for an extracted pattern (keeps `created_at` of an existing proposed record). */
export function patternRecordFrom(p: ExtractedPattern, existing?: PatternRecord): PatternRecord {
  const rec: PatternRecord = {
    kind: 'pattern',
    id: p.id,
    created_at: existing?.created_at ?? p.last_seen,
    title: p.statement.length > 120 ? `${p.statement.slice(0, 117)}...` : p.statement,
    status: 'proposed',
    pattern_type: p.pattern_type,
    category: p.category,
    statement: p.statement,
    definition: p.definition,
    evidence: p.evidence,
    support: p.support,
    confidence: p.confidence,
    lift: p.lift,
  };
  if (p.domain) {
    rec.domain = p.domain;
    rec.domains = [p.domain];
  }
  if (existing?.tags) rec.tags = existing.tags;
  return rec;
}

const TESTED =
  'A one-sided Fisher exact test, with the false discovery rate controlled (Benjamini–Hochberg) across every candidate of the extraction, decides whether it is reported (p and q in the statement).';

/** How each kind of pattern is found (docs/learning.md has the formulas). */
const HOW: Record<ExtractedPattern['pattern_type'], string> = {
  success: `\`support\` counts executions with these conditions and the outcome; \`confidence\` = support / executions with the conditions; \`lift\` = confidence / base rate of the outcome. ${TESTED}`,
  failure: `\`support\` counts executions with these conditions and the outcome; \`confidence\` = support / executions with the conditions; \`lift\` = confidence / base rate of the outcome. ${TESTED}`,
  dependency: `\`support\` counts executions with this dependency and the outcome; \`confidence\` = support / executions with the dependency; \`lift\` = confidence / base rate of the outcome. ${TESTED}`,
  performance:
    "Mann–Kendall trend test of `duration_s` over the newest executions in time order, with Sen's slope; significant after Benjamini–Hochberg across every series tested; `confidence` = 1 − q.",
  theme:
    'A phrase that failures use more often than other executions that say something (one-sided Fisher exact test, false discovery rate controlled across every candidate phrase); `support` counts the failures that use it.',
};

/** Markdown body explaining a pattern and how it was computed. */
export function patternBody(p: ExtractedPattern): string {
  return [
    `## ${p.pattern_type[0]!.toUpperCase()}${p.pattern_type.slice(1)} pattern`,
    '',
    p.statement,
    '',
    '## How it was found',
    '',
    HOW[p.pattern_type],
    ...(p.same_evidence?.length ? ['', `Found over the same executions, and merged into this pattern: ${p.same_evidence.map((m) => `\`${m.id}\` (${m.pattern_type})`).join(', ')}.`] : []),
    '',
    `Evidence: ${p.evidence.map((id) => `\`${id}\``).join(', ')}`,
    '',
    'Re-run `learning-loop patterns --write` to refresh the numbers; accept or reject with `learning-loop accept|reject <id>`.',
  ].join('\n');
}

/**
 * Plans the pattern file changes: new patterns are created as `proposed`; proposed ones are
 * updated when their evidence changed; any other status is left alone (people decided it).
 */
export function planPatternWrites(patterns: readonly ExtractedPattern[], rows: readonly RecordRow[]): FileChange[] {
  const existing = new Map(rows.filter((r) => r.kind === 'pattern').map((r) => [r.id, r as RecordRow<PatternRecord>]));
  const out: FileChange[] = [];
  for (const p of patterns) {
    const row = existing.get(p.id);
    if (row && row.data.status !== 'proposed') continue;
    const rec = patternRecordFrom(p, row?.data);
    const content = renderRecord(rec, patternBody(p));
    const path = recordPath(rec);
    if (row) {
      if (renderRecord(row.data, row.body) === content) continue;
      out.push({ path, content, action: 'update', id: p.id, reason: `evidence now ${p.support} executions` });
    } else {
      out.push({ path, content, action: 'create', id: p.id, reason: p.statement });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
