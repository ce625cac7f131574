/**
 * The answer formatter: ranked hits -> actionable insights (what happened, the rule or root
 * cause to follow, ids and paths), accepted rules and patterns first, proposed ones marked,
 * recurring errors grouped when the question asks what is "common", and everything kept within
 * a token budget for an agent's context.
 */
import { parseIntent, questionWords, suggestVocabulary, type Intent } from './intent.js';
import { entityFacetNames, rank, STRONG_ENTITY, type Hit } from './rank.js';
import type { RecallStore, StoredDoc } from './store.js';
import { isKind, kindModule } from '../records/kinds.js';

/** One actionable insight. */
export interface Insight {
  id: string;
  kind: string;
  /** Repo-relative path of the record; null for derived knowledge, which has no file (see `evidence`). */
  path: string | null;
  title: string;
  /** Review status of rules, patterns, templates, assumptions. */
  status?: string;
  /** True for a proposed (not yet accepted) learning: treat with care. */
  proposed?: boolean;
  /** True for knowledge the learning engine derived from the history (a pattern, theme or effect), not a committed record. */
  derived?: boolean;
  /** Derived knowledge: the executions it was derived from (the newest 50); `learning-loop explain <id>` shows it in full. */
  evidence?: string[];
  /** Derived knowledge: its figures (support, confidence, lift; an effect's verdict, odds ratio, interval, p-value). */
  figures?: Record<string, number | string | null>;
  /** What happened / what it says. */
  what: string;
  /** What to do: the rule, the root cause, the template's steps. */
  action?: string;
  outcome?: string;
  component?: string;
  task_type?: string;
  agent?: string;
  overall?: number;
  date: string;
  errors?: string[];
  /** Root cause from a reflection on this execution. */
  root_cause?: { id: string; path: string; text: string };
  score: number;
  why: string[];
}

/** A recurring error among the matched failures. */
export interface CommonError {
  fingerprint: string;
  text: string;
  example: string;
  count: number;
  executions: string[];
}

/** The answer to a question. */
export interface RecallAnswer {
  question: string;
  understood: Omit<Intent, 'question' | 'unknown'>;
  insights: Insight[];
  common_errors: CommonError[];
  /** Hits before the limit and budget were applied. */
  total_matches: number;
  /** True when insights were dropped or shortened to respect `--limit` / `--max-tokens`. */
  truncated: boolean;
  /** Estimated tokens of the text answer. */
  tokens: number;
  /** Close vocabulary when nothing matched (or as hints for unknown words). */
  suggestions: string[];
  /**
   * How many of the first insights are accepted guidance that applies (rules, patterns,
   * templates), shown first as "Rules to follow"; the rest are in ranking order.
   */
  guidance: number;
  /**
   * Set when the question's filters (a kind, an outcome, a date) left nothing: the insights are
   * the best matches without them, each labelled with its kind.
   */
  fallback?: { filters: string; message: string };
}

/** Options for answering. */
export interface AnswerOptions {
  limit?: number;
  /** Token budget (about 4 characters per token). */
  budget?: number;
  now?: number;
}

/** Tokens of a text, estimated as characters / 4 (what a budget is measured in). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Kinds that are guidance to follow (rules first in an answer when they apply). */
const GUIDANCE_ORDER = ['rule', 'pattern', 'template'];
const GUIDANCE = new Set(GUIDANCE_ORDER);
/** Promoted guidance scores at least this share of the best promotable guidance. */
const PROMOTE_SHARE = 0.5;

function insightOf(store: RecallStore, d: StoredDoc, h: Hit): Insight {
  const i: Insight = { id: d.id, kind: d.kind, path: d.derived ? null : d.file, title: d.title, what: d.summary, date: d.date, score: h.score, why: h.why };
  if (d.status) i.status = d.status;
  if (d.status === 'proposed') i.proposed = true;
  if (d.derived) {
    i.derived = true;
    i.evidence = d.evidence ?? [];
    if (d.figures) i.figures = d.figures;
  }
  if (d.action) i.action = d.action;
  if (d.outcome) i.outcome = d.outcome;
  if (d.component) i.component = d.component;
  if (d.task_type) i.task_type = d.task_type;
  if (d.agent) i.agent = d.agent;
  if (d.overall !== undefined) i.overall = d.overall;
  if (d.errors?.length) i.errors = d.errors;
  if (d.kind === 'execution' && d.links?.length) {
    for (const rid of d.links) {
      const r = store.find('reflection', rid);
      if (r?.action) {
        i.root_cause = { id: r.id, path: r.file, text: r.action };
        break;
      }
    }
  }
  return i;
}

/** The text block of one insight (also what the budget counts). */
export function renderInsight(n: number, i: Insight): string {
  const mark = i.derived ? ' (derived from the history)' : i.proposed ? ' (proposed — not yet accepted)' : i.status && i.status !== 'accepted' ? ` (${i.status})` : '';
  const head = `${n}. [${i.kind}] ${i.id}${mark}`;
  const lines = [head, `   ${i.title}`];
  if (i.kind === 'execution') {
    lines.push(`   ${[i.outcome, i.component, i.task_type, i.agent, i.date.slice(0, 10), i.overall !== undefined ? `overall ${i.overall}` : ''].filter(Boolean).join(' · ')}`);
    if (i.errors?.length) lines.push(`   error: ${i.errors[0]}`);
    if (i.root_cause) lines.push(`   root cause (${i.root_cause.id}): ${i.root_cause.text}`);
    else if (i.what) lines.push(`   ${i.what}`);
  } else {
    if (i.what && i.what !== i.title) lines.push(`   ${i.what}`);
    if (i.action && i.action !== i.what) lines.push(`   → ${i.action}`);
  }
  lines.push(`   ${i.path ?? derivedLine(i)}`);
  return lines.join('\n');
}

/** Where a derived insight comes from, in place of a path: its evidence, and how to see it in full. */
function derivedLine(i: Insight): string {
  const ev = i.evidence ?? [];
  const shown = ev.length ? `evidence: ${ev.slice(0, 3).join(', ')}${ev.length > 3 ? `, … (${ev.length})` : ''}; ` : '';
  return `${shown}learning-loop explain ${i.id}`;
}

function shorten(i: Insight, max: number): Insight {
  const cut = (s: string | undefined) => (s && s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const out: Insight = { ...i, title: cut(i.title)!, what: cut(i.what) ?? '' };
  if (i.action) out.action = cut(i.action);
  if (i.errors) out.errors = i.errors.slice(0, 1).map((e) => cut(e)!);
  if (i.root_cause) out.root_cause = { ...i.root_cause, text: cut(i.root_cause.text)! };
  return out;
}

function kindPlural(k: string): string {
  return isKind(k) ? kindModule(k).plural : `${k}s`; // `effect` is derived, not a record kind
}

function describeFilters(u: Omit<Intent, 'question' | 'unknown'>): string {
  const parts: string[] = [];
  if (u.kind_filter) parts.push(u.kinds.map(kindPlural).join(' or '));
  if (u.categories.length) parts.push(u.categories.join(' or '));
  if (u.outcome_filter) parts.push(u.outcome === 'failure' ? 'failures' : 'successes');
  if (u.recency?.mode === 'since') parts.push(`since ${u.recency.label}`);
  return parts.join(', ') || 'the filters';
}

/** Header lines of the text answer (what was understood). */
export function understoodLine(a: RecallAnswer): string {
  const u = a.understood;
  const parts: string[] = [];
  if (u.outcome) parts.push(u.outcome === 'failure' ? 'failures and issues' : 'what worked');
  if (u.kinds.length) parts.push(`kinds: ${u.kinds.join(', ')}`);
  if (u.categories.length) parts.push(`categories: ${u.categories.join(', ')}`);
  // Only what the question names confidently: a word that is merely part of a name is searched as a word.
  for (const e of u.entities.filter((x) => x.confidence >= STRONG_ENTITY).slice(0, 4)) parts.push(`${e.type.replace('_', ' ')} ${e.value}`);
  if (u.recency) parts.push(u.recency.mode === 'latest' ? 'latest first' : `since ${u.recency.label}`);
  if (u.causes) parts.push('common causes first');
  else if (u.common) parts.push('recurring');
  if (u.terms.length) parts.push(`words: ${u.terms.join(' ')}`);
  return parts.join(' · ') || 'no specific intent; full-text search';
}

/** The kinds a question asks for by name that the knowledge base has none of (all of them, or none). */
function absentKinds(store: RecallStore, intent: Intent): string[] {
  if (!intent.kind_filter || !intent.kinds.length) return [];
  return intent.kinds.every((k) => store.facetDocs('kind', k).size === 0) ? intent.kinds : [];
}

/** Ranks with the question's filters; when they leave nothing, without them (or with retired records), and says so. */
function rankWithFallback(store: RecallStore, intent: Intent): { hits: Hit[]; fallback?: RecallAnswer['fallback'] } {
  const absent = absentKinds(store, intent);
  const none = absent.length ? `There are no ${absent.map(kindPlural).join(' or ')} in the knowledge base` : '';
  // "Show me rules" and there are none: say that, rather than list everything else.
  if (none && !intent.terms.length && !intent.entities.length) return { hits: [], fallback: { filters: describeFilters(intent), message: `${none}.` } };
  let ranking = rank(store, intent, { max: 400 });
  let fallback: RecallAnswer['fallback'];
  if (!ranking.hits.length && ranking.filtered > 0) {
    // The filters emptied the answer: say so and show the best matches of other kinds.
    ranking = rank(store, intent, { max: 400, filters: false });
    const filters = describeFilters(intent);
    fallback = {
      filters,
      message: none
        ? `${none}; the best matches of other kinds follow, each labelled with its kind.`
        : `Nothing matched as ${filters}; the best matches without that filter follow, each labelled with its kind.`,
    };
  }
  if (!ranking.hits.length && ranking.retired > 0) {
    // Only rejected or archived records hold these words: show them, marked, rather than nothing.
    ranking = rank(store, intent, { max: 400, filters: !fallback, retired: true });
    fallback = { filters: 'rejected or archived', message: 'Only rejected or archived records matched: they are shown for reference (marked with their status); do not follow them.' };
  }
  return { hits: ranking.hits, ...(fallback ? { fallback } : {}) };
}

/** Documents that have an entity the question names exactly. */
function namedDocs(store: RecallStore, intent: Intent): Set<number> {
  const named = new Set<number>();
  for (const e of intent.entities.filter((x) => x.confidence >= STRONG_ENTITY)) {
    for (const f of entityFacetNames(e.type)) for (const d of store.facetDocs(f, e.value)) named.add(d);
  }
  return named;
}

/**
 * The order of the answer. Accepted guidance that applies to what the question names (a
 * component, domain or task type named exactly) and is about as relevant as the best of it comes
 * first ("Rules to follow"), rules before patterns before templates, at most a third of the
 * answer; a rule that merely shares the domain named is not put above what answers the question.
 * Then the ranking, with "last time" putting the newest relevant executions first. Chosen from
 * facets and meta only: display documents are read for the chosen hits alone.
 */
function orderHits(store: RecallStore, intent: Intent, hits: readonly Hit[], limit: number): { ordered: Hit[]; guidance: number } {
  const accepted = store.facetDocs('status', 'accepted');
  const named = namedDocs(store, intent);
  const candidates = hits.filter((h) => GUIDANCE.has(store.kindOf(h.doc) ?? '') && accepted.has(h.doc) && named.has(h.doc));
  const bestGuidance = candidates[0]?.score ?? 0;
  const promoted = candidates
    .filter((h) => h.score >= bestGuidance * PROMOTE_SHARE)
    .sort((a, b) => GUIDANCE_ORDER.indexOf(store.kindOf(a.doc)!) - GUIDANCE_ORDER.indexOf(store.kindOf(b.doc)!))
    .slice(0, Math.max(1, Math.ceil(limit / 3)));
  const promotedSet = new Set(promoted.map((h) => h.doc));
  let pool = hits.filter((h) => !promotedSet.has(h.doc));
  if (intent.recency?.mode === 'latest') {
    const day = store.meta.day;
    const ex = pool.filter((x) => store.kindOf(x.doc) === 'execution' && (!named.size || named.has(x.doc)));
    const top = ex.length ? ex[0]!.score : 0;
    const relevant = ex.filter((x) => x.score >= top * 0.5).sort((a, b) => (day[b.doc] ?? 0) - (day[a.doc] ?? 0) || store.compare(b.doc, a.doc));
    const rel = new Set(relevant);
    pool = [...relevant, ...pool.filter((x) => !rel.has(x))];
  }
  return { ordered: [...promoted, ...pool].slice(0, limit), guidance: promoted.length };
}

/** Recurring errors among the matching failures (fingerprints precomputed in the store). */
function commonErrors(store: RecallStore, hits: readonly Hit[]): CommonError[] {
  const counts = new Map<number, { count: number; docs: number[] }>();
  for (const h of hits) {
    for (const f of store.meta.docFps?.[String(h.doc)] ?? []) {
      const c = counts.get(f) ?? { count: 0, docs: [] };
      c.count += 1;
      if (c.docs.length < 5) c.docs.push(h.doc);
      counts.set(f, c);
    }
  }
  const top = [...counts.entries()]
    .filter(([, c]) => c.count >= 2)
    .sort((a, b) => b[1].count - a[1].count || a[0] - b[0])
    .slice(0, 3);
  return top.map(([f, c]) => {
    const fp = store.meta.fps[f]!;
    return { fingerprint: fp.id, text: fp.text, example: fp.example, count: c.count, executions: c.docs.map((d) => store.doc(d)?.id).filter((x): x is string => Boolean(x)) };
  });
}

/** Keeps whole insights while they fit the budget; shortens the first one if even it does not. */
function withinBudget(insights: readonly Insight[], budget: number, used: number): { kept: Insight[]; used: number; cut: boolean } {
  const kept: Insight[] = [];
  let cut = false;
  for (const i of insights) {
    let cur = i;
    let text = renderInsight(kept.length + 1, cur);
    if (used + estimateTokens(text) > budget) {
      cut = true;
      if (kept.length) break;
      cur = shorten(i, Math.max(40, (budget - used) * 2));
      text = renderInsight(1, cur);
    }
    kept.push(cur);
    used += estimateTokens(text);
  }
  return { kept, used, cut };
}

/** Answers a question from the recall store. Never throws for any question text. */
export function answer(store: RecallStore, question: string, opts: AnswerOptions = {}): RecallAnswer {
  const limit = Math.max(1, Math.min(100, Math.floor(opts.limit ?? 8)));
  const budget = Math.max(50, Math.floor(opts.budget ?? 1200));
  const intent = parseIntent(question, store.meta.vocab, opts.now);
  const { hits, fallback } = rankWithFallback(store, intent);
  const { ordered, guidance } = orderHits(store, intent, hits, limit);
  const chosen = ordered
    .map((h) => ({ h, d: store.doc(h.doc) }))
    .filter((x): x is { h: Hit; d: StoredDoc } => x.d !== undefined)
    .map((x) => insightOf(store, x.d, x.h));
  const common = intent.common || intent.outcome === 'failure' ? commonErrors(store, hits) : [];
  const start = estimateTokens(`${question.slice(0, 200)}\n${common.map((c) => `${c.count}x ${c.example}`).join('\n')}`) + 20;
  const { kept: insights, used, cut } = withinBudget(chosen, budget, start);
  const suggestions =
    fallback && insights.length === 0
      ? []
      : insights.length === 0
        ? suggestVocabulary(questionWords(question), store.meta.vocab)
        : intent.unknown.length && !intent.entities.length
          ? suggestVocabulary(intent.unknown, store.meta.vocab, 3, true).filter((s) => !intent.entities.some((e) => e.value === s))
          : [];
  const { question: _q, unknown: _u, ...understood } = intent;
  return {
    question,
    understood,
    insights,
    common_errors: common,
    total_matches: hits.length,
    truncated: cut || hits.length > chosen.length,
    tokens: used,
    suggestions,
    guidance: Math.min(guidance, insights.length),
    ...(fallback ? { fallback } : {}),
  };
}

/** The text answer (what `recall` prints): insights in the answer's order, labelled by kind. */
export function renderAnswer(a: RecallAnswer): string {
  const out: string[] = [`Understood: ${understoodLine(a)}`];
  if (!a.insights.length) {
    out.push('', a.fallback?.message ?? 'Nothing in the knowledge base matched this question.');
    if (a.suggestions.length) out.push(`Close vocabulary: ${a.suggestions.join(', ')}`, `Try e.g. "what failed last time we tried ${a.suggestions[0]}?"`);
    return `${out.join('\n')}\n`;
  }
  if (a.fallback) out.push('', a.fallback.message);
  if (a.common_errors.length) {
    out.push('', 'Recurring errors:');
    for (const c of a.common_errors) out.push(`  ${c.count}x ${c.example}  (${c.executions.slice(0, 3).join(', ')})`);
  }
  a.insights.forEach((i, n) => {
    if (n === 0 && a.guidance > 0) out.push('', 'Rules to follow:');
    if (n === a.guidance) out.push('', a.guidance > 0 ? 'Also relevant:' : 'Best matches:');
    out.push(renderInsight(n + 1, i));
  });
  if (a.truncated) out.push('', `(${a.total_matches} matches; showing ${a.insights.length}. Use --limit or --max-tokens for more.)`);
  if (a.suggestions.length) out.push('', `Also in the vocabulary: ${a.suggestions.join(', ')}`);
  return `${out.join('\n')}\n`;
}
