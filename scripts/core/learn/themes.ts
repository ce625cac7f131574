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
import type { ResolvedConfig } from '../config.js';
import { analyze } from '../recall/terms.js';
import { normaliseForFingerprint } from './fingerprint.js';
import { benjaminiHochberg, fisherGreater } from './tests.js';
import { formatP } from './effect.js';
import { byTime, evidenceIds, round, shortHash } from './stats.js';
import type { ExtractedPattern } from './types.js';
import { pushTo } from '../dict.js';

/** Shortest and longest phrase, in words (after function words are dropped). */
export const MIN_PHRASE = 2;
export const MAX_PHRASE = 6;

/** Words that carry no cause on their own (besides recall's stop words). */
const FILLER = new Set([
  'is',
  'was',
  'be',
  'been',
  'are',
  'were',
  'do',
  'did',
  'does',
  'have',
  'has',
  'had',
  'when',
  'which',
  'who',
  'what',
  'so',
  'but',
  'then',
  'there',
  'here',
  'also',
  'very',
  'just',
  'some',
  'into',
  'out',
  'up',
  'about',
  'will',
  'would',
  'should',
  'could',
  'can',
]);

/** Lines the tool itself writes into reflection bodies (stubs, imports): never mined. */
const GENERATED =
  /^\s*(#|imported from |execution `|consistent success - |discoveries:$|deviations from the plan:$|- (similar non-successful|recurring error|no recurring|assumptions at the start|dependencies:|matching \w+ pattern|no known pattern|no pattern record|recalled before|nothing was recalled|root cause:|action:|check the steps|nothing was recorded as discovered|no working assumption|which working assumption was wrong|`[^`]+`: (did not prevent this outcome|helped here|no clear effect here)|\*\*[^*]+\*\* — .*still true after this task\?$)|proposed template)/i;

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

/** Where a phrase first occurs: the document, its sentence, the first stem and the length. */
type At = [Doc, number, number, number];

/**
 * The phrases of 2–6 stems that at least `minSupport` failures use, with those failures and
 * where each first occurs. Level by level: a phrase of n stems is only counted where both of
 * its (n-1)-stem halves were frequent, since it cannot be used by more documents than they are.
 */
function frequentPhrases(failures: readonly Doc[], minSupport: number): Map<string, { docs: Doc[]; at: At }> {
  const out = new Map<string, { docs: Doc[]; at: At }>();
  let frequent: Set<string> | undefined;
  for (let n = MIN_PHRASE; n <= MAX_PHRASE; n++) {
    const level = new Map<string, { docs: Doc[]; at: At }>();
    for (const d of failures) {
      const seen = new Set<string>();
      d.tokens.forEach((t, ti) => {
        for (let i = 0; i + n <= t.stems.length; i++) {
          if (frequent && (!frequent.has(t.stems.slice(i, i + n - 1).join(' ')) || !frequent.has(t.stems.slice(i + 1, i + n).join(' ')))) continue;
          const key = t.stems.slice(i, i + n).join(' ');
          if (seen.has(key)) continue;
          seen.add(key);
          const hit = level.get(key);
          if (hit) hit.docs.push(d);
          else level.set(key, { docs: [d], at: [d, ti, i, n] });
        }
      });
    }
    frequent = new Set();
    for (const [key, v] of level) {
      if (v.docs.length < minSupport) continue;
      out.set(key, v);
      frequent.add(key);
    }
    if (!frequent.size) break;
  }
  return out;
}

/** How many of `docs` use each of `phrases` (each document once), reading only runs that start one. */
function phraseCounts(docs: readonly Doc[], phrases: ReadonlyMap<string, unknown>): Map<string, number> {
  const prefixes = new Set<string>();
  for (const key of phrases.keys()) {
    const words = key.split(' ');
    for (let n = MIN_PHRASE; n <= words.length; n++) prefixes.add(words.slice(0, n).join(' '));
  }
  const counts = new Map<string, number>();
  for (const d of docs) {
    const seen = new Set<string>();
    for (const t of d.tokens) {
      for (let i = 0; i < t.stems.length; i++) {
        for (let n = MIN_PHRASE; n <= MAX_PHRASE && i + n <= t.stems.length; n++) {
          const key = t.stems.slice(i, i + n).join(' ');
          if (!prefixes.has(key)) break;
          if (!phrases.has(key) || seen.has(key)) continue;
          seen.add(key);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
  }
  return counts;
}

/** Options: the reflections of the history (by the execution they are about). */
export interface ThemeInputs {
  reflections?: ReadonlyArray<{ data: ReflectionRecord; body: string }>;
}

/**
 * The executions that say something, as documents (in time order). Like with like: only
 * executions that say something can say a phrase, so the comparison is among them (a history
 * where only failures have reflections would otherwise make every phrase of the reflection genre
 * a "theme").
 */
function themeDocs(history: readonly ExecutionRecord[], failureScore: number, inputs: ThemeInputs): Doc[] {
  const about = new Map<string, Array<{ data: ReflectionRecord; body: string }>>();
  for (const r of inputs.reflections ?? []) for (const x of r.data.executions) pushTo(about, x, r);
  return byTime(history)
    .map((e) => ({
      e,
      failure: e.outcome === 'failure' || e.overall < failureScore,
      tokens: textsOf(e, about.get(e.id) ?? [])
        .flatMap(sentences)
        .map(tokenize),
    }))
    .filter((d) => d.tokens.some((t) => t.stems.length > 0));
}

/** A phrase the failures use, tested against the other executions. */
interface TestedPhrase {
  key: string;
  /** The failures that use it. */
  docs: Doc[];
  /** How many other executions use it. */
  s: number;
  lift: number;
  p: number;
}

/**
 * Each phrase the failures use, with its lift and one-sided Fisher p-value against the other
 * executions (`inS`: their counts of those phrases only; the phrases only other executions use
 * are never stored, they are most of them).
 */
function testPhrases(inF: ReadonlyMap<string, { docs: Doc[] }>, inS: ReadonlyMap<string, number>, nF: number, nS: number): TestedPhrase[] {
  return [...inF].map(([key, { docs: l }]) => {
    const s = inS.get(key) ?? 0;
    const lift = l.length / nF / ((s + 1) / (nS + 1));
    return { key, docs: l, s, lift, p: fisherGreater(l.length, nF, s, nS) };
  });
}

/** The phrases significant after Benjamini–Hochberg and frequent enough, longest first. */
function significantPhrases(tested: readonly TestedPhrase[], fdr: number, minLift: number): Array<TestedPhrase & { q: number }> {
  const q = benjaminiHochberg(tested.map((t) => t.p));
  const significant = tested.map((t, i) => ({ ...t, q: q[i]! })).filter((t) => t.q < fdr && t.lift >= minLift);
  significant.sort((a, b) => b.key.split(' ').length - a.key.split(' ').length || b.docs.length - a.docs.length || (a.key < b.key ? -1 : 1));
  return significant;
}

/** Drops a phrase inside a kept (longer) one with nearly the same failures: it adds nothing. `significant` is longest first. */
function keepLongest<T extends { key: string; docs: Doc[] }>(significant: readonly T[]): T[] {
  const kept: T[] = [];
  // Every run of words inside a kept phrase -> the most failures of a kept phrase holding it.
  const inside = new Map<string, number>();
  for (const t of significant) {
    if ((inside.get(t.key) ?? -1) >= 0.8 * t.docs.length) continue;
    kept.push(t);
    const words = t.key.split(' ');
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j <= words.length; j++) {
        const sub = words.slice(i, j).join(' ');
        inside.set(sub, Math.max(inside.get(sub) ?? 0, t.docs.length));
      }
    }
  }
  return kept;
}

/** The `theme` pattern of one group of kept phrases with the same failures (overlapping windows of one recurring sentence). */
function themePattern(list: ReadonlyArray<TestedPhrase & { q: number }>, inF: ReadonlyMap<string, { at: At }>, nF: number, nS: number): ExtractedPattern {
  const best = [...list].sort((a, b) => b.lift - a.lift || (a.key < b.key ? -1 : 1))[0]!;
  const phrase = shownPhrase(list.map((t) => inF.get(t.key)!.at));
  const evidence = best.docs.map((d) => d.e);
  const definition = { theme: phrase };
  const rate = (x: number, n: number) => `${x} of ${n} (${Math.round((x / Math.max(1, n)) * 100)}%)`;
  return {
    id: `pat-theme-${shortHash(
      list
        .map((t) => t.key)
        .sort()
        .join('|'),
      10,
    )}`,
    pattern_type: 'theme',
    category: 'integration-gotcha',
    statement: `"${phrase}" recurs in what ${rate(evidence.length, nF)} failures say, against ${rate(best.s, nS)} other executions (lift ${round(best.lift, 1)}; Fisher p ${formatP(best.p)}, q ${formatP(best.q)}).`,
    definition,
    support: evidence.length,
    confidence: round(evidence.length / (evidence.length + best.s)),
    lift: round(best.lift, 2),
    evidence: evidenceIds(evidence),
    last_seen: evidence[evidence.length - 1]!.started_at,
  };
}

/** Recurring themes of a history, as `theme` patterns (most failures first). */
export function mineThemes(history: readonly ExecutionRecord[], config: ResolvedConfig, inputs: ThemeInputs = {}): ExtractedPattern[] {
  const { min_support, min_lift, failure_score } = config.patterns;
  const docs = themeDocs(history, failure_score, inputs);
  const nF = docs.filter((d) => d.failure).length;
  const nS = docs.length - nF;
  if (nF < min_support) return [];
  // Phrase -> failure docs, then the other docs' counts of those phrases only.
  const inF = frequentPhrases(
    docs.filter((d) => d.failure),
    min_support,
  );
  const inS = phraseCounts(
    docs.filter((d) => !d.failure),
    inF,
  );
  const kept = keepLongest(significantPhrases(testPhrases(inF, inS, nF, nS), config.statistics.fdr, min_lift));
  // Overlapping windows of one recurring sentence (same failures) are one theme.
  const groups = new Map<string, typeof kept>();
  for (const t of kept) {
    const ev = t.docs
      .map((d) => d.e.id)
      .sort()
      .join(',');
    pushTo(groups, ev, t);
  }
  const out = [...groups.values()].map((list) => themePattern(list, inF, nF, nS));
  return out.sort((a, b) => b.support - a.support || (a.id < b.id ? -1 : 1));
}

/**
 * The phrase as written: the original text from the first to the last word of the windows
 * (`places`: where each first occurs), in the first failure that has them (stop words and punctuation between included).
 */
function shownPhrase(places: readonly At[]): string {
  const first = [...places].sort((a, b) => (a[0].e.id < b[0].e.id ? -1 : 1))[0]!;
  const [doc, ti] = first;
  const at = places.filter((w) => w[0] === doc && w[1] === ti);
  const from = Math.min(...at.map((w) => w[2]));
  const to = Math.max(...at.map((w) => w[2] + w[3] - 1));
  const t = doc.tokens[ti]!;
  return t.text.slice(t.spans[from]![0], t.spans[to]![1]).replace(/\s+/g, ' ').trim().slice(0, 200);
}
