/**
 * Recurring themes: phrases that recur in what failures say — their errors, deviations and
 * discoveries, and the root causes and actions of the reflections about them — more often than
 * in what other executions say (among executions that say anything at all). Pure.
 *
 * Text is normalised as error fingerprints are (numbers, ids, paths, URLs, quoted values and
 * times removed), split into words, stripped of function words and stemmed; every run of 2–6
 * words is a candidate phrase. Each execution counts once per phrase. A phrase is a theme when
 * at least `patterns.min_support` failures use it, it is `patterns.min_lift` times more frequent
 * among failures than among the other executions, and a one-sided Fisher exact test says so
 * after Benjamini–Hochberg across all candidates (q < `statistics.fdr`). Of phrases with the
 * same failures, the longest is kept, and overlapping windows of one recurring sentence become
 * one theme. Text the tool generates (stub sections, import notes) is not mined.
 */
import type { ExecutionRecord, ReflectionRecord } from '../records/kinds.js';
import type { ResolvedConfig } from '../adapters/config.js';
import { analyze } from '../recall/terms.js';
import { normaliseForFingerprint } from './fingerprint.js';
import { benjaminiHochberg, fisherGreater } from './tests.js';
import { formatP } from './effect.js';
import { byTime, evidenceIds, round, shortHash } from './stats.js';
import type { ExtractedPattern } from './types.js';

/** Shortest and longest phrase, in words (after function words are dropped). */
export const MIN_PHRASE = 2;
export const MAX_PHRASE = 6;

/** Words that carry no cause on their own (besides recall's stop words). */
const FILLER = new Set(['is', 'was', 'be', 'been', 'are', 'were', 'do', 'did', 'does', 'have', 'has', 'had', 'when', 'which', 'who', 'what', 'so', 'but', 'then', 'there', 'here', 'also', 'very', 'just', 'some', 'into', 'out', 'up', 'about', 'will', 'would', 'should', 'could', 'can']);

/** Lines the tool itself writes into reflection bodies (stubs, imports): never mined. */
const GENERATED = /^\s*(#|imported from |execution `|- (similar non-successful|recurring error|no recurring|assumptions at the start|dependencies:|matching \w+ pattern|no known pattern|recalled before|nothing was recalled|root cause:|action:|check the steps)|proposed template)/i;

/** The words of a text with their positions (for showing the original phrase). */
interface Tokens {
  text: string;
  stems: string[];
  /** [start, end) character offsets of each stem's word in `text`. */
  spans: Array<[number, number]>;
}

function tokenize(raw: string): Tokens {
  const text = normaliseForFingerprint(raw);
  const stems: string[] = [];
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0].toLowerCase();
    if (FILLER.has(w) || /^\d+$/.test(w)) continue;
    const t = analyze(w)[0];
    if (!t) continue;
    stems.push(t);
    spans.push([m.index!, m.index! + m[0].length]);
  }
  return { text, stems, spans };
}

/** A text's sentences (a phrase never runs across a full stop, a colon or a line). */
function sentences(text: string): string[] {
  return text.split(/[.!?;:]+(?:\s+|$)|\n+/).filter((x) => x.trim());
}

/** The texts an execution's outcome is explained by: its own notes and its reflections' causes. */
export function textsOf(e: ExecutionRecord, reflections: ReadonlyArray<{ data: ReflectionRecord; body: string }>): string[] {
  const out = [...(e.errors ?? []), ...(e.post?.deviations ?? []), ...(e.post?.discoveries ?? [])];
  for (const r of reflections) {
    if (r.data.root_cause) out.push(r.data.root_cause);
    out.push(...(r.data.actions ?? []));
    // A free-text reflection (no root cause field) is read from its body, without generated lines.
    if (!r.data.root_cause) out.push(...r.body.split('\n').filter((l) => l.trim() && !GENERATED.test(l)));
  }
  return out;
}

interface Doc {
  e: ExecutionRecord;
  failure: boolean;
  tokens: Tokens[];
}

/** Every phrase of 2–6 stems of a document, once each, with where it first occurs. */
function phrasesOf(doc: Doc): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  doc.tokens.forEach((t, ti) => {
    for (let i = 0; i < t.stems.length; i++) {
      for (let n = MIN_PHRASE; n <= MAX_PHRASE && i + n <= t.stems.length; n++) {
        const key = t.stems.slice(i, i + n).join(' ');
        if (!out.has(key)) out.set(key, [ti, i, n]);
      }
    }
  });
  return out;
}

/** Options: the reflections of the history (by the execution they are about). */
export interface ThemeInputs {
  reflections?: ReadonlyArray<{ data: ReflectionRecord; body: string }>;
}

/** Recurring themes of a history, as `theme` patterns (most failures first). */
export function mineThemes(history: readonly ExecutionRecord[], config: ResolvedConfig, inputs: ThemeInputs = {}): ExtractedPattern[] {
  const { min_support, min_lift, failure_score } = config.patterns;
  const about = new Map<string, Array<{ data: ReflectionRecord; body: string }>>();
  for (const r of inputs.reflections ?? []) for (const x of r.data.executions) about.set(x, [...(about.get(x) ?? []), r]);
  // Like with like: only executions that say something can say a phrase, so the comparison is
  // among them (a history where only failures have reflections would otherwise make every
  // phrase of the reflection genre a "theme").
  const docs: Doc[] = byTime(history)
    .map((e) => ({ e, failure: e.outcome === 'failure' || e.overall < failure_score, tokens: textsOf(e, about.get(e.id) ?? []).flatMap(sentences).map(tokenize) }))
    .filter((d) => d.tokens.some((t) => t.stems.length > 0));
  const nF = docs.filter((d) => d.failure).length;
  const nS = docs.length - nF;
  if (nF < min_support) return [];
  // Phrase -> failure docs and count in other docs.
  const inF = new Map<string, Doc[]>();
  const inS = new Map<string, number>();
  const where = new Map<string, [Doc, number, number, number]>();
  for (const d of docs) {
    for (const [key, at] of phrasesOf(d)) {
      if (d.failure) {
        let l = inF.get(key);
        if (!l) inF.set(key, (l = []));
        l.push(d);
        if (!where.has(key)) where.set(key, [d, ...at]);
      } else inS.set(key, (inS.get(key) ?? 0) + 1);
    }
  }
  const candidates = [...inF].filter(([, l]) => l.length >= min_support);
  const tested = candidates.map(([key, l]) => {
    const s = inS.get(key) ?? 0;
    const lift = l.length / nF / ((s + 1) / (nS + 1));
    return { key, docs: l, s, lift, p: fisherGreater(l.length, nF, s, nS) };
  });
  const q = benjaminiHochberg(tested.map((t) => t.p));
  const significant = tested.map((t, i) => ({ ...t, q: q[i]! })).filter((t) => t.q < config.statistics.fdr && t.lift >= min_lift);
  // Longest first: a phrase inside a kept one with (nearly) the same failures adds nothing.
  significant.sort((a, b) => b.key.split(' ').length - a.key.split(' ').length || b.docs.length - a.docs.length || (a.key < b.key ? -1 : 1));
  const kept: typeof significant = [];
  for (const t of significant) {
    if (kept.some((k) => ` ${k.key} `.includes(` ${t.key} `) && k.docs.length >= 0.8 * t.docs.length)) continue;
    kept.push(t);
  }
  // Overlapping windows of one recurring sentence (same failures) are one theme.
  const groups = new Map<string, typeof kept>();
  for (const t of kept) {
    const ev = t.docs.map((d) => d.e.id).sort().join(',');
    groups.set(ev, [...(groups.get(ev) ?? []), t]);
  }
  const out: ExtractedPattern[] = [];
  for (const list of groups.values()) {
    const best = [...list].sort((a, b) => b.lift - a.lift || (a.key < b.key ? -1 : 1))[0]!;
    const phrase = shownPhrase(list.map((t) => t.key), where);
    const evidence = best.docs.map((d) => d.e);
    const definition = { theme: phrase };
    const rate = (x: number, n: number) => `${x} of ${n} (${Math.round((x / Math.max(1, n)) * 100)}%)`;
    out.push({
      id: `pat-theme-${shortHash(list.map((t) => t.key).sort().join('|'), 10)}`,
      pattern_type: 'theme',
      category: 'integration-gotcha',
      statement: `"${phrase}" recurs in what ${rate(evidence.length, nF)} failures say, against ${rate(best.s, nS)} other executions (lift ${round(best.lift, 1)}; Fisher p ${formatP(best.p)}, q ${formatP(best.q)}).`,
      definition,
      support: evidence.length,
      confidence: round(evidence.length / (evidence.length + best.s)),
      lift: round(best.lift, 2),
      evidence: evidenceIds(evidence),
      last_seen: evidence[evidence.length - 1]!.started_at,
    });
  }
  return out.sort((a, b) => b.support - a.support || (a.id < b.id ? -1 : 1));
}

/**
 * The phrase as written: the original text from the first to the last word of the windows, in
 * the first failure that has them (stop words and punctuation between included).
 */
function shownPhrase(keys: readonly string[], where: Map<string, [Doc, number, number, number]>): string {
  const first = keys.map((k) => where.get(k)!).sort((a, b) => (a[0].e.id < b[0].e.id ? -1 : 1))[0]!;
  const [doc, ti] = first;
  const at = keys.map((k) => where.get(k)!).filter((w) => w[0] === doc && w[1] === ti);
  const from = Math.min(...at.map((w) => w[2]));
  const to = Math.max(...at.map((w) => w[2] + w[3] - 1));
  const t = doc.tokens[ti]!;
  return t.text.slice(t.spans[from]![0], t.spans[to]![1]).replace(/\s+/g, ' ').trim().slice(0, 200);
}
