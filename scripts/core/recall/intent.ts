/**
 * The intent parser: turns a plain-language question into what to look for — record kinds,
 * outcome, entities matched against the knowledge base's own vocabulary (components, task
 * types, domains, agents, tags), recency and whether the question asks for what is "common".
 * Pure and total: any string (empty, huge, full of query syntax) gives an intent.
 */
import { analyze, type Vocabulary } from './terms.js';
import { editDistance } from '../diagnostics/suggest.js';
import { dictOf, own } from '../dict.js';

/** An entity found in the question. */
export interface EntityMatch {
  type: 'component' | 'task_type' | 'domain' | 'agent' | 'tag';
  value: string;
  /** The words of the question it came from. */
  from: string;
  /** 1 for an exact name, lower for a partial one ("booking" -> booking-form). */
  confidence: number;
}

/** What the question asks for. */
export interface Intent {
  question: string;
  /** Kinds asked for (empty: any). */
  kinds: string[];
  /**
   * True when the question names a kind unambiguously ("show me rules", "failure patterns"):
   * only those kinds are answered (unless none matches, see the answer's `fallback`). Otherwise
   * the kinds only boost ("when did we run the migration?" never filters to executions).
   */
  kind_filter: boolean;
  /** Pattern categories asked for (gotchas, decisions). */
  categories: string[];
  outcome?: 'failure' | 'success';
  /** True when the outcome is named unambiguously ("what failed"): the opposite outcome is left out. */
  outcome_filter: boolean;
  entities: EntityMatch[];
  recency?: { mode: 'latest' } | { mode: 'since'; day: number; label: string };
  /** "common", "recurring", "most frequent": group failures by error fingerprint. */
  common: boolean;
  /**
   * A common-cause question ("why do we keep failing", "what keeps going wrong", "recurring
   * causes"): what sums failures up (themes, failure patterns) ranks first, and the question is
   * about failures.
   */
  causes: boolean;
  /** Analysed content terms: what the question is about (full weight in the ranking). */
  terms: string[];
  /** Exact-form terms of the content words whose stem differs (`=delimiter`), a smaller bonus. */
  forms: string[];
  /**
   * Analysed cue terms: the words that shaped the intent ("failed", "rules", "last", "time"),
   * still searched, at a lower weight, so a question never loses a word.
   */
  cues: string[];
  /** True when the question asks for rejected or archived records ("rejected rules"). */
  retired: boolean;
  /** Question words that matched nothing (for suggestions). */
  unknown: string[];
}

// Looked up by question words (`constructor` among them): null-prototype tables.
const KIND_WORDS: Record<string, string> = dictOf({
  rule: 'rule',
  rules: 'rule',
  guideline: 'rule',
  guidelines: 'rule',
  convention: 'rule',
  conventions: 'rule',
  pattern: 'pattern',
  patterns: 'pattern',
  practice: 'pattern',
  practices: 'pattern',
  learnings: 'pattern',
  learning: 'pattern',
  template: 'template',
  templates: 'template',
  recipe: 'template',
  recipes: 'template',
  boilerplate: 'template',
  execution: 'execution',
  executions: 'execution',
  run: 'execution',
  runs: 'execution',
  attempt: 'execution',
  attempts: 'execution',
  history: 'execution',
  reflection: 'reflection',
  reflections: 'reflection',
  postmortem: 'reflection',
  postmortems: 'reflection',
  retrospective: 'reflection',
  rca: 'reflection',
  assumption: 'assumption',
  assumptions: 'assumption',
  synthesis: 'synthesis',
  syntheses: 'synthesis',
  report: 'synthesis',
  reports: 'synthesis',
  effect: 'effect',
  effects: 'effect',
});
/**
 * Kind nouns that ask for a kind when plural ("show me rules", "UI patterns that worked") or
 * after an asking word ("which rule applies", "show the template"). Used otherwise ("reflection
 * triggers", "the booking template's steps") or when an everyday word ("run", "history",
 * "report", "practice", "learning"), a kind word only boosts.
 */
const STRICT_KIND_PLURALS = new Set(['rules', 'guidelines', 'patterns', 'templates', 'executions', 'reflections', 'postmortems', 'assumptions', 'syntheses']);
const STRICT_KIND_SINGULARS = new Set(['rule', 'guideline', 'pattern', 'template', 'execution', 'reflection', 'postmortem', 'assumption', 'synthesis']);
const ASKING = new Set(['show', 'list', 'find', 'which', 'any', 'every', 'each', 'get', 'give']);
const CATEGORY_WORDS: Record<string, string> = dictOf({
  gotcha: 'integration-gotcha',
  gotchas: 'integration-gotcha',
  pitfall: 'integration-gotcha',
  pitfalls: 'integration-gotcha',
  caveat: 'integration-gotcha',
  caveats: 'integration-gotcha',
  decision: 'architectural-decision',
  decisions: 'architectural-decision',
  adr: 'architectural-decision',
  adrs: 'architectural-decision',
});
const FAILURE_WORDS = new Set([
  'fail',
  'failed',
  'fails',
  'failing',
  'failure',
  'failures',
  'broke',
  'broken',
  'break',
  'breaks',
  'breaking',
  'issue',
  'issues',
  'problem',
  'problems',
  'error',
  'errors',
  'bug',
  'bugs',
  'wrong',
  'crash',
  'crashed',
  'regression',
  'regressions',
  'mistake',
  'mistakes',
  'avoid',
  'pitfall',
  'pitfalls',
  'gotcha',
  'gotchas',
]);
const SUCCESS_WORDS = new Set(['worked', 'works', 'work', 'working', 'succeeded', 'success', 'successes', 'successful', 'succeed', 'good', 'best', 'well', 'winning', 'effective']);
/** Outcome words that only boost: they say something about the outcome, not enough to decide it ("break", "work", "good"). */
const BOOSTING_ONLY = new Set(['break', 'breaks', 'breaking', 'avoid', 'works', 'work', 'working', 'good', 'best', 'well', 'winning', 'effective']);
/** Outcome words that decide the outcome on their own: the failure and success words less those that only boost. */
const STRICT_OUTCOME_WORDS = new Set([...FAILURE_WORDS, ...SUCCESS_WORDS].filter((w) => !BOOSTING_ONLY.has(w)));
const COMMON_WORDS = new Set(['common', 'recurring', 'frequent', 'frequently', 'repeated', 'often', 'usual', 'typical', 'top']);
/** Words that say something happens again ("we keep failing", "fails again"): with a failure or cause word, a common-cause question. */
const AGAIN_WORDS = new Set(['keep', 'keeps', 'kept', 'again', 'always', 'repeatedly', 'recurrent', 'recurs', 'recur']);
/** Words that ask for causes ("recurring causes", "common reasons", "themes"). */
const CAUSE_WORDS = new Set(['cause', 'causes', 'reason', 'reasons', 'culprit', 'culprits', 'theme', 'themes', 'root']);
/** Verbs of "keeps going wrong", "keep getting stuck": part of the phrasing of a common-cause question, not its content. */
const CAUSE_VERBS = new Set(['going', 'goes', 'go', 'happening', 'happens', 'getting', 'gets', 'running', 'hitting', 'coming', 'seeing', 'having']);
/** Words that shape intent but are not content to search for. */
const FILLER = new Set([
  'what',
  'which',
  'who',
  'when',
  'where',
  'why',
  'how',
  'show',
  'me',
  'all',
  'list',
  'find',
  'give',
  'tell',
  'about',
  'any',
  'the',
  'a',
  'an',
  'we',
  'i',
  'you',
  'our',
  'us',
  'last',
  'time',
  'times',
  'tried',
  'try',
  'trying',
  'did',
  'do',
  'does',
  'done',
  'was',
  'were',
  'is',
  'are',
  'be',
  'been',
  'with',
  'for',
  'to',
  'of',
  'in',
  'on',
  'that',
  'this',
  'it',
  'its',
  'and',
  'or',
  'past',
  'previous',
  'before',
  'recent',
  'recently',
  'latest',
  'similar',
  'task',
  'tasks',
  'specific',
  'related',
  'there',
  'have',
  'has',
  'had',
  'ever',
  'week',
  'month',
  'today',
  'yesterday',
  'days',
  'day',
  'most',
  'some',
  'my',
  'should',
  'can',
  'could',
  'would',
  'from',
  'at',
  'by',
  'so',
  'far',
  'lately',
]);
const TYPE_HINTS: Record<string, EntityMatch['type']> = dictOf({
  component: 'component',
  components: 'component',
  widget: 'component',
  page: 'component',
  domain: 'domain',
  domains: 'domain',
  area: 'domain',
  agent: 'agent',
  agents: 'agent',
  model: 'agent',
  type: 'task_type',
  kind: 'task_type',
  tag: 'tag',
  tagged: 'tag',
});

const DAY = 86400000;

/** Words of the question: lower-case letters/digits runs (everything else is a separator). */
export function questionWords(question: string): string[] {
  return (
    question
      .toLowerCase()
      .slice(0, 2000)
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, 200);
}

function stem(word: string): string {
  return analyze(word)[0] ?? word;
}

/** What the words of a question signal: kinds, categories and votes for an outcome. */
interface WordSignals {
  kinds: Set<string>;
  strictKinds: Set<string>;
  categories: Set<string>;
  failure: number;
  success: number;
  strictOutcome: boolean;
  common: boolean;
}

/** The signals of each word, and "root cause(s)" (a phrase) asking for reflections. */
function wordSignals(words: readonly string[], joined: string): WordSignals {
  const s: WordSignals = { kinds: new Set(), strictKinds: new Set(), categories: new Set(), failure: 0, success: 0, strictOutcome: false, common: false };
  words.forEach((w, i) => {
    if (KIND_WORDS[w]) {
      s.kinds.add(KIND_WORDS[w]!);
      const asked = words.slice(Math.max(0, i - 3), i).some((x) => ASKING.has(x));
      if (STRICT_KIND_PLURALS.has(w) || (STRICT_KIND_SINGULARS.has(w) && asked)) s.strictKinds.add(KIND_WORDS[w]!);
    }
    if (CATEGORY_WORDS[w]) {
      s.categories.add(CATEGORY_WORDS[w]!);
      s.kinds.add('pattern');
      s.strictKinds.add('pattern');
    }
    if (FAILURE_WORDS.has(w)) s.failure += 1;
    if (SUCCESS_WORDS.has(w)) s.success += 1;
    if (STRICT_OUTCOME_WORDS.has(w)) s.strictOutcome = true;
    if (COMMON_WORDS.has(w)) s.common = true;
  });
  if (/ root causes? /.test(joined)) s.kinds.add('reflection');
  return s;
}

/** The outcome asked for, whether it is named unambiguously, and whether the question asks for common causes. */
function askedOutcome(words: readonly string[], joined: string, signals: WordSignals): { outcome: Intent['outcome']; strict: boolean; causes: boolean } {
  let { failure, success, strictOutcome: strict } = signals;
  if (/ (didn t|did not|doesn t|does not|not work|never worked) /.test(joined)) {
    failure += 2;
    success = 0;
    strict = true;
  }
  const outcome: Intent['outcome'] = failure > success ? 'failure' : success > failure ? 'success' : undefined;
  // "Why do we keep failing", "what keeps going wrong", "recurring causes": asks what failures
  // have in common. It is about failures, unambiguously (a cause is a cause of failure).
  const causes = outcome !== 'success' && asksCommonCauses(words);
  if (causes) return { outcome: 'failure', strict: true, causes };
  return { outcome, strict, causes };
}

/** The time the question is about ("last time", "this week", "past 3 days"); `now` (ms) anchors it. */
function askedRecency(joined: string, now: number): Intent['recency'] {
  const startOfDay = Math.floor(now / DAY) * DAY;
  const weekday = (new Date(now).getUTCDay() + 6) % 7;
  if (/ this week /.test(joined)) return { mode: 'since', day: (startOfDay - weekday * DAY) / DAY, label: 'this week' };
  if (/ last week /.test(joined) || / past week /.test(joined)) return { mode: 'since', day: (startOfDay - 7 * DAY) / DAY, label: 'the last 7 days' };
  if (/ this month /.test(joined)) return { mode: 'since', day: Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1) / DAY, label: 'this month' };
  if (/ today /.test(joined)) return { mode: 'since', day: startOfDay / DAY, label: 'today' };
  const m = / (?:last|past) (\d{1,3}) days /.exec(joined);
  if (m) return { mode: 'since', day: (startOfDay - Number(m[1]) * DAY) / DAY, label: `the last ${m[1]} days` };
  // A date range wins over "latest" ("the latest failures this week" asks for this week's).
  if (/ (last time|latest|most recent|recently|lately|last attempt|last run) /.test(joined)) return { mode: 'latest' };
  return undefined;
}

/** Whether a word shaped the intent (a cue) rather than saying what the question is about. */
function isCueWord(w: string, causes: boolean): boolean {
  return (
    FILLER.has(w) ||
    STRICT_KIND_PLURALS.has(w) ||
    STRICT_KIND_SINGULARS.has(w) ||
    Boolean(CATEGORY_WORDS[w]) ||
    FAILURE_WORDS.has(w) ||
    SUCCESS_WORDS.has(w) ||
    COMMON_WORDS.has(w) ||
    Boolean(TYPE_HINTS[w]) ||
    (causes && (AGAIN_WORDS.has(w) || CAUSE_WORDS.has(w) || CAUSE_VERBS.has(w)))
  );
}

/** The analysed content terms, their exact forms, the analysed cue terms and the content words no entity used. */
function questionTerms(words: readonly string[], entities: readonly EntityMatch[], causes: boolean): Pick<Intent, 'terms' | 'forms' | 'cues' | 'unknown'> {
  const used = new Set(entities.flatMap((e) => e.from.split(' ')));
  const isCue = (w: string): boolean => isCueWord(w, causes);
  const content = words.filter((w) => !isCue(w));
  const formSet = new Set<string>();
  const terms = [...new Set(content.flatMap((w) => analyze(w, (f) => formSet.add(f))))];
  const cues = [...new Set(words.filter(isCue).flatMap((w) => analyze(w)))].filter((t) => !terms.includes(t));
  const unknown = content.filter((w) => !used.has(w));
  return { terms, forms: [...formSet], cues, unknown };
}

/**
 * Parses a question against the knowledge base's vocabulary. `now` (ms) anchors relative
 * times such as "this week".
 */
export function parseIntent(question: string, vocab: Vocabulary, now: number = Date.now()): Intent {
  const q = typeof question === 'string' ? question : '';
  const words = questionWords(q);
  const joined = ` ${words.join(' ')} `;
  const signals = wordSignals(words, joined);
  const { outcome, strict, causes } = askedOutcome(words, joined, signals);
  const recency = askedRecency(joined, now);
  const entities = matchEntities(words, vocab);
  const { terms, forms, cues, unknown } = questionTerms(words, entities, causes);
  return {
    question: q,
    // Named unambiguously, the kinds filter (and only those); otherwise every kind word boosts.
    kinds: [...(signals.strictKinds.size ? signals.strictKinds : signals.kinds)].sort(),
    kind_filter: signals.strictKinds.size > 0,
    categories: [...signals.categories].sort(),
    ...(outcome ? { outcome } : {}),
    outcome_filter: Boolean(outcome) && strict,
    entities,
    ...(recency ? { recency } : {}),
    common: signals.common,
    causes,
    terms,
    forms,
    cues,
    retired: words.some((w) => w === 'rejected' || w === 'archived' || w === 'retired'),
    unknown,
  };
}

/** Words apart at most, for a recurrence word and the failure or cause it is about ("common Square API integration issues"). */
const CAUSE_WINDOW = 4;

/**
 * Whether the question asks what failures have in common: a recurrence word ("keep", "recurring",
 * "common", "again") near a failure or cause word ("keep failing", "recurring causes", "fails
 * again"), or "keep" before a verb of happening ("keeps going wrong", "keep getting stuck").
 * Apart, they do not ("the longest common subsequence … what went wrong", "non-repeated
 * elements").
 */
function asksCommonCauses(words: readonly string[]): boolean {
  const recurs = (w: string) => AGAIN_WORDS.has(w) || COMMON_WORDS.has(w);
  const about = (w: string) => FAILURE_WORDS.has(w) || CAUSE_WORDS.has(w);
  return words.some((w, i) => {
    if (!recurs(w)) return false;
    if (AGAIN_WORDS.has(w) && CAUSE_VERBS.has(words[i + 1] ?? '')) return true;
    for (let j = Math.max(0, i - CAUSE_WINDOW); j <= Math.min(words.length - 1, i + CAUSE_WINDOW); j++) if (j !== i && about(words[j]!)) return true;
    return false;
  });
}

type VocabEntry = { type: EntityMatch['type']; value: string; count: number; parts: string[]; stems: string[] };

function vocabEntries(vocab: Vocabulary): VocabEntry[] {
  const out: VocabEntry[] = [];
  for (const type of ['component', 'task_type', 'domain', 'agent', 'tag'] as const) {
    for (const [value, count] of Object.entries(own(vocab as unknown as Record<string, Record<string, number>>, type) ?? {})) {
      const parts = value
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      out.push({ type, value, count, parts, stems: parts.map(stem) });
    }
  }
  return out;
}

/** A vocabulary entry a span of the question may name, with how sure the match is. */
type Candidate = { entry: VocabEntry; from: string; confidence: number };

/** Confidence rounded to hundredths, so ties compare equal. */
const hundredths = (x: number): number => Math.round(x * 100) / 100;

/**
 * Hinted names: "booking component" names a component whose name contains "booking", and
 * "component" is then a hint, not the task type of that name. Returns the matches and the
 * indices of the words they took (the name and its hint).
 */
function hintedNames(words: readonly string[], entries: readonly VocabEntry[]): { matches: Candidate[]; consumed: Set<number> } {
  const matches: Candidate[] = [];
  const consumed = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const type = TYPE_HINTS[words[i]!];
    if (!type) continue;
    for (const j of [i - 1, i + 1]) {
      const w = words[j];
      if (!w || consumed.has(j) || w.length < 2 || FILLER.has(w) || TYPE_HINTS[w]) continue;
      const s = stem(w);
      const cands = entries.filter((e) => e.type === type && (e.parts.join('') === w || e.parts.includes(w) || e.stems.includes(s)));
      if (!cands.length) continue;
      const top = Math.max(...cands.map((e) => e.count));
      for (const e of cands) {
        const exact = e.parts.join('') === w ? 0.1 : 0;
        const lead = e.parts[0] === w || e.stems[0] === s ? 0.05 : 0;
        matches.push({ entry: e, from: `${w} ${words[i]}`, confidence: hundredths(0.8 + exact + lead + 0.05 * (e.count / top)) });
      }
      consumed.add(i);
      consumed.add(j);
      break;
    }
  }
  return { matches, consumed };
}

/**
 * Exact names of one to three words joined ("square api" -> `square_api`), longest first, among
 * the words not yet `taken`. Returns the matches and every word taken so far.
 */
function exactNames(words: readonly string[], entries: readonly VocabEntry[], taken: ReadonlySet<number>): { matches: Candidate[]; consumed: Set<number> } {
  const byJoined = new Map<string, VocabEntry[]>();
  for (const e of entries) {
    const key = e.parts.join('');
    const list = byJoined.get(key);
    if (list) list.push(e);
    else byJoined.set(key, [e]);
  }
  const matches: Candidate[] = [];
  const consumed = new Set(taken);
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      if ([...Array(n).keys()].some((k) => consumed.has(i + k))) continue;
      const span = words.slice(i, i + n);
      if (n === 1 && (FILLER.has(span[0]!) || span[0]!.length < 2)) continue;
      const hits = byJoined.get(span.join('')) ?? byJoined.get(span.map(stem).join(''));
      if (!hits) continue;
      for (const e of hits) matches.push({ entry: e, from: span.join(' '), confidence: 1 });
      for (let k = 0; k < n; k++) consumed.add(i + k);
    }
  }
  return { matches, consumed };
}

/** Partial names: a word not `taken` that is one part of a multi-part name, narrowed by an adjacent type word. */
function partialNames(words: readonly string[], entries: readonly VocabEntry[], taken: ReadonlySet<number>): Candidate[] {
  const matches: Candidate[] = [];
  for (let i = 0; i < words.length; i++) {
    if (taken.has(i)) continue;
    const w = words[i]!;
    if (w.length < 3 || FILLER.has(w) || KIND_WORDS[w] || FAILURE_WORDS.has(w) || SUCCESS_WORDS.has(w) || TYPE_HINTS[w] || COMMON_WORDS.has(w)) continue;
    const s = stem(w);
    const hint = TYPE_HINTS[words[i + 1] ?? ''] ?? TYPE_HINTS[words[i - 1] ?? ''];
    const cands = entries.filter((e) => e.parts.length > 1 && (e.parts.includes(w) || e.stems.includes(s)));
    if (!cands.length) continue;
    const typed = hint ? cands.filter((e) => e.type === hint) : [];
    const chosen = typed.length ? typed : cands;
    const top = Math.max(...chosen.map((e) => e.count));
    for (const e of chosen) {
      // The part that starts the name weighs more ("booking" -> booking-form over online-booking).
      const lead = e.parts[0] === w || e.stems[0] === s ? 0.1 : 0;
      matches.push({ entry: e, from: w, confidence: hundredths(0.5 + lead + (typed.length ? 0.2 : 0) + 0.1 * (e.count / top)) });
    }
  }
  return matches;
}

/** One match per entity: its most confident one (the first on a tie), most confident first. */
function bestMatches(candidates: readonly Candidate[]): EntityMatch[] {
  const found = new Map<string, EntityMatch>();
  for (const { entry: e, from, confidence } of candidates) {
    const key = `${e.type}:${e.value}`;
    const prev = found.get(key);
    if (!prev || prev.confidence < confidence) found.set(key, { type: e.type, value: e.value, from, confidence });
  }
  return [...found.values()].sort((a, b) => b.confidence - a.confidence || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.value < b.value ? -1 : 1));
}

/**
 * Matches question words to vocabulary: exact names first (one to three words joined, so
 * "square api" finds `square_api` and "booking form" finds `booking-form`), then single words
 * that are part of a name ("booking component" finds `booking-form`), stems compared so plurals
 * match. A following or preceding type word ("component", "agent") narrows a partial match.
 */
export function matchEntities(words: readonly string[], vocab: Vocabulary): EntityMatch[] {
  const entries = vocabEntries(vocab);
  // Each pass skips the words an earlier one took.
  const hinted = hintedNames(words, entries);
  const exact = exactNames(words, entries, hinted.consumed);
  const partial = partialNames(words, entries, exact.consumed);
  return bestMatches([...hinted.matches, ...exact.matches, ...partial]);
}

/** Levenshtein distance, capped (shared with the CLI's "did you mean" hints). */
export { editDistance };

/**
 * Vocabulary terms close to the question's unknown words (for "nothing matched"); when none is
 * close, the most used components and domains unless `closeOnly`.
 */
export function suggestVocabulary(words: readonly string[], vocab: Vocabulary, max = 6, closeOnly = false): string[] {
  const entries = vocabEntries(vocab);
  const scored: Array<{ value: string; d: number; count: number }> = [];
  for (const e of entries) {
    let best = 99;
    for (const w of words) {
      if (w.length < 3) continue;
      for (const p of [...e.parts, e.parts.join('')]) {
        const d = p.startsWith(w) || w.startsWith(p) ? 0.5 : editDistance(w, p, 2);
        if (d < best) best = d;
      }
    }
    if (best <= 2) scored.push({ value: e.value, d: best, count: e.count });
  }
  scored.sort((a, b) => a.d - b.d || b.count - a.count || (a.value < b.value ? -1 : 1));
  const out = [...new Set(scored.map((s) => s.value))].slice(0, max);
  if (out.length || closeOnly) return out;
  // Nothing close: offer the most used components and domains.
  return [...entries]
    .filter((e) => e.type === 'component' || e.type === 'domain')
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, max)
    .map((e) => e.value);
}
