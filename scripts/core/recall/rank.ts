/**
 * The ranker: a search engine first, then what the question's intent adds.
 *
 * 1. BM25 (k1 1.2, b 0.75) over the recall store's postings, which hold the full text of every
 *    record with field weights (title x3, lead x2, entity names x2, the rest x1; see
 *    `recall/terms.ts`). Every term is optional: a question never needs all its words. Content
 *    terms count fully, cue terms (the words that shaped the intent: "failed", "rules", "last")
 *    at `CUE_WEIGHT`.
 * 2. A document must match a content term or a named entity; cue words alone do not make a
 *    record relevant. A question with no content terms but a kind or outcome lists what passes
 *    the filters ("show all failure patterns").
 * 3. Boosts and tie-breaks from the intent, never filters: entities named (component, domain,
 *    agent, task type, tag), the kinds and outcome asked for, accepted status, recency, and for a
 *    common-cause question the summaries of failures (themes, failure patterns).
 * 4. Filters only where the question is unambiguous (`intent.kind_filter`,
 *    `intent.outcome_filter`, "this week"), plus rejected and archived records, which are
 *    answered only when asked for. `rank` reports what the filters removed, so the answer can
 *    fall back to the best matches of other kinds (or retired records), labelled, instead of
 *    saying nothing.
 *
 * Works on doc numbers and facet posting lists only; display documents are loaded for the final
 * hits. The same function ranks for the CLI, the library, MCP and the site.
 */
import type { Intent } from './intent.js';
import type { RecallStore } from './store.js';

/** A ranked hit. */
export interface Hit {
  doc: number;
  score: number;
  /** Why it matched: entity values and terms. */
  why: string[];
}

/** The ranking of a question. */
export interface Ranking {
  hits: Hit[];
  /** Documents that matched but were left out by the question's filters (kind, outcome, date). */
  filtered: number;
  /** Rejected or archived documents that matched (left out unless asked for). */
  retired: number;
}

const K1 = 1.2;
const B = 0.75;
/** Weight of an exact word form (`=delimiter`) on top of its stem's. */
export const FORM_WEIGHT = 0.3;
/** Weight of a cue term (a word that shaped the intent) against a content term. */
export const CUE_WEIGHT = 0.3;
/** Added per named entity a document has (times the match's confidence). */
export const ENTITY_BOOST = 2;
/** Multiplier for a record that has an entity the question names exactly. */
export const ENTITY_FACTOR = 1.5;
/** Confidence from which an entity match boosts (an exact or type-hinted name). */
export const STRONG_ENTITY = 0.8;
/** Multipliers for what the question asks for (kind, outcome) and for accepted guidance. */
export const KIND_BOOST = 1.3;
/** A kind named by an everyday word ("run", "attempt", "report") is a tie-break only. */
export const WEAK_KIND_BOOST = 1.05;
export const OUTCOME_BOOST = 1.2;
export const ACCEPTED_BOOST = 1.15;
/**
 * Multiplier for what sums failures up (themes, failure, dependency and gotcha patterns) when the
 * question asks for common causes ("why do we keep failing"): a summary ranks above the
 * executions it is drawn from, which BM25's length normalisation favours (they are short).
 */
export const CAUSE_BOOST = 3;
export const PROPOSED_FACTOR = 0.9;
/** Hits scoring below this share of the best are dropped (they matched a stray word). */
export const RELATIVE_CUTOFF = 0.1;

/** Options for ranking. */
export interface RankOptions {
  max?: number;
  /** Apply the question's filters (kind, outcome, date). Default true. */
  filters?: boolean;
  /** Answer rejected and archived records too (default: only when the question asks for them). */
  retired?: boolean;
}

/** Raw scores while a question is scored: per document, plus which matched content or a named entity. */
class Scores {
  readonly score: Float64Array;
  readonly content: Uint8Array;
  readonly named: Uint8Array;
  readonly touched: number[] = [];
  readonly termDocs: Array<[string, number[]]> = [];
  readonly entityFacets: Array<[string, Set<number>]> = [];

  constructor(n: number) {
    this.score = new Float64Array(n);
    this.content = new Uint8Array(n);
    this.named = new Uint8Array(n);
  }

  bump(d: number, s: number): void {
    if (this.score[d] === 0) this.touched.push(d);
    this.score[d] = this.score[d]! + s;
  }
}

/** BM25 of one term (times `weight`) into the scores; content terms mark what they match. */
function scoreTerm(store: RecallStore, acc: Scores, t: string, weight: number, isContent: boolean): void {
  const { meta } = store;
  const p = store.postings(t);
  const df = p.length / 2;
  if (!df) return;
  acc.termDocs.push([t, p]);
  const avgLen = meta.avgLen || 1;
  const idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
  for (let i = 0; i < p.length; i += 2) {
    const d = p[i]!;
    const tf = p[i + 1]!;
    const len = meta.len[d] ?? meta.avgLen;
    acc.bump(d, (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avgLen)));
    if (isContent) acc.content[d] = 1;
  }
}

/**
 * Entities named exactly ("booking-form", "square api", "the booking component") are strong
 * evidence. A word that is only part of a name ("check" of mbpp-56-checks) is not: its words are
 * in the text of the records that have it, and BM25 weighs them by their rarity.
 */
function scoreEntities(store: RecallStore, acc: Scores, intent: Intent): void {
  for (const e of intent.entities) {
    if (e.confidence < STRONG_ENTITY) continue;
    for (const f of entityFacetNames(e.type)) {
      const docs = store.facetDocs(f, e.value);
      acc.entityFacets.push([`${e.type}:${e.value}`, docs]);
      for (const d of docs) {
        acc.bump(d, ENTITY_BOOST * e.confidence);
        acc.content[d] = 1;
        acc.named[d] = 1;
      }
    }
  }
}

/** The facets an entity type is looked up in (a component is also what rules and templates apply to). */
export function entityFacetNames(type: string): string[] {
  return type === 'component' || type === 'task_type' || type === 'domain' ? [type, 'applies'] : [type];
}

/** A question with no content words but a kind, category or outcome lists what passes them. */
function scoreListing(store: RecallStore, acc: Scores, intent: Intent): void {
  const listing = intent.terms.length === 0 && intent.entities.length === 0 && (intent.kind_filter || intent.categories.length > 0 || intent.outcome_filter || intent.causes);
  if (!listing) return;
  for (const k of intent.kinds.length ? intent.kinds : ['execution', 'pattern']) {
    for (const d of store.facetDocs('kind', k)) {
      acc.bump(d, 1);
      acc.content[d] = 1;
    }
  }
}

/** Per-document facet values the filters and boosts read. */
interface Facts {
  kind: ReadonlyArray<string | undefined>;
  status: ReadonlyArray<string | undefined>;
  /** Outcome of an execution, or the outcome a pattern stands for (search-docs.ts: a theme is a failure cause). */
  outcome: ReadonlyArray<string | undefined>;
  patternType: ReadonlyArray<string | undefined>;
  category: ReadonlyArray<string | undefined>;
  derived: ReadonlyArray<string | undefined>;
  day: readonly number[];
}

function factsOf(store: RecallStore): Facts {
  return {
    kind: store.valuesOf('kind'),
    status: store.valuesOf('status'),
    outcome: store.valuesOf('outcome'),
    patternType: store.valuesOf('pattern_type'),
    category: store.valuesOf('category'),
    derived: store.valuesOf('derived'),
    day: store.meta.day,
  };
}

/** Whether a document has the outcome the question asks for (a failure, a failure pattern, theme or gotcha...). */
function matchesOutcome(f: Facts, d: number, outcome: Intent['outcome']): boolean {
  if (outcome === 'failure') return f.outcome[d] === 'failure' || f.outcome[d] === 'partial';
  if (outcome === 'success') return f.outcome[d] === 'success';
  return false;
}

/**
 * Whether a document is left out when the outcome is named unambiguously: it has the opposite
 * outcome, or it is derived knowledge without that outcome (an effect of memory or a duration
 * trend is no answer to "patterns that worked"). Committed guidance without an outcome (rules,
 * templates, seed patterns) stays.
 */
function excludedByOutcome(f: Facts, d: number, outcome: Intent['outcome']): boolean {
  const o = f.outcome[d];
  if (f.derived[d] && !matchesOutcome(f, d, outcome)) return true;
  if (outcome === 'failure') return o === 'success' || f.patternType[d] === 'performance';
  if (outcome === 'success') return o === 'failure' || o === 'partial' || f.kind[d] === 'reflection';
  return false;
}

/** A summary of failures (a theme, a failure, dependency or gotcha pattern): what a common-cause question asks for. */
function isCauseSummary(f: Facts, d: number): boolean {
  return f.kind[d] === 'pattern' && f.outcome[d] === 'failure';
}

/** The question's unambiguous filters: kind, category, outcome, "since". */
function passesFilters(f: Facts, d: number, intent: Intent): boolean {
  if (intent.kind_filter && intent.kinds.length && !intent.kinds.includes(f.kind[d]!)) return false;
  if (intent.categories.length && f.kind[d] === 'pattern' && !intent.categories.includes(f.category[d]!)) return false;
  if (intent.outcome_filter && excludedByOutcome(f, d, intent.outcome)) return false;
  const since = intent.recency?.mode === 'since' ? intent.recency.day : undefined;
  if (since !== undefined && (f.day[d] ?? 0) < since && (f.kind[d] === 'execution' || f.kind[d] === 'reflection')) return false;
  return true;
}

/** The intent's boosts on a raw score: named entity, kind, category, outcome, status, recency. */
function boosted(f: Facts, d: number, raw: number, named: boolean, intent: Intent, maxDay: number): number {
  let s = raw;
  // What the question names exactly is what it is about: records of it first.
  if (named) s *= ENTITY_FACTOR;
  if (intent.kinds.length && intent.kinds.includes(f.kind[d]!)) s *= intent.kind_filter ? KIND_BOOST : WEAK_KIND_BOOST;
  if (intent.categories.length && intent.categories.includes(f.category[d]!)) s *= KIND_BOOST;
  if (intent.outcome && matchesOutcome(f, d, intent.outcome)) s *= OUTCOME_BOOST;
  if (intent.causes && isCauseSummary(f, d)) s *= CAUSE_BOOST;
  if (f.status[d] === 'accepted') s *= ACCEPTED_BOOST;
  else if (f.status[d] === 'proposed') s *= PROPOSED_FACTOR;
  // "Last time": newer records weigh up to 20% more, fading over 60 days.
  if (intent.recency?.mode === 'latest') s *= 1 + 0.2 * Math.max(0, 1 - Math.max(0, maxDay - (f.day[d] ?? 0)) / 60);
  return s;
}

/** Why each returned hit matched: its terms and the entities it has. */
function explain(acc: Scores, top: ReadonlyArray<{ doc: number; score: number }>): Hit[] {
  const whyOf = new Map<number, Set<string>>(top.map((h) => [h.doc, new Set<string>()]));
  for (const [t, p] of acc.termDocs) for (let i = 0; i < p.length; i += 2) whyOf.get(p[i]!)?.add(t);
  return top.map((h) => {
    const why = whyOf.get(h.doc)!;
    for (const [label, docs] of acc.entityFacets) if (docs.has(h.doc)) why.add(label);
    return { doc: h.doc, score: h.score, why: [...why].sort() };
  });
}

/** Ranks documents for an intent: hits by score (ties by kind, then id), at most `max`. */
export function rank(store: RecallStore, intent: Intent, opts: RankOptions = {}): Ranking {
  const acc = new Scores(store.meta.n);
  for (const t of intent.terms) scoreTerm(store, acc, t, 1, true);
  for (const t of intent.forms ?? []) scoreTerm(store, acc, t, FORM_WEIGHT, false);
  for (const t of intent.cues ?? []) scoreTerm(store, acc, t, CUE_WEIGHT, false);
  scoreEntities(store, acc, intent);
  scoreListing(store, acc, intent);
  const f = factsOf(store);
  const maxDay = intent.recency?.mode === 'latest' ? f.day.reduce((m, v) => (v > m ? v : m), 0) : 0;
  const withRetired = opts.retired ?? intent.retired ?? false;
  const kept: Array<{ doc: number; score: number }> = [];
  let filtered = 0;
  let retired = 0;
  for (const d of acc.touched) {
    if (!acc.content[d]) continue;
    const st = f.status[d];
    if ((st === 'rejected' || st === 'archived') && !withRetired) retired++;
    else if ((opts.filters ?? true) && !passesFilters(f, d, intent)) filtered++;
    else kept.push({ doc: d, score: Math.round(boosted(f, d, acc.score[d]!, acc.named[d] === 1, intent, maxDay) * 1000) / 1000 });
  }
  kept.sort((a, b) => b.score - a.score || store.compare(a.doc, b.doc));
  const floor = (kept[0]?.score ?? 0) * RELATIVE_CUTOFF;
  return { hits: explain(acc, kept.filter((h) => h.score >= floor).slice(0, opts.max ?? 200)), filtered, retired };
}
