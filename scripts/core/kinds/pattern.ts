/** The pattern kind: a success / failure / performance / dependency pattern with its evidence. */
import type { PatternRecord } from '../records/types.generated.js';
import { clip, defineKind, str, type Data } from './contract.js';
import { recordSchema, ref } from './fragments.js';

/** Pattern category -> long-term folder. */
export const CATEGORY_DIRS = {
  'architectural-decision': 'memory/long-term/architectural-decisions',
  'component-pattern': 'memory/long-term/component-patterns',
  'integration-gotcha': 'memory/long-term/integration-gotchas',
} as const;

/** The `pattern_type` of a derived effect-of-memory record (not a schema value: its search document is of kind `effect`). */
export const EFFECT_TYPE = 'effect';

/**
 * The outcome a pattern stands for, so an outcome in the question ("patterns that worked",
 * "what failed") reads patterns as it reads executions: a theme is a recurring failure cause, a
 * dependency pattern goes with failures or surprises, a gotcha is a pitfall. Seed and performance
 * patterns have none.
 */
const PATTERN_OUTCOME: Readonly<Record<string, 'success' | 'failure'>> = { success: 'success', failure: 'failure', gotcha: 'failure', theme: 'failure', dependency: 'failure' };

/** The pattern record's JSON Schema. */
export const patternSchema = recordSchema({
  kind: 'pattern',
  title: 'Pattern',
  description: 'A success / failure / performance / dependency pattern with its evidence.',
  lifecycle: true,
  required: ['pattern_type', 'category', 'status', 'statement'],
  properties: {
    pattern_type: { type: 'string', enum: ['success', 'failure', 'performance', 'dependency', 'theme', 'seed', 'gotcha'] },
    category: { type: 'string', enum: Object.keys(CATEGORY_DIRS) as ['architectural-decision', 'component-pattern', 'integration-gotcha'] },
    domain: ref('slug'),
    statement: { type: 'string', minLength: 1, maxLength: 1000 },
    definition: {
      type: 'object',
      description: 'What defines the pattern (the conditions); the stable id is derived from it.',
      additionalProperties: { type: ['string', 'number', 'boolean', 'array'] },
    },
    evidence: ref('idList'),
    support: { type: 'integer', minimum: 0 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    lift: { type: 'number', minimum: 0 },
  },
});

/** The pattern kind. */
export const pattern = defineKind<PatternRecord>()({
  kind: 'pattern',
  plural: 'patterns',
  typeName: 'PatternRecord',
  schema: patternSchema,
  lifecycle: true,
  folder: {
    dirs: Object.values(CATEGORY_DIRS),
    pattern: /^memory\/long-term\/(architectural-decisions|component-patterns|integration-gotchas)\/[^/]+\.md$/,
    hint: 'memory/long-term/<architectural-decisions|component-patterns|integration-gotchas>/<id>.md (by category)',
    path: (r) => `${CATEGORY_DIRS[r.category]}/${r.id}.md`,
  },
  links: [
    { path: ['evidence'], to: ['execution'], evidence: true },
    { path: ['supersedes'], label: 'Supersedes' },
  ],
  search(r, doc, _body) {
    doc.title ||= clip(r.statement, 200);
    doc.summary = clip(r.statement, 400);
    doc.category = r.category;
    doc.pattern_type = r.pattern_type;
    if (PATTERN_OUTCOME[r.pattern_type]) doc.outcome = PATTERN_OUTCOME[r.pattern_type];
    // An effect of memory is a measurement, not a pattern: "patterns that worked" never lists it.
    if ((r.pattern_type as string) === EFFECT_TYPE) doc.kind = 'effect';
    if (r.domain) doc.domains = [...new Set([r.domain, ...doc.domains])];
    if (r.evidence?.length) doc.links = r.evidence.slice(0, 20);
    const defn = r.definition
      ? Object.values(r.definition)
          .flat()
          .filter((v) => typeof v === 'string')
      : [];
    doc.applies = defn as string[];
  },
  page: {
    section: 'patterns',
    label: 'Patterns',
    title: 'Patterns',
    intro: 'Success, failure, performance and dependency patterns with the executions behind them.',
    fields(d, f) {
      f.html('Statement', d.statement);
      f.text('Type', d.pattern_type);
      f.text('Category', d.category);
      f.text('Domain', d.domain);
      if (d.support !== undefined) f.text('Support', d.support);
      if (d.confidence !== undefined) f.text('Confidence', d.confidence);
      if (d.lift !== undefined) f.text('Lift', d.lift);
      if (d.definition && typeof d.definition === 'object') {
        f.items(
          'Definition',
          Object.entries(d.definition as Data).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : str(v)}`),
        );
      }
      return str(d.pattern_type);
    },
  },
});
