/**
 * Reflection builder: the record a trigger calls for, pre-filled with the evidence found in the
 * history. Pure: takes the execution, the records table rows and the config; returns the
 * reflection record and its Markdown body (and, with `extras`, the proposed template or
 * assumption update it suggests). `record` calls it when a trigger fires.
 *
 * - mandatory_reflection → root-cause analysis: similar failures, recurring error fingerprints,
 *   pre-phase assumptions, dependencies, matching failure patterns, the recalled records and
 *   whether they helped (derived from the executions that recalled them);
 * - extract_template → a proposed `template` drawn from the execution's decisions and outcomes;
 * - update_architecture → an assumption review against memory/working-memory/current-assumptions.md.
 */
import type { AssumptionRecord, ExecutionRecord, PatternRecord, ReflectionRecord, TemplateRecord } from '../records/kinds.js';
import type { RecordRow } from '../records/table.js';
import type { ResolvedConfig } from '../config.js';
import { newId, slugify } from '../records/ids.js';
import { fingerprint } from './fingerprint.js';
import { allPatterns, executionItems, extractPatternSet } from './patterns.js';
import { LEARN_INLINE_MAX } from './derived.js';
import { extractOptionsOf } from './analyze.js';
import type { ExtractedPattern } from './types.js';
import { recallEvidence, verdict } from './evidence.js';
import { shortHash } from './stats.js';
import { decideTrigger, describeScores } from '../score/formulas.js';
import { streakReason } from '../score/streak.js';
import { plural } from '../diagnostics/words.js';

/** A built reflection: the record and its Markdown body (plus proposals with `extras`). */
export interface BuiltReflection {
  record: ReflectionRecord;
  body: string;
  /** With `extras` and `extract_template`: the proposed template. */
  template?: { record: TemplateRecord; body: string };
  /** With `extras` and `update_architecture`: proposed assumption updates. */
  assumption?: { record: AssumptionRecord; body: string };
}

/** Options for {@link buildReflection}. */
export interface ReflectionOptions {
  id?: string;
  createdAt?: string;
  /** Also build the proposed template / assumption record (the caller writes them). */
  extras?: boolean;
  /**
   * Patterns derived from the history (learn.json's or an analysis's). When absent they are
   * extracted here for histories up to `LEARN_INLINE_MAX` executions.
   */
  derived?: readonly ExtractedPattern[];
}

/**
 * Derived patterns (failure, theme, dependency) the execution is evidence of or matches by
 * definition (its own, or that of a pattern merged into it over the same executions).
 */
export function matchingDerived(execution: ExecutionRecord, derived: readonly ExtractedPattern[]): ExtractedPattern[] {
  const items = new Set(executionItems(execution));
  const about = ['failure', 'theme', 'dependency'];
  const matches = (definition: ExtractedPattern['definition']): boolean => {
    const conds = Object.entries(definition).filter(([k]) => !['direction', 'with', 'together', 'theme', 'task_type_of'].includes(k));
    return conds.length > 0 && conds.every(([k, v]) => (Array.isArray(v) ? v : [v]).every((x) => items.has(`${k}=${String(x)}`)));
  };
  return derived.filter((p) => {
    if (!about.includes(p.pattern_type)) return false;
    if (p.evidence.includes(execution.id)) return true;
    return matches(p.definition) || (p.same_evidence ?? []).some((m) => about.includes(m.pattern_type) && matches(m.definition));
  });
}

/** Error fingerprints shared by 2+ of the similar failures (a cause they have in common). */
function sharedErrors(similar: readonly ExecutionRecord[]): Array<{ text: string; executions: string[] }> {
  const by = new Map<string, { text: string; executions: string[] }>();
  for (const e of similar) {
    for (const [id, text] of new Map((e.errors ?? []).map((m) => [fingerprint(m).id, fingerprint(m).text]))) {
      const g = by.get(id) ?? { text, executions: [] };
      g.executions.push(e.id);
      by.set(id, g);
    }
  }
  return [...by.values()].filter((g) => g.executions.length >= 2).sort((a, b) => b.executions.length - a.executions.length || (a.text < b.text ? -1 : 1));
}

const TYPE_FOR = {
  mandatory_reflection: 'root_cause_analysis',
  extract_template: 'template_extraction',
  update_architecture: 'assumption_review',
} as const;

/** Id of the working assumptions record (memory/working-memory/current-assumptions.md). */
export const CURRENT_ASSUMPTIONS_ID = 'current-assumptions';

/** Pattern records (not rejected/archived) whose definition the execution matches. */
export function matchingPatterns(execution: ExecutionRecord, rows: readonly RecordRow[]): Array<RecordRow<PatternRecord>> {
  const items = new Set(executionItems(execution));
  return rows.filter((r): r is RecordRow<PatternRecord> => {
    if (r.kind !== 'pattern') return false;
    const d = r.data as PatternRecord;
    if (d.status === 'rejected' || d.status === 'archived' || !d.definition) return false;
    const conds = Object.entries(d.definition).filter(([k]) => k !== 'direction' && k !== 'with');
    if (!conds.length) return false;
    return conds.every(([k, v]) => (Array.isArray(v) ? v : [v]).every((x) => items.has(`${k}=${String(x)}`)));
  });
}

/** Deterministic id of the template proposed from an execution. */
export function templateIdFor(execution: ExecutionRecord): string {
  return `tpl-${slugify(`${execution.task_type} ${execution.component ?? ''}`, 60)}-${shortHash(execution.id)}`;
}

/** The proposed template drawn from a high-scoring execution. */
export function templateFrom(execution: ExecutionRecord): { record: TemplateRecord; body: string } {
  const steps = [...(execution.during?.decision_points ?? []), ...(execution.post?.outcomes ?? [])].slice(0, 50);
  const record: TemplateRecord = {
    kind: 'template',
    id: templateIdFor(execution),
    created_at: execution.created_at,
    title: `${execution.task_type}${execution.component ? ` / ${execution.component}` : ''} as done in ${execution.task_id}`,
    status: 'proposed',
    summary:
      `How ${execution.task_id} (${execution.task_type}${execution.component ? `, ${execution.component}` : ''}) scored ${execution.overall}: reuse these steps for the same kind of task.`.slice(
        0,
        500,
      ),
    task_type: execution.task_type,
    steps: steps.length ? steps : ['(fill in the steps that made this work)'],
    source_executions: [execution.id],
  };
  if (execution.component) record.component = execution.component;
  if (execution.domains?.length) record.domains = execution.domains;
  const body = [
    `## Template from \`${execution.id}\``,
    '',
    `Scored ${execution.overall} (${describeScores(execution.scores)}) in ${execution.duration_s}s.`,
    '',
    '### Steps',
    '',
    ...record.steps!.map((s, i) => `${i + 1}. ${s}`),
    ...(execution.pre?.dependencies?.length ? ['', '### Dependencies', '', ...execution.pre.dependencies.map((d) => `- ${d}`)] : []),
    ...(execution.reused?.length ? ['', '### Built on', '', ...execution.reused.map((d) => `- ${d}`)] : []),
  ].join('\n');
  return { record, body };
}

/** Working assumptions that concern the execution (shared domain/component, or untagged). */
export function assumptionsToReview(execution: ExecutionRecord, rows: readonly RecordRow[]): Array<{ key: string; statement: string; confidence?: string }> {
  const current = rows.find((r) => r.kind === 'assumption' && (r.id === CURRENT_ASSUMPTIONS_ID || r.file.endsWith('/current-assumptions.md')));
  if (!current) return [];
  const list = (current.data as AssumptionRecord).assumptions ?? [];
  const domains = new Set(execution.domains ?? []);
  return list
    .filter((a) => {
      const tagged = (a.domains?.length ?? 0) + (a.components?.length ?? 0) > 0;
      return !tagged || (a.domains ?? []).some((d) => domains.has(d)) || (execution.component !== undefined && (a.components ?? []).includes(execution.component));
    })
    .map((a) => ({ key: a.key, statement: a.statement, ...(a.confidence ? { confidence: a.confidence } : {}) }));
}

/** A statement followed by the review question, punctuated as a sentence: `X happened. Still true after this task?` */
function stillTrue(statement: string): string {
  const s = statement.trim().replace(/[\s:;,]+$/, '');
  return `${s}${/[.!?]$/.test(s) ? '' : '.'} Still true after this task?`;
}

/** Proposed assumption updates from a surprising execution's discoveries and deviations. */
function assumptionUpdate(execution: ExecutionRecord, review: ReturnType<typeof assumptionsToReview>): { record: AssumptionRecord; body: string } {
  const found = [...(execution.post?.discoveries ?? []), ...(execution.post?.deviations ?? [])];
  const record: AssumptionRecord = {
    kind: 'assumption',
    id: `as-review-${execution.id.replace(/^ex-/, '')}`.slice(0, 128),
    created_at: execution.created_at,
    title: `Assumption review after ${execution.task_id}`,
    status: 'proposed',
    statement: `Surprise ${execution.scores.surprise} in ${execution.task_id}: these findings should become working assumptions (or correct existing ones).`,
    confidence: 'low',
    assumptions: found.slice(0, 50).map((f, i) => {
      const a: NonNullable<AssumptionRecord['assumptions']>[number] = { key: slugify(f, 50) || `finding-${i + 1}`, statement: f.slice(0, 1000), confidence: 'low' };
      if (execution.domains?.length) a.domains = execution.domains;
      if (execution.component) a.components = [execution.component];
      return a;
    }),
  };
  // Keys must be unique for a readable review.
  const seen = new Set<string>();
  record.assumptions = record.assumptions!.filter((a) => (seen.has(a.key) ? false : (seen.add(a.key), true)));
  if (execution.domains?.length) record.domains = execution.domains;
  if (execution.component) record.components = [execution.component];
  const body = [
    `## Assumption review after \`${execution.id}\``,
    '',
    'Working assumptions that concern this task (from current-assumptions.md):',
    '',
    ...(review.length ? review.map((a) => `- **${a.key}**${a.confidence ? ` (confidence ${a.confidence})` : ''} — ${stillTrue(a.statement)}`) : ['- None recorded for this domain or component.']),
    '',
    'What the execution found (proposed as new assumptions above):',
    '',
    ...(found.length ? found.map((f) => `- ${f}`) : ['- (no discoveries or deviations were recorded)']),
  ].join('\n');
  return { record, body };
}

/** The trigger a reflection answers. */
type Trigger = keyof typeof TYPE_FOR;

/** What the history says about an execution: the facts the record and the body cite. */
interface ReflectionFacts {
  /** The latest 10 non-successful executions of the same task type (and component), by id. */
  similarFailures: string[];
  /** Errors the similar failures share that this execution did not have. */
  shared: Array<{ text: string; executions: string[] }>;
  /** This execution's errors seen before in the history. */
  recurring: Array<{ fingerprint: string; count: number; executions: string[] }>;
  /** Pattern records the execution matches. */
  patterns: Array<RecordRow<PatternRecord>>;
  /** Derived patterns the execution matches (root-cause analyses only). */
  derived: ExtractedPattern[];
  /** True when derived patterns were wanted but not available (history above `LEARN_INLINE_MAX`). */
  unknown: boolean;
  /** Working assumptions to review (assumption reviews only). */
  review: ReturnType<typeof assumptionsToReview>;
}

/** Non-successful executions of the history with the execution's task type (and component, when it has one). */
function similarFailuresOf(execution: ExecutionRecord, history: readonly ExecutionRecord[]): ExecutionRecord[] {
  return history.filter((e) => e.outcome !== 'success' && e.task_type === execution.task_type && (!execution.component || e.component === execution.component));
}

/**
 * The derived patterns a root-cause analysis cites (the ones `patterns` finds, themes mined from
 * the reflections too): given, or extracted here up to `LEARN_INLINE_MAX` executions; `unknown`
 * when neither was possible.
 */
function derivedFor(
  execution: ExecutionRecord,
  history: readonly ExecutionRecord[],
  rows: readonly RecordRow[],
  config: ResolvedConfig,
  opts: ReflectionOptions,
): { derived: ExtractedPattern[]; unknown: boolean } {
  if (execution.trigger !== 'mandatory_reflection') return { derived: [], unknown: false };
  const inline = !opts.derived && history.length <= LEARN_INLINE_MAX;
  const derived = matchingDerived(execution, opts.derived ?? (inline ? allPatterns(extractPatternSet([...history, execution], config, extractOptionsOf(rows))) : []));
  return { derived, unknown: !opts.derived && !inline };
}

/** The execution's own errors seen before in the history: how often (this one included) and where (the latest 10). */
function recurringErrors(execution: ExecutionRecord, history: readonly ExecutionRecord[]): ReflectionFacts['recurring'] {
  const mine = new Map((execution.errors ?? []).map((m) => [fingerprint(m).id, fingerprint(m).text]));
  const recurring: ReflectionFacts['recurring'] = [];
  for (const [fp, text] of mine) {
    const ids = history
      .filter((e) => (e.errors ?? []).some((m) => fingerprint(m).id === fp))
      .map((e) => e.id)
      .sort();
    if (ids.length) recurring.push({ fingerprint: text, count: ids.length + 1, executions: ids.slice(-10) });
  }
  return recurring;
}

/** Gathers what the history says about an execution whose trigger fired. */
function reflectionFacts(execution: ExecutionRecord, history: readonly ExecutionRecord[], rows: readonly RecordRow[], config: ResolvedConfig, opts: ReflectionOptions): ReflectionFacts {
  const similar = similarFailuresOf(execution, history);
  const similarFailures = similar
    .map((e) => e.id)
    .sort()
    .slice(-10);
  const shared = sharedErrors(similar).filter((g) => !(execution.errors ?? []).some((m) => fingerprint(m).text === g.text));
  const { derived, unknown } = derivedFor(execution, history, rows, config, opts);
  const recurring = recurringErrors(execution, history);
  const patterns = matchingPatterns(execution, rows);
  const review = execution.trigger === 'update_architecture' ? assumptionsToReview(execution, rows) : [];
  return { similarFailures, shared, recurring, patterns, derived, unknown, review };
}

/**
 * The reflection record (without `proposed`). An assumption review's evidence lists the working
 * assumptions it reviews after the task's own.
 */
function reflectionRecord(execution: ExecutionRecord, trigger: Trigger, facts: ReflectionFacts, config: ResolvedConfig, opts: ReflectionOptions): ReflectionRecord {
  const type = TYPE_FOR[trigger];
  const record: ReflectionRecord = {
    kind: 'reflection',
    id: opts.id ?? newId('reflection'),
    created_at: opts.createdAt ?? execution.created_at,
    title: `${type.replace(/_/g, ' ')}: ${execution.task_id}`,
    reflection_type: type,
    trigger,
    executions: [execution.id],
    status: 'open',
    evidence: {
      similar_failures: facts.similarFailures,
      recurring_errors: facts.recurring,
      assumptions:
        trigger === 'update_architecture' ? [...(execution.pre?.assumptions ?? []), ...facts.review.map((a) => `${a.key}: ${a.statement}`)].slice(0, 200) : (execution.pre?.assumptions ?? []),
      dependencies: execution.pre?.dependencies ?? [],
      recalled: execution.recalled ?? [],
    },
  };
  // Links name committed records only; derived patterns are cited in the body (they have no file).
  if (facts.patterns.length) record.evidence!.patterns = facts.patterns.map((p) => p.id).sort();
  if (execution.domains) record.domains = execution.domains;
  // A template the scores alone do not call for came from the success streak: say so.
  const fromStreak = trigger === 'extract_template' && decideTrigger(execution.scores, config.thresholds).action !== 'extract_template';
  if (fromStreak) record.reason = streakReason(config.scoring.template_streak, execution);
  return record;
}

/** One line per recalled record: its effect here, and like for like across the history (`evidence.ts`). */
function recalledLines(execution: ExecutionRecord, history: readonly ExecutionRecord[], config: ResolvedConfig): string[] {
  const recalledEv = recallEvidence(history, config);
  return (execution.recalled ?? []).map((id) => {
    const ev = recalledEv.get(id);
    const now = verdict(execution, config);
    const like = ev
      ? `like for like across ${plural(ev.recalled_by.length, 'recall')}: ${ev.verdict} (${ev.helpful} helpful vs ${ev.harmful} harmful comparisons with comparable executions that did not recall it)`
      : 'not recalled before';
    return `- \`${id}\`: ${now === 'harmful' ? 'did not prevent this outcome' : now === 'helpful' ? 'helped here' : 'no clear effect here'}; ${like}.`;
  });
}

/** The title, the reason (when there is one) and the execution's scores. */
function headLines(execution: ExecutionRecord, record: ReflectionRecord): string[] {
  return [
    `## ${record.title}`,
    '',
    ...(record.reason ? [`${record.reason}.`, ''] : []),
    `Execution \`${execution.id}\` (${execution.task_type}${execution.component ? ` / ${execution.component}` : ''}, ${execution.outcome}) scored ${execution.overall} (${describeScores(execution.scores)}).`,
    '',
  ];
}

/** The similar failures and the errors that recur (the execution's own, then those the similar failures share). */
function failureLines(facts: ReflectionFacts): string[] {
  const { similarFailures, recurring, shared } = facts;
  return [
    `- Similar non-successful executions: ${similarFailures.length ? similarFailures.map((x) => `\`${x}\``).join(', ') : 'none'}.`,
    ...(recurring.length
      ? recurring.map((r) => `- Recurring error (${r.count}×): "${r.fingerprint}" — also in ${r.executions.map((x) => `\`${x}\``).join(', ')}.`)
      : shared.length
        ? []
        : ['- No recurring errors.']),
    ...shared.slice(0, 3).map(
      (g) =>
        `- Recurring error among the similar failures (${g.executions.length}×): "${g.text}" — in ${g.executions
          .slice(-6)
          .map((x) => `\`${x}\``)
          .join(', ')}.`,
    ),
  ];
}

/** The assumptions and dependencies the task started with. */
function startLines(execution: ExecutionRecord, review: ReflectionFacts['review']): string[] {
  return [
    `- Assumptions at the start: ${execution.pre?.assumptions?.length ? execution.pre.assumptions.map((a) => `"${a}"`).join('; ') : review.length ? `none stated by the task; the ${review.length} working assumption${review.length === 1 ? '' : 's'} below applied` : 'none recorded'}.`,
    `- Dependencies: ${execution.pre?.dependencies?.length ? execution.pre.dependencies.join(', ') : 'none recorded'}.`,
  ];
}

/** The matching pattern records, then the derived patterns no record already names (or why there are none). */
function patternLines(facts: ReflectionFacts): string[] {
  const { patterns, derived, unknown } = facts;
  return [
    ...patterns.map((p) => `- Matching ${p.data.pattern_type} pattern \`${p.id}\` (${p.data.status}): ${p.data.statement}`),
    ...derived.filter((d) => !patterns.some((p) => p.id === d.id)).map((d) => `- Matching ${d.pattern_type} pattern \`${d.id}\` (derived from the history): ${d.statement}`),
    ...(patterns.length || derived.length
      ? []
      : unknown
        ? [
            `- No pattern record matches this execution; patterns derived from the history were not available (above ${LEARN_INLINE_MAX} executions they come from the learning snapshot: run \`learning-loop build --learn\`).`,
          ]
        : ['- No known pattern matches this execution.']),
  ];
}

/** The `## Evidence` section (ending with a blank line). */
function evidenceLines(execution: ExecutionRecord, facts: ReflectionFacts, recalled: readonly string[]): string[] {
  return [
    '## Evidence',
    '',
    ...failureLines(facts),
    ...startLines(execution, facts.review),
    ...patternLines(facts),
    ...(recalled.length ? ['- Recalled before the task:', ...recalled.map((l) => `  ${l}`)] : ['- Nothing was recalled before the task.']),
    '',
  ];
}

/** What a root-cause analysis asks its author to fill in. */
const ROOT_CAUSE_LINES = ['## What to fill in', '', '- Root cause: what actually went wrong, and why the assumptions above did not hold.', '- Action: the rule or change that prevents it next time.'];

/** The proposed template's steps (and, without `extras`, the command that writes it). */
function templateLines(execution: ExecutionRecord, tpl: { record: TemplateRecord }, extras: boolean | undefined): string[] {
  return [
    '## Template',
    '',
    `Proposed template \`${tpl.record.id}\`${extras ? '' : ' (write it with `learning-loop reflect ' + execution.id + '`)'}:`,
    '',
    ...tpl.record.steps!.map((s, i) => `${i + 1}. ${s}`),
    '',
    '- Check the steps are general enough for another agent to reuse.',
  ];
}

/** An assumption review's sections: what was unexpected, the working assumptions to review, what to fill in. */
function reviewLines(execution: ExecutionRecord, review: ReflectionFacts['review']): string[] {
  const discoveries = execution.post?.discoveries ?? [];
  const deviations = execution.post?.deviations ?? [];
  return [
    '## What was unexpected',
    '',
    ...(discoveries.length ? ['Discoveries:', '', ...discoveries.map((d) => `- ${d}`), ''] : []),
    ...(deviations.length ? ['Deviations from the plan:', '', ...deviations.map((d) => `- ${d}`), ''] : []),
    ...(discoveries.length + deviations.length
      ? []
      : [
          `- Nothing was recorded as discovered or deviating; ${execution.scores.surprise === undefined ? 'surprise was not measured' : `surprise ${execution.scores.surprise} was given as a score`}.`,
          '',
        ]),
    '## Assumptions to review',
    '',
    ...(review.length ? review.map((a) => `- **${a.key}** — ${stillTrue(a.statement)}`) : ['- No working assumption in current-assumptions.md concerns this domain or component.']),
    '',
    '## What to fill in',
    '',
    '- Which working assumption was wrong, and what the architecture should assume instead.',
  ];
}

/**
 * The section the trigger calls for and, with `extras`, the record it proposes (added to `out`
 * and named in the reflection's `proposed`).
 */
function triggerLines(execution: ExecutionRecord, trigger: Trigger, review: ReflectionFacts['review'], out: BuiltReflection, opts: ReflectionOptions): string[] {
  if (trigger === 'mandatory_reflection') return ROOT_CAUSE_LINES;
  if (trigger === 'extract_template') {
    const tpl = templateFrom(execution);
    if (opts.extras) {
      out.template = tpl;
      out.record.proposed = [tpl.record.id];
    }
    return templateLines(execution, tpl, opts.extras);
  }
  const found = (execution.post?.discoveries?.length ?? 0) + (execution.post?.deviations?.length ?? 0);
  if (opts.extras && found) {
    out.assumption = assumptionUpdate(execution, review);
    out.record.proposed = [out.assumption.record.id];
  }
  return reviewLines(execution, review);
}

/**
 * Builds the reflection for an execution whose trigger fired (undefined when none did).
 * `id` and `createdAt` are parameters so callers control determinism.
 */
export function buildReflection(execution: ExecutionRecord, rows: readonly RecordRow[], config: ResolvedConfig, opts: ReflectionOptions = {}): BuiltReflection | undefined {
  if (!execution.trigger) return undefined;
  const history = rows.filter((r): r is RecordRow<ExecutionRecord> => r.kind === 'execution' && r.id !== execution.id).map((r) => r.data);
  const facts = reflectionFacts(execution, history, rows, config, opts);
  const record = reflectionRecord(execution, execution.trigger, facts, config, opts);
  const out: BuiltReflection = { record, body: '' };
  const lines = [
    ...headLines(execution, record),
    ...evidenceLines(execution, facts, recalledLines(execution, history, config)),
    ...triggerLines(execution, execution.trigger, facts.review, out, opts),
  ];
  out.body = lines.join('\n');
  return out;
}

/** Root-cause analysis for an execution regardless of its trigger (seed `root_cause_analysis(task_id)`). */
export function rootCauseFor(execution: ExecutionRecord, rows: readonly RecordRow[], config: ResolvedConfig, opts: ReflectionOptions = {}): BuiltReflection {
  return buildReflection({ ...execution, trigger: 'mandatory_reflection' }, rows, config, opts)!;
}
