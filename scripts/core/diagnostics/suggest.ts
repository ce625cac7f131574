/**
 * "Did you mean" suggestions for hints: the closest known value to a mistyped one. Pure.
 */

/** Levenshtein distance, capped (for "did you mean" suggestions). */
export function editDistance(a: string, b: string, cap = 4): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `value` (case-insensitive), when it is close enough to be a typo:
 * at most a third of the value's length apart (at least 1, at most `cap`). Ties go to the first
 * candidate in sorted order, so the answer is stable.
 */
export function didYouMean(value: string, candidates: Iterable<string>, cap = 4): string | undefined {
  const v = value.toLowerCase();
  const limit = Math.min(cap, Math.max(1, Math.floor(v.length / 3)));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of [...new Set(candidates)].sort()) {
    if (c === value) return undefined;
    const d = editDistance(v, c.toLowerCase(), limit);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
