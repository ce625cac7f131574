/**
 * One fact, one pattern. Pure.
 *
 * The finders look at a history from several sides, so one fact can surface several times: the
 * failures with an error are also the failures of the dependency they all use, and the error's
 * words are also a theme. Patterns about the same outcome found over exactly the same executions
 * (same support, same evidence ids) are therefore merged into one: the most specific member keeps
 * its id, numbers and definition and names every other member in its statement and in
 * `same_evidence`. A member whose conditions the kept pattern already names (a dependency it lists
 * as always together) adds no words, and a theme inside a longer theme of the same executions is
 * dropped (the longest phrase says it).
 */
import type { ExtractedPattern } from './types.js';
import { pushTo } from '../dict.js';

/** Longest statement a pattern record may carry. */
export const MAX_STATEMENT = 1000;

/** The outcome a pattern's evidence executions share: patterns are merged only within one. */
function outcomeOf(p: ExtractedPattern): string {
  if (p.pattern_type === 'success') return 'success';
  if (p.pattern_type === 'performance') return `duration ${String(p.definition.direction)}`;
  if (p.pattern_type === 'dependency' && p.definition.with === 'surprise') return 'surprise';
  return 'failure';
}

/** Which member keeps its id: a conjunction of conditions, then a dependency, then a theme. */
const RANK: Record<ExtractedPattern['pattern_type'], number> = { failure: 0, success: 0, dependency: 1, theme: 2, performance: 3 };

/** The conditions a pattern names (`dimension=value`; a dependency's `together` members included). */
function conditions(p: ExtractedPattern): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(p.definition)) {
    if (k === 'with' || k === 'direction') continue;
    for (const x of Array.isArray(v) ? v : [v]) out.push(k === 'together' ? String(x) : `${k}=${String(x)}`);
  }
  return out;
}

const phrase = (p: ExtractedPattern): string =>
  String(p.definition.theme ?? '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

function order(a: ExtractedPattern, b: ExtractedPattern): number {
  return (
    RANK[a.pattern_type] - RANK[b.pattern_type] ||
    phrase(b).length - phrase(a).length ||
    b.confidence - a.confidence ||
    b.lift - a.lift ||
    conditions(a).length - conditions(b).length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * How the kept pattern's statement names a member: its own words, or only its subject when the
 * rest is the kept statement's (the same executions give the same figures: "duration of
 * component=polyglot likewise", not the whole sentence twice).
 */
function memberWords(kept: string, member: string): string {
  let k = kept.length;
  let m = member.length;
  while (k > 0 && m > 0 && kept[k - 1] === member[m - 1]) {
    k--;
    m--;
  }
  const shared = member.length - m;
  const own = shared >= 40 ? `${member.slice(0, m).replace(/[\s:,(]+$/, '')} likewise` : member.replace(/\.$/, '');
  return own.replace(/^Executions /, 'executions ').replace(/^Duration /, 'duration ');
}

/** The kept pattern naming the others (the group sorted by `order`). */
function mergeGroup(group: readonly ExtractedPattern[]): ExtractedPattern {
  const [first, ...rest] = [...group].sort(order) as [ExtractedPattern, ...ExtractedPattern[]];
  const themes = [first, ...rest].filter((p) => p.pattern_type === 'theme').map(phrase);
  // A theme inside a longer theme over the same executions says nothing the longer one does not.
  const members = rest.filter((m) => m.pattern_type !== 'theme' || !themes.some((t) => t !== phrase(m) && t.includes(phrase(m))));
  if (!members.length) return first;
  const named = new Set(conditions(first));
  const words: string[] = [];
  for (const m of members) {
    const own = conditions(m);
    if (own.length && own.every((c) => named.has(c))) continue;
    for (const c of own) named.add(c);
    words.push(memberWords(first.statement, m.statement));
  }
  let statement = first.statement;
  if (words.length) {
    const head = `${first.statement} The same ${first.support} executions: `;
    let shown = words.length;
    const text = (k: number) => `${head}${words.slice(0, k).join('; ')}${k < words.length ? `; and ${words.length - k} more (same_evidence)` : ''}.`;
    while (shown > 0 && text(shown).length > MAX_STATEMENT) shown--;
    statement = text(shown).length <= MAX_STATEMENT ? text(shown) : first.statement;
  }
  return { ...first, statement, same_evidence: members.map((m) => ({ id: m.id, pattern_type: m.pattern_type, definition: m.definition, statement: m.statement })) };
}

/**
 * Merges the patterns about one outcome with the same support and evidence into one (see the
 * module comment). Patterns without an equal are returned as they are; the order is kept.
 */
export function mergeSameEvidence(list: readonly ExtractedPattern[]): ExtractedPattern[] {
  const groups = new Map<string, ExtractedPattern[]>();
  for (const p of list) pushTo(groups, `${outcomeOf(p)}\u0000${p.support}\u0000${p.evidence.join(',')}`, p);
  const merged = new Map<ExtractedPattern, ExtractedPattern>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const kept = mergeGroup(group);
    const keeper = group.find((p) => p.id === kept.id)!;
    merged.set(keeper, kept);
    for (const p of group) if (p !== keeper) merged.set(p, kept);
  }
  const out: ExtractedPattern[] = [];
  const seen = new Set<ExtractedPattern>();
  for (const p of list) {
    const m = merged.get(p) ?? p;
    if (seen.has(m)) continue;
    seen.add(m);
    out.push(m);
  }
  return out;
}

/**
 * Every recurring theme among the patterns: theme patterns, and themes merged into a pattern
 * over the same executions (they still feed the repeated-error monitor).
 */
export function themesOf(patterns: readonly ExtractedPattern[]): ExtractedPattern[] {
  const out: ExtractedPattern[] = [];
  for (const p of patterns) {
    if (p.pattern_type === 'theme') out.push(p);
    for (const m of p.same_evidence ?? []) {
      if (m.pattern_type !== 'theme') continue;
      const { same_evidence: _s, ...rest } = p;
      out.push({ ...rest, id: m.id, pattern_type: 'theme', category: 'integration-gotcha', definition: m.definition, statement: m.statement });
    }
  }
  return out;
}
