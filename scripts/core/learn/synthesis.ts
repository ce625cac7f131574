/**
 * Weekly / monthly learning synthesis (seed `weekly_learning_synthesis`). Pure: table + config +
 * period → file changes ready for a pull request and a PR-body summary. Deterministic: ids and
 * `created_at` derive from the period, and only executions up to the period's end are used, so
 * a run repeated on the same history produces byte-identical files.
 */
import type { MetricsRecord, PatternRecord, ReflectionRecord, RuleRecord, SynthesisRecord, ExecutionRecord } from '../records/kinds.js';
import type { RecordRow, RecordsTable } from '../records/table.js';
import { executionsInOrder, rowsOf } from '../records/table.js';
import type { ResolvedConfig } from '../config.js';
import { recordPath } from '../records/kinds.js';
import { renderRecord } from '../records/write.js';
import { analyzeTable, type Analysis } from './analyze.js';
import { planPatternWrites, type FileChange } from './pattern-records.js';
import { provedGood, recallEvidence, turnedBad } from './evidence.js';
import { effectOfRecall, formatP } from './effect.js';
import { addDays, round, mean, weekStart } from './stats.js';
import type { ExtractedPattern } from './types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { noun, plural } from '../diagnostics/words.js';

/** Synthesis period. */
export type Period = 'week' | 'month';

/** The period's bounds and labels. */
export interface PeriodInfo {
  period: Period;
  /** `2026-W47` or `2026-11`. */
  label: string;
  /** YYYY-MM-DD, inclusive. */
  start: string;
  end: string;
}

/** Patterns without evidence newer than this many days (before the period end) may be archived. */
export const OBSOLETE_AFTER_DAYS = 30;
/** Evidence overlap (Jaccard) at or above which two patterns are near-duplicates. */
export const DUPLICATE_JACCARD = 0.8;
/** At most this many new pattern records per synthesis (strongest first), to keep the PR reviewable. */
export const MAX_NEW_PATTERNS = 20;

/** ISO week label (`YYYY-Www`) of a date. */
export function isoWeekLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7)));
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((thursday.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The period containing `date` (YYYY-MM-DD): Monday..Sunday, or the calendar month. */
export function periodFor(period: Period, date: string): PeriodInfo {
  if (period === 'week') {
    const start = weekStart(date);
    return { period, label: isoWeekLabel(start), start, end: addDays(start, 6) };
  }
  const [y, m] = date.split('-').map(Number) as [number, number];
  const start = `${y}-${String(m).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { period, label: start.slice(0, 7), start, end };
}

/** Result of a synthesis run. */
export interface SynthesisResult {
  period: PeriodInfo;
  record: SynthesisRecord;
  metrics: MetricsRecord;
  /** Every file change (KB-relative paths), sorted by path. */
  changes: FileChange[];
  top_patterns: ExtractedPattern[];
  summary: { executions: number; reflections: number; patterns_identified: number; rules_proposed: number; archived: number; merges: number; flags: number };
  /** Markdown for the pull request body. */
  pr_body: string;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const sa = new Set(a);
  let inter = 0;
  for (const x of b) if (sa.has(x)) inter++;
  return inter / (sa.size + new Set(b).size - inter);
}

/** Pattern types that can describe the same fact (a failing dependency is also a failure pattern). */
function compatible(a: string, b: string): boolean {
  return a === b || (a !== b && ['failure', 'dependency'].includes(a) && ['failure', 'dependency'].includes(b));
}

function strength(p: ExtractedPattern): number {
  return p.support * p.lift;
}

function ruleFromPattern(p: ExtractedPattern, createdAt: string, periodLabel: string): RuleRecord {
  const def = p.definition;
  const rule: RuleRecord = {
    kind: 'rule',
    id: `rule-${p.id.replace(/^pat-/, '')}`.slice(0, 128),
    created_at: createdAt,
    title: p.pattern_type === 'success' ? `Prefer what worked: ${p.id}` : `Check before starting: ${p.id}`,
    status: 'proposed',
    statement: p.pattern_type === 'success' ? `Reuse this approach when it applies. ${p.statement}` : `Before starting a matching task, recall ${p.id} and plan around it. ${p.statement}`,
    rationale: `Proposed by the ${periodLabel} synthesis from pattern ${p.id} (support ${p.support}, confidence ${p.confidence}, lift ${p.lift}).`,
    from_patterns: [p.id],
    priority: Math.min(100, Math.round(50 + 10 * p.lift)),
    provenance: { source: `learning-loop synthesize ${periodLabel}`, format: 'synthesis' },
  };
  const applies: NonNullable<RuleRecord['applies_to']> = {};
  if (typeof def.task_type === 'string') applies.task_types = [def.task_type];
  if (typeof def.component === 'string') applies.components = [def.component];
  if (Object.keys(applies).length) rule.applies_to = applies;
  if (p.domain) rule.domains = [p.domain];
  return rule;
}

function archiveChange<R extends PatternRecord | RuleRecord>(row: RecordRow<R>, reason: string, createdAt: string, extra: Partial<R> = {}): FileChange {
  const rec = { ...row.data, ...extra, status: 'archived' as const, review: { decided_at: createdAt, by: 'learning-loop synthesize (proposed)', reason } };
  return { path: recordPath(rec), content: renderRecord(rec, row.body), action: 'update', id: row.id, reason };
}

function promoteChange(row: RecordRow<PatternRecord | RuleRecord>, reason: string, createdAt: string): FileChange {
  const rec = { ...row.data, status: 'accepted' as const, review: { decided_at: createdAt, by: 'learning-loop synthesize (proposed)', reason } };
  return { path: recordPath(rec), content: renderRecord(rec, row.body), action: 'update', id: row.id, reason };
}

/** What every step of one synthesis run reads: the period, the history up to its end and its analysis. */
interface SynthesisInputs {
  table: RecordsTable;
  config: ResolvedConfig;
  period: Period;
  info: PeriodInfo;
  /** `created_at` of every record the run writes: the last second of the period. */
  createdAt: string;
  /** The synthesis record's id. */
  id: string;
  /** Executions started by the end of the period, in order. */
  history: ExecutionRecord[];
  inPeriod: ExecutionRecord[];
  periodIds: Set<string>;
  analysis: Analysis;
  /** Reflections created in the period. */
  reflections: Array<RecordRow<ReflectionRecord>>;
  patternRows: Array<RecordRow<PatternRecord>>;
  ruleRows: Array<RecordRow<RuleRecord>>;
  /** Accepted and proposed pattern records. */
  live: Array<RecordRow<PatternRecord>>;
  existingIds: Set<string>;
}

/** Archivals and promotions a synthesis proposes, in the order found, with the reason for each. */
interface Review {
  changes: FileChange[];
  archived: string[];
  promoted: string[];
  reasons: Map<string, string>;
}

/** The synthesis record's lists and the report lines derived from them. */
interface ReportLists {
  /** Ids of created records (this run's and an earlier run's of the same period). */
  proposed: string[];
  /** Ids of archived records (this run's and an earlier run's of the same period). */
  archived: string[];
  /** `loser` → `keeper` lines. */
  merges: string[];
  /** `- archive …` lines (near-duplicate archivals are listed as merges instead). */
  archiveLines: string[];
  newRules: string[];
  flags: string[];
}

/** Reads the period, the history up to its end and the learning analysis of it. */
function synthesisInputs(table: RecordsTable, config: ResolvedConfig, period: Period, date: string, patternCommits?: ReadonlyMap<string, number>): SynthesisInputs {
  const info = periodFor(period, date);
  const id = `syn-${period}-${info.label.toLowerCase()}`;
  const history = executionsInOrder(table).filter((e) => e.started_at.slice(0, 10) <= info.end);
  const inPeriod = history.filter((e) => e.started_at.slice(0, 10) >= info.start);
  // Earlier syntheses only (not this period's own report), so a re-run sees the same inputs.
  const earlier: RecordsTable = { rows: table.rows.filter((r) => r.kind !== 'synthesis' || (r.id !== id && (r.data as SynthesisRecord).period_end < info.start)), diagnostics: table.diagnostics };
  const patternRows = rowsOf(table, 'pattern');
  return {
    table,
    config,
    period,
    info,
    createdAt: `${info.end}T23:59:59Z`,
    id,
    history,
    inPeriod,
    periodIds: new Set(inPeriod.map((e) => e.id)),
    analysis: analyzeTable(earlier, config, patternCommits, history),
    reflections: rowsOf(table, 'reflection').filter((r) => r.data.created_at.slice(0, 10) >= info.start && r.data.created_at.slice(0, 10) <= info.end),
    patternRows,
    ruleRows: rowsOf(table, 'rule'),
    live: patternRows.filter((r) => r.data.status === 'accepted' || r.data.status === 'proposed'),
    existingIds: new Set(table.rows.map((r) => r.id)),
  };
}

/**
 * Near-duplicates among live records and new patterns (compatible type, evidence overlap ≥
 * DUPLICATE_JACCARD): loser id → keeper id, the one with more support (then confidence) keeping.
 */
function nearDuplicates(inp: SynthesisInputs): Map<string, string> {
  const candidates: Array<{ id: string; type: string; evidence: string[]; support: number; confidence: number }> = [
    ...inp.live.map((r) => ({ id: r.id, type: r.data.pattern_type, evidence: r.data.evidence ?? [], support: r.data.support ?? r.data.evidence?.length ?? 0, confidence: r.data.confidence ?? 1 })),
    ...inp.analysis.patterns.filter((p) => !inp.existingIds.has(p.id)).map((p) => ({ id: p.id, type: p.pattern_type, evidence: p.evidence, support: p.support, confidence: p.confidence })),
  ].sort((a, b) => b.support - a.support || b.confidence - a.confidence || (a.id < b.id ? -1 : 1));
  const losers = new Map<string, string>();
  for (let i = 0; i < candidates.length; i++) {
    const keep = candidates[i]!;
    if (losers.has(keep.id)) continue;
    for (let j = i + 1; j < candidates.length; j++) {
      const other = candidates[j]!;
      if (losers.has(other.id) || !compatible(keep.type, other.type) || other.evidence.length < inp.config.patterns.min_support) continue;
      if (jaccard(keep.evidence, other.evidence) >= DUPLICATE_JACCARD) losers.set(other.id, keep.id);
    }
  }
  return losers;
}

/** Extracted patterns strongest first (near-duplicates left out) and the top five: those with evidence in the period, else the strongest overall. */
function rankPatterns(inp: SynthesisInputs, losers: ReadonlyMap<string, string>): { ranked: ExtractedPattern[]; top: ExtractedPattern[] } {
  const rankedAll = [...inp.analysis.patterns].sort((a, b) => strength(b) - strength(a) || (a.id < b.id ? -1 : 1));
  const ranked = rankedAll.filter((p) => !losers.has(p.id));
  const active = ranked.filter((p) => p.evidence.some((x) => inp.periodIds.has(x)));
  return { ranked, top: (active.length ? active : ranked).slice(0, 5) };
}

/** Pattern records to write: every existing one still found, and new ones (at most MAX_NEW_PATTERNS, strongest first; top patterns always included). */
function patternsToWrite(inp: SynthesisInputs, ranked: readonly ExtractedPattern[], top: readonly ExtractedPattern[], losers: ReadonlyMap<string, string>): ExtractedPattern[] {
  const newOnes = ranked.filter((p) => !inp.existingIds.has(p.id) && !losers.has(p.id));
  const chosen = new Set([...newOnes.slice(0, MAX_NEW_PATTERNS).map((p) => p.id), ...top.map((p) => p.id)]);
  return ranked.filter((p) => !losers.has(p.id) && (inp.existingIds.has(p.id) || chosen.has(p.id)));
}

/** New rules from strong patterns (never re-proposing a rule that exists in any status). */
function newRuleChanges(inp: SynthesisInputs, ranked: readonly ExtractedPattern[], losers: ReadonlyMap<string, string>, writtenPatterns: ReadonlySet<string>): FileChange[] {
  const rulePatterns = new Set(inp.ruleRows.flatMap((r) => r.data.from_patterns ?? []));
  const strong = ranked.filter((p) => p.pattern_type !== 'performance' && p.support >= 2 * inp.config.patterns.min_support && p.confidence >= 0.75 && writtenPatterns.has(p.id) && !losers.has(p.id));
  const changes: FileChange[] = [];
  for (const p of strong) {
    const rule = ruleFromPattern(p, inp.createdAt, inp.info.label);
    if (inp.existingIds.has(rule.id) || rulePatterns.has(p.id)) continue;
    const body = `## Why\n\n${p.statement}\n\nEvidence: ${p.evidence.map((x) => `\`${x}\``).join(', ')}\n`;
    changes.push({ path: recordPath(rule), content: renderRecord(rule, body), action: 'create', id: rule.id, reason: `new rule from ${p.id}` });
  }
  return changes;
}

/** Adds an archival or a promotion (the change's id and reason) to the review. */
function noteChange(review: Review, list: 'archived' | 'promoted', change: FileChange): void {
  review.changes.push(change);
  review[list].push(change.id);
  review.reasons.set(change.id, change.reason);
}

/**
 * Recalled rules and patterns with significant like-for-like evidence (FDR controlled): archive
 * an accepted one that harms, promote a proposed one that helps. Raw success counts never decide.
 */
function reviewRecalled(inp: SynthesisInputs, review: Review): void {
  const evidence = recallEvidence(inp.history, inp.config);
  for (const row of [...inp.ruleRows, ...inp.patternRows]) {
    const ev = evidence.get(row.id);
    if (!ev) continue;
    if (row.data.status === 'accepted' && turnedBad(ev)) {
      const reason = `Recalled by ${ev.recalled_by.length} executions; like for like it harms: ${ev.reason}`;
      noteChange(review, 'archived', archiveChange(row as RecordRow<RuleRecord | PatternRecord>, reason, inp.createdAt));
    } else if (row.data.status === 'proposed' && provedGood(ev)) {
      const reason = `Recalled by ${ev.recalled_by.length} executions; like for like it helps: ${ev.reason}`;
      noteChange(review, 'promoted', promoteChange(row as RecordRow<RuleRecord | PatternRecord>, reason, inp.createdAt));
    }
  }
}

/** Obsolete patterns: no longer found and no evidence in the last OBSOLETE_AFTER_DAYS days. */
function archiveObsolete(inp: SynthesisInputs, review: Review): void {
  const found = new Set(inp.analysis.patterns.map((p) => p.id));
  const cutoff = addDays(inp.info.end, -OBSOLETE_AFTER_DAYS);
  const byId = new Map(inp.history.map((e) => [e.id, e] as [string, ExecutionRecord]));
  for (const row of inp.live) {
    const d = row.data;
    if (review.archived.includes(row.id) || !['success', 'failure', 'performance', 'dependency', 'theme'].includes(d.pattern_type) || found.has(row.id)) continue;
    const newest =
      (d.evidence ?? [])
        .map((x) => byId.get(x)?.started_at.slice(0, 10) ?? '')
        .sort()
        .pop() ?? d.created_at.slice(0, 10);
    if (newest >= cutoff) continue;
    const reason = `No longer supported by the history (extraction does not find it) and no evidence since ${newest}.`;
    noteChange(review, 'archived', archiveChange(row, reason, inp.createdAt));
  }
}

/** Near-duplicate merges: archive the weaker existing record, pointing at the keeper. */
function archiveMerged(inp: SynthesisInputs, losers: ReadonlyMap<string, string>, review: Review): void {
  for (const [loser, keeper] of [...losers].sort()) {
    const row = inp.live.find((r) => r.id === loser);
    if (!row || review.archived.includes(loser)) continue;
    const reason = `Near-duplicate of ${keeper} (evidence overlap ≥ ${DUPLICATE_JACCARD * 100}%).`;
    noteChange(review, 'archived', archiveChange(row, reason, inp.createdAt));
  }
}

/** The metrics snapshot at the end of the period. */
function metricsRecord(inp: SynthesisInputs, periodMean: number | null): MetricsRecord {
  const m = inp.analysis.report.metrics;
  return {
    kind: 'metrics',
    id: `met-${inp.period}-${inp.info.label.toLowerCase()}`,
    created_at: inp.createdAt,
    title: `Metrics ${inp.info.label}`,
    period: inp.period,
    period_start: inp.info.start,
    period_end: inp.info.end,
    metrics: {
      executions_in_period: inp.inPeriod.length,
      mean_overall_in_period: periodMean,
      component_reuse_rate: m.component_reuse_rate,
      api_integration_time: m.api_integration_time,
      agent_effectiveness: m.agent_effectiveness,
      pattern_stability: m.pattern_stability,
      overall_improvement: m.overall_improvement,
    } as MetricsRecord['metrics'],
  };
}

/** Why a record was archived: from this run or, after the PR was merged, from the archived record's review block. */
function reasonLookup(table: RecordsTable, reasons: ReadonlyMap<string, string>): (id: string) => string {
  const rowById = new Map(table.rows.map((r) => [r.id, r]));
  return (x) => reasons.get(x) ?? (rowById.get(x)?.data as { review?: { reason?: string } } | undefined)?.review?.reason ?? 'archived';
}

/** The synthesis record's lists, merged with those of an earlier run of the same period, so a re-run after merge is stable. */
function reportLists(inp: SynthesisInputs, changes: readonly FileChange[], metricsId: string, review: Review, losers: ReadonlyMap<string, string>): ReportLists {
  const prior = rowsOf(inp.table, 'synthesis').find((r) => r.id === inp.id)?.data;
  const proposed = [...new Set([...(prior?.proposed ?? []), ...changes.filter((c) => c.action === 'create' && c.id !== metricsId).map((c) => c.id)])].sort();
  const archived = [...new Set([...(prior?.archived ?? []), ...review.archived])].sort();
  const reasonOf = reasonLookup(inp.table, review.reasons);
  const merges = [
    ...new Set([
      ...archived.filter((x) => reasonOf(x).startsWith('Near-duplicate of ')).map((x) => `\`${x}\` → \`${reasonOf(x).slice(18).split(' ')[0]}\` (archived)`),
      ...[...losers].filter(([l]) => !inp.existingIds.has(l)).map(([l, k]) => `\`${l}\` → \`${k}\` (not proposed separately)`),
    ]),
  ].sort();
  const archiveLines = archived.filter((x) => !reasonOf(x).startsWith('Near-duplicate of ')).map((x) => `- archive \`${x}\`: ${reasonOf(x)}`);
  const flags = inp.analysis.flags.map((f) => `${f.action}: ${f.subject}`.slice(0, 200));
  return { proposed, archived, merges, archiveLines, newRules: proposed.filter((x) => x.startsWith('rule-')), flags };
}

/** The synthesis record (its frontmatter; the report is its body). */
function synthesisRecord(inp: SynthesisInputs, lists: ReportLists, top: readonly ExtractedPattern[], writtenPatterns: ReadonlySet<string>, periodMean: number | null): SynthesisRecord {
  const m = inp.analysis.report.metrics;
  return {
    kind: 'synthesis',
    id: inp.id,
    created_at: inp.createdAt,
    title: `${inp.period === 'week' ? 'Weekly' : 'Monthly'} learning synthesis ${inp.info.label}`,
    period: inp.period,
    period_label: inp.info.label,
    period_start: inp.info.start,
    period_end: inp.info.end,
    executions: inp.inPeriod.length,
    reflections: inp.reflections.map((r) => r.id).sort(),
    top_patterns: top.map((p) => p.id).filter((x) => writtenPatterns.has(x)),
    proposed: lists.proposed,
    archived: lists.archived,
    flags: lists.flags,
    metrics: {
      executions: inp.inPeriod.length,
      mean_overall: periodMean,
      reuse_rate: m.component_reuse_rate.rate,
      overall_trend: m.overall_improvement.trend,
      slope_per_week: m.overall_improvement.slope_per_week,
      patterns_identified: inp.analysis.patterns.length,
    },
  };
}

/** The report's "Effect of memory" lines: `learning-loop effect`, then this run's promotions. */
function effectLines(inp: SynthesisInputs, review: Review): string[] {
  const effect = effectOfRecall(inp.history, inp.config);
  return [
    `- Overall: **${effect.overall.verdict}** — ${effect.overall.reason}`,
    ...(effect.disagreement ? [`- ${effect.disagreement}`] : []),
    ...(effect.arms ? [`- Agents with memory (${effect.arms.with_memory.join(', ')}) vs without (${effect.arms.without_memory.join(', ')}): **${effect.arms.verdict}** — ${effect.arms.reason}`] : []),
    ...effect.learnings.filter((l) => l.verdict !== 'unclear').map((l) => `- \`${l.id}\` **${l.verdict}** (q ${formatP(l.q_value)}, ${l.helpful} helpful vs ${l.harmful} harmful comparisons)`),
    ...review.promoted.map((x) => `- promote \`${x}\`: ${review.reasons.get(x)}`),
  ];
}

/** The report's "Stale learnings to review" lines, by file. */
function staleLines(stale: readonly Diagnostic[]): string[] {
  if (!stale.length) return ['- None found (learnings name their files with \`about:\`; accepted ones are checked against Git history).'];
  return [...stale].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((d) => `- \`${d.file}\`: ${d.message}`);
}

/** `lines`, or the one line saying there is nothing. */
const orNone = (lines: string[], none = '- None.'): string[] => (lines.length ? lines : [none]);

/** The synthesis report (the record's body): a headline, then one section per concern. */
function reportLines(
  inp: SynthesisInputs,
  record: SynthesisRecord,
  lists: ReportLists,
  top: readonly ExtractedPattern[],
  review: Review,
  periodMean: number | null,
  stale: readonly Diagnostic[],
): string[] {
  const { analysis, inPeriod, reflections } = inp;
  const sections: Array<[string, string[]]> = [
    [
      'Top patterns',
      orNone(
        top.map((p) => `- \`${p.id}\` — ${p.statement}`),
        '- None yet (patterns need at least `min_support` executions).',
      ),
    ],
    ['Reflections this period', orNone(reflections.map((r) => `- \`${r.id}\` (${r.data.reflection_type}, ${r.data.status ?? 'open'})${r.data.root_cause ? `: ${r.data.root_cause}` : ''}`))],
    [
      'Proposed rule updates',
      [
        ...orNone(
          lists.newRules.map((x) => `- new \`${x}\` (from \`${'pat-' + x.slice(5)}\`)`),
          '- No new rules.',
        ),
        ...lists.archiveLines,
      ],
    ],
    ['Effect of memory (like for like)', effectLines(inp, review)],
    ['Near-duplicate merges', orNone(lists.merges.map((x) => `- ${x}`))],
    ['Stale learnings to review', staleLines(stale)],
    [
      'Anti-pattern flags',
      orNone(
        analysis.flags.map(
          (f) =>
            `- **${f.action.replace(/_/g, ' ')}** — ${f.message} Evidence: ${f.evidence
              .slice(0, 5)
              .map((x) => `\`${x}\``)
              .join(', ')}${f.evidence.length > 5 ? ', …' : ''}`,
        ),
      ),
    ],
    [
      'Success criteria',
      ['| criterion | status | detail |', '|---|---|---|', ...analysis.report.success_criteria.map((c) => `| ${c.title} | ${c.status.replace(/_/g, ' ')} | ${c.detail.replace(/\|/g, '\\|')} |`)],
    ],
    ['Recommendations', orNone(analysis.report.recommendations.map((r) => `- ${r}`))],
  ];
  return [
    `## ${record.title} (${inp.info.start} → ${inp.info.end})`,
    '',
    `${plural(inPeriod.length, 'execution')} in the period (mean overall ${periodMean ?? 'n/a'}), ${inp.history.length} in the history; ${plural(reflections.length, 'reflection')}; ${plural(analysis.patterns.length, 'pattern')}; ${plural(lists.flags.length, 'anti-pattern flag')}.`,
    ...sections.flatMap(([title, lines]) => ['', `### ${title}`, '', ...lines]),
  ];
}

/** The pull request body: the summary counts, every file change, then the report without its title. */
function prBody(inp: SynthesisInputs, summary: SynthesisResult['summary'], changes: readonly FileChange[], lines: readonly string[]): string {
  return [
    `# Learning synthesis ${inp.info.label}`,
    '',
    `Generated by \`learning-loop synthesize --period ${inp.period} --date ${inp.info.end}\`. Review each file like code: merge to accept, or run \`learning-loop reject <id>\` for anything that should never be proposed again.`,
    '',
    `**${summary.executions}** ${noun(summary.executions, 'execution')} · **${summary.patterns_identified}** ${noun(summary.patterns_identified, 'pattern')} · **${summary.rules_proposed}** new ${noun(summary.rules_proposed, 'rule')} · **${summary.archived}** ${noun(summary.archived, 'archival')} · **${summary.merges}** ${noun(summary.merges, 'merge')} · **${summary.flags}** ${noun(summary.flags, 'flag')}`,
    '',
    '### Files',
    '',
    ...changes.map((c) => `- ${c.action} \`${c.path}\` — ${c.reason.length > 160 ? `${c.reason.slice(0, 157)}...` : c.reason}`),
    '',
    ...lines.slice(2),
    '',
  ].join('\n');
}

/**
 * Runs the synthesis for the period containing `date`. Pure; `patternCommits` (Git history of
 * pattern files) only feeds the pattern-stability metric; `extra.stale` (the staleness check's
 * `stale/learning` findings) is listed for review.
 */
export function synthesize(
  table: RecordsTable,
  config: ResolvedConfig,
  period: Period,
  date: string,
  patternCommits?: ReadonlyMap<string, number>,
  extra: { stale?: readonly Diagnostic[] } = {},
): SynthesisResult {
  const inp = synthesisInputs(table, config, period, date, patternCommits);
  const losers = nearDuplicates(inp);
  const { ranked, top } = rankPatterns(inp, losers);
  const toWrite = patternsToWrite(inp, ranked, top, losers);
  const changes: FileChange[] = planPatternWrites(toWrite, table.rows);
  const writtenPatterns = new Set([...inp.patternRows.map((r) => r.id), ...toWrite.map((p) => p.id)]);
  changes.push(...newRuleChanges(inp, ranked, losers, writtenPatterns));
  const review: Review = { changes, archived: [], promoted: [], reasons: new Map() };
  reviewRecalled(inp, review);
  archiveObsolete(inp, review);
  archiveMerged(inp, losers, review);

  const periodMean = inp.inPeriod.length ? round(mean(inp.inPeriod.map((e) => e.overall)), 2) : null;
  const metrics = metricsRecord(inp, periodMean);
  changes.push({
    path: recordPath(metrics),
    content: renderRecord(metrics, `Dashboard metrics at the end of ${inp.info.label} (see docs/learning.md for every formula).\n`),
    action: 'create',
    id: metrics.id,
    reason: 'metrics snapshot',
  });

  const lists = reportLists(inp, changes, metrics.id, review, losers);
  const summary = {
    executions: inp.inPeriod.length,
    reflections: inp.reflections.length,
    patterns_identified: inp.analysis.patterns.length,
    rules_proposed: lists.newRules.length,
    archived: lists.archived.length,
    merges: lists.merges.length,
    flags: lists.flags.length,
  };
  const record = synthesisRecord(inp, lists, top, writtenPatterns, periodMean);
  const lines = reportLines(inp, record, lists, top, review, periodMean, extra.stale ?? []);
  changes.push({ path: recordPath(record), content: renderRecord(record, lines.join('\n')), action: 'create', id: record.id, reason: 'synthesis report' });
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { period: inp.info, record, metrics, changes, top_patterns: top, summary, pr_body: prBody(inp, summary, changes, lines) };
}
