/**
 * Aggregates: per task type, component, domain, agent and ISO week — counts, outcomes, score
 * means, durations, errors and reuse — plus error fingerprints and reuse counts over all
 * executions. Pure and deterministic (sorted keys, rounded numbers, no wall-clock values).
 */
import { fingerprint } from '../learn/fingerprint.js';
import type { ExecutionRecord } from '../records/kinds.js';
import type { RecordRow } from './table.js';

/** Statistics for one group of executions. */
export interface GroupStats {
  count: number;
  outcomes: { success: number; partial: number; failure: number };
  /** Mean of each score and of `overall`, rounded to 2 decimals. */
  scores: { accuracy: number; efficiency: number; reusability: number; surprise: number; overall: number };
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

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Statistics of a group of executions (empty input gives null). */
export function groupStats(list: readonly ExecutionRecord[]): GroupStats | null {
  if (!list.length) return null;
  const outcomes = { success: 0, partial: 0, failure: 0 };
  const sums = { accuracy: 0, efficiency: 0, reusability: 0, surprise: 0, overall: 0 };
  // A typed array sorts numerically without a comparator call per pair.
  const durations = new Float64Array(list.length);
  let withErrors = 0;
  let withReuse = 0;
  let first = list[0]!.started_at;
  let last = first;
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    outcomes[e.outcome] += 1;
    sums.accuracy += e.scores.accuracy;
    sums.efficiency += e.scores.efficiency;
    sums.reusability += e.scores.reusability;
    sums.surprise += e.scores.surprise;
    sums.overall += e.overall;
    durations[i] = e.duration_s;
    if (e.errors?.length) withErrors += 1;
    if (e.reused?.length) withReuse += 1;
    if (e.started_at < first) first = e.started_at;
    if (e.started_at > last) last = e.started_at;
  }
  const n = list.length;
  durations.sort();
  let total = 0;
  for (let i = 0; i < n; i++) total += durations[i]!;
  const sorted = durations as unknown as number[];
  return {
    count: n,
    outcomes,
    scores: { accuracy: r2(sums.accuracy / n), efficiency: r2(sums.efficiency / n), reusability: r2(sums.reusability / n), surprise: r2(sums.surprise / n), overall: r2(sums.overall / n) },
    duration_s: { mean: r2(total / n), median: r2(quantile(sorted, 0.5)), p90: r2(quantile(sorted, 0.9)), total: r2(total) },
    with_errors: withErrors,
    with_reuse: withReuse,
    reuse_rate: r2(withReuse / n),
    first,
    last,
  };
}

/** Groups executions by one or more keys each (a key listed twice counts once), keys sorted. */
function groupBy(list: readonly ExecutionRecord[], keys: (e: ExecutionRecord) => readonly string[] | string | undefined): Record<string, GroupStats> {
  const groups = new Map<string, ExecutionRecord[]>();
  const put = (k: string, e: ExecutionRecord) => {
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [e]);
    else if (g[g.length - 1] !== e) g.push(e);
  };
  for (const e of list) {
    const k = keys(e);
    if (k === undefined) continue;
    if (typeof k === 'string') put(k, e);
    else for (const x of k) put(x, e);
  }
  const out: Record<string, GroupStats> = {};
  for (const k of [...groups.keys()].sort()) out[k] = groupStats(groups.get(k)!)!;
  return out;
}

/** Computes the aggregates of a records table (rows in any order). */
export function computeAggregates(rows: readonly RecordRow[]): Aggregates {
  const executions = rows
    .filter((r) => r.data.kind === 'execution')
    .map((r) => r.data as ExecutionRecord)
    .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byKind: Record<string, number> = {};
  const byStatus: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    const status = (r.data as { status?: unknown }).status;
    if (typeof status === 'string') {
      const s = (byStatus[r.kind] ??= {});
      s[status] = (s[status] ?? 0) + 1;
    }
  }
  const sortObj = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
  const fps = new Map<string, ErrorFingerprint>();
  const reuse = new Map<string, number>();
  for (const e of executions) {
    const seen = new Set<string>();
    for (const msg of e.errors ?? []) {
      const fp = fingerprint(msg);
      if (seen.has(fp.id)) continue;
      seen.add(fp.id);
      let agg = fps.get(fp.id);
      if (!agg) {
        agg = { id: fp.id, text: fp.text, count: 0, example: msg.split('\n')[0]!.slice(0, 300), executions: [], components: [], first: e.started_at, last: e.started_at };
        fps.set(fp.id, agg);
      }
      agg.count += 1;
      agg.executions.push(e.id);
      if (e.component && !agg.components.includes(e.component)) agg.components.push(e.component);
      agg.last = e.started_at;
    }
    for (const item of new Set(e.reused ?? [])) reuse.set(item, (reuse.get(item) ?? 0) + 1);
  }
  const errors = [...fps.values()]
    .map((f) => ({ ...f, components: f.components.sort() }))
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: 1,
    totals: { records: rows.length, by_kind: sortObj(byKind), by_status: sortObj(Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [k, sortObj(v)]))), executions: groupStats(executions) },
    by_task_type: groupBy(executions, (e) => e.task_type),
    by_component: groupBy(executions, (e) => e.component || undefined),
    by_domain: groupBy(executions, (e) => e.domains),
    by_agent: groupBy(executions, (e) => e.agent),
    by_week: groupBy(executions, (e) => isoWeek(e.started_at)),
    errors,
    reuse: [...reuse.entries()].map(([item, count]) => ({ item, count })).sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)),
  };
}
