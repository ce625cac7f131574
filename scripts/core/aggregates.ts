/**
 * Aggregates: per task type, component, domain, agent and ISO week — counts, outcomes, score
 * means, durations, errors and reuse — plus error fingerprints and reuse counts over all
 * executions. Pure and deterministic (sorted keys, rounded numbers, no wall-clock values).
 */
import { fingerprint } from './learn/fingerprint.js';
import { dict, sortedDict } from './dict.js';
import type { ExecutionRecord } from './records/kinds.js';
import type { RecordRow } from './records/table.js';

/** Statistics for one group of executions. */
export interface GroupStats {
  count: number;
  outcomes: { success: number; partial: number; failure: number };
  /**
   * Mean of each score and of `overall`, rounded to 2 decimals; a score's mean is over the
   * executions that measured it (null when none did).
   */
  scores: { accuracy: number; efficiency: number | null; reusability: number | null; surprise: number | null; overall: number };
  duration_s: { mean: number; median: number; p90: number; total: number };
  /** Executions that recorded at least one error. */
  with_errors: number;
  /** Executions that reused something (templates, components, rules). */
  with_reuse: number;
  /** with_reuse / count. */
  reuse_rate: number;
  first: string;
  last: string;
}

/** One error fingerprint with the executions behind it. */
export interface ErrorFingerprint {
  id: string;
  text: string;
  count: number;
  /** A real message, for display. */
  example: string;
  executions: string[];
  components: string[];
  first: string;
  last: string;
}

/** The aggregates document (`aggregates.json`). */
export interface Aggregates {
  version: 1;
  totals: {
    records: number;
    by_kind: Record<string, number>;
    /** Status counts of lifecycle kinds, e.g. `{ rule: { accepted: 3 } }`. */
    by_status: Record<string, Record<string, number>>;
    executions: GroupStats | null;
  };
  by_task_type: Record<string, GroupStats>;
  by_component: Record<string, GroupStats>;
  by_domain: Record<string, GroupStats>;
  by_agent: Record<string, GroupStats>;
  /** ISO week of `started_at` (e.g. `2026-W47`). */
  by_week: Record<string, GroupStats>;
  errors: ErrorFingerprint[];
  /** How often each reused item was reused, most reused first. */
  reuse: Array<{ item: string; count: number }>;
}

const r2 = (n: number): number => Math.round(n * 100) / 100;

/** ISO 8601 week label (`YYYY-Www`) of a timestamp, in UTC. */
export function isoWeek(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '0000-W00';
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / 86400000 / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Running totals of one group, mergeable in any order: sums are kept in hundredths as integers
 * (exact, so the segment order of a merge cannot change a mean), durations as a plain list.
 */
export interface GroupAcc {
  n: number;
  /** Outcome counts: success, partial, failure. */
  o: [number, number, number];
  /** Sums in hundredths: accuracy, efficiency, reusability, surprise, overall, duration. */
  s: [number, number, number, number, number, number];
  /** How many executions measured efficiency, reusability, surprise (imports may leave them out). */
  m: [number, number, number];
  d: number[];
  /** Executions with errors / with reuse. */
  e: number;
  r: number;
  /** First and last `started_at`. */
  a: string;
  z: string;
}

/** The grouped dimensions of the aggregates. */
export const AGG_DIMS = ['task_type', 'component', 'domain', 'agent', 'week'] as const;
type Dim = (typeof AGG_DIMS)[number];

/**
 * The aggregates of some rows before they are finished: what one segment contributes (kept in
 * the build cache, so a one-record change recomputes one segment's part and merges the rest).
 */
export interface AggPartial {
  rows: number;
  kinds: Record<string, number>;
  status: Record<string, Record<string, number>>;
  all: GroupAcc | null;
  groups: Record<Dim, Record<string, GroupAcc>>;
  /** Error fingerprints: text, the example of the earliest hit, hits as [started_at, id, component]. */
  fps: Record<string, { t: string; x: string; h: Array<[string, string, string]> }>;
  reuse: Record<string, number>;
}

const OUTCOME_INDEX = { success: 0, partial: 1, failure: 2 } as const;
const centi = (n: number): number => Math.round(n * 100);

function emptyAcc(at: string): GroupAcc {
  return { n: 0, o: [0, 0, 0], s: [0, 0, 0, 0, 0, 0], m: [0, 0, 0], d: [], e: 0, r: 0, a: at, z: at };
}

function addExecution(acc: GroupAcc, e: ExecutionRecord): void {
  acc.n += 1;
  acc.o[OUTCOME_INDEX[e.outcome]] += 1;
  acc.s[0] += centi(e.scores.accuracy);
  (['efficiency', 'reusability', 'surprise'] as const).forEach((name, i) => {
    const v = e.scores[name];
    if (v === undefined) return;
    acc.s[i + 1]! += centi(v);
    acc.m[i]! += 1;
  });
  acc.s[4] += centi(e.overall);
  acc.s[5] += centi(e.duration_s);
  acc.d.push(e.duration_s);
  if (e.errors?.length) acc.e += 1;
  if (e.reused?.length) acc.r += 1;
  if (e.started_at < acc.a) acc.a = e.started_at;
  if (e.started_at > acc.z) acc.z = e.started_at;
}

/** A group being merged: the partials' duration lists are kept as they are until the group is finished. */
interface Merging {
  acc: GroupAcc;
  parts: number[][];
}

function mergeAcc(into: Merging | undefined, from: GroupAcc): Merging {
  if (!into) return { acc: { ...from, o: [...from.o], s: [...from.s], m: [...from.m], d: [] }, parts: [from.d] };
  const a = into.acc;
  a.n += from.n;
  a.o = [a.o[0] + from.o[0], a.o[1] + from.o[1], a.o[2] + from.o[2]];
  a.s = [a.s[0] + from.s[0], a.s[1] + from.s[1], a.s[2] + from.s[2], a.s[3] + from.s[3], a.s[4] + from.s[4], a.s[5] + from.s[5]];
  a.m = [a.m[0] + from.m[0], a.m[1] + from.m[1], a.m[2] + from.m[2]];
  into.parts.push(from.d);
  a.e += from.e;
  a.r += from.r;
  if (from.a < a.a) a.a = from.a;
  if (from.z > a.z) a.z = from.z;
  return into;
}

function finishAcc(acc: GroupAcc, parts: readonly number[][] = [acc.d]): GroupStats {
  const n = acc.n;
  // A typed array sorts numerically without a comparator call per pair.
  const sorted = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    sorted.set(p, at);
    at += p.length;
  }
  sorted.sort();
  const mean = (c: number) => r2(c / 100 / n);
  const meanOf = (c: number, k: number) => (k ? r2(c / 100 / k) : null);
  return {
    count: n,
    outcomes: { success: acc.o[0], partial: acc.o[1], failure: acc.o[2] },
    scores: { accuracy: mean(acc.s[0]), efficiency: meanOf(acc.s[1], acc.m[0]), reusability: meanOf(acc.s[2], acc.m[1]), surprise: meanOf(acc.s[3], acc.m[2]), overall: mean(acc.s[4]) },
    duration_s: { mean: mean(acc.s[5]), median: r2(quantile(sorted, 0.5)), p90: r2(quantile(sorted, 0.9)), total: r2(acc.s[5] / 100) },
    with_errors: acc.e,
    with_reuse: acc.r,
    reuse_rate: r2(acc.r / n),
    first: acc.a,
    last: acc.z,
  };
}

/** Statistics of a group of executions (empty input gives null). */
export function groupStats(list: readonly ExecutionRecord[]): GroupStats | null {
  if (!list.length) return null;
  const acc = emptyAcc(list[0]!.started_at);
  for (const e of list) addExecution(acc, e);
  return finishAcc(acc);
}

const byStart = (a: ExecutionRecord, b: ExecutionRecord): number => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What some rows (e.g. one segment's) contribute to the aggregates. */
export function aggregatePartial(rows: readonly RecordRow[]): AggPartial {
  // Keys are names users write (an agent may be called `constructor`): null-prototype objects.
  const p: AggPartial = {
    rows: rows.length,
    kinds: dict(),
    status: dict(),
    all: null,
    groups: { task_type: dict(), component: dict(), domain: dict(), agent: dict(), week: dict() },
    fps: dict(),
    reuse: dict(),
  };
  const executions: ExecutionRecord[] = [];
  for (const r of rows) {
    p.kinds[r.kind] = (p.kinds[r.kind] ?? 0) + 1;
    const status = (r.data as { status?: unknown }).status;
    if (typeof status === 'string') {
      const s = (p.status[r.kind] ??= dict());
      s[status] = (s[status] ?? 0) + 1;
    }
    if (r.data.kind === 'execution') executions.push(r.data);
  }
  executions.sort(byStart);
  const put = (dim: Dim, key: string, e: ExecutionRecord) => addExecution((p.groups[dim][key] ??= emptyAcc(e.started_at)), e);
  for (const e of executions) {
    addExecution((p.all ??= emptyAcc(e.started_at)), e);
    put('task_type', e.task_type, e);
    if (e.component) put('component', e.component, e);
    for (const d of new Set(e.domains)) put('domain', d, e);
    put('agent', e.agent, e);
    put('week', isoWeek(e.started_at), e);
    const seen = new Set<string>();
    for (const msg of e.errors ?? []) {
      const fp = fingerprint(msg);
      if (seen.has(fp.id)) continue;
      seen.add(fp.id);
      const f = (p.fps[fp.id] ??= { t: fp.text, x: msg.split('\n')[0]!.slice(0, 300), h: [] });
      f.h.push([e.started_at, e.id, e.component ?? '']);
    }
    for (const item of new Set(e.reused ?? [])) p.reuse[item] = (p.reuse[item] ?? 0) + 1;
  }
  return p;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Finishes the aggregates from partials (any grouping of the rows gives the same result). */
export function mergeAggregates(parts: readonly AggPartial[]): Aggregates {
  let rows = 0;
  const kinds = dict<number>();
  const status = dict<Record<string, number>>();
  let all: Merging | undefined;
  const groups = Object.fromEntries(AGG_DIMS.map((d) => [d, new Map<string, Merging>()])) as Record<Dim, Map<string, Merging>>;
  const fps = new Map<string, Array<AggPartial['fps'][string]>>();
  const reuse = new Map<string, number>();
  for (const p of parts) {
    rows += p.rows;
    for (const [k, n] of Object.entries(p.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
    for (const [k, m] of Object.entries(p.status)) for (const [s, n] of Object.entries(m)) (status[k] ??= dict())[s] = (status[k]![s] ?? 0) + n;
    if (p.all) all = mergeAcc(all, p.all);
    for (const dim of AGG_DIMS) {
      const g = groups[dim];
      for (const [k, acc] of Object.entries(p.groups[dim])) g.set(k, mergeAcc(g.get(k), acc));
    }
    for (const [id, f] of Object.entries(p.fps)) {
      const list = fps.get(id);
      if (list) list.push(f);
      else fps.set(id, [f]);
    }
    for (const [item, n] of Object.entries(p.reuse)) reuse.set(item, (reuse.get(item) ?? 0) + n);
  }
  const byHit = (a: [string, string, string], b: [string, string, string]) => cmp(a[0], b[0]) || cmp(a[1], b[1]);
  const errors: ErrorFingerprint[] = [...fps.entries()]
    .map(([id, list]) => {
      // The example is the earliest hit's message: the first hit of the partial that holds it.
      const first = list.reduce((x, y) => (byHit(y.h[0]!, x.h[0]!) < 0 ? y : x));
      const hits = list.flatMap((f) => f.h).sort(byHit);
      return {
        id,
        text: first.t,
        count: hits.length,
        example: first.x,
        executions: hits.map((h) => h[1]),
        components: [...new Set(hits.map((h) => h[2]).filter(Boolean))].sort(),
        first: hits[0]![0],
        last: hits[hits.length - 1]![0],
      };
    })
    .sort((a, b) => b.count - a.count || cmp(a.id, b.id));
  const finish = (g: Map<string, Merging>) => dict([...g.keys()].sort().map((k) => [k, finishAcc(g.get(k)!.acc, g.get(k)!.parts)] as const));
  return {
    version: 1,
    totals: {
      records: rows,
      by_kind: sortedDict(kinds),
      by_status: sortedDict(dict(Object.entries(status).map(([k, v]) => [k, sortedDict(v)] as const))),
      executions: all ? finishAcc(all.acc, all.parts) : null,
    },
    by_task_type: finish(groups.task_type),
    by_component: finish(groups.component),
    by_domain: finish(groups.domain),
    by_agent: finish(groups.agent),
    by_week: finish(groups.week),
    errors,
    reuse: [...reuse.entries()].map(([item, count]) => ({ item, count })).sort((a, b) => b.count - a.count || cmp(a.item, b.item)),
  };
}

/** Computes the aggregates of a records table (rows in any order). */
export function computeAggregates(rows: readonly RecordRow[]): Aggregates {
  return mergeAggregates([aggregatePartial(rows)]);
}
