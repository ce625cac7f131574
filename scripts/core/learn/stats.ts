/**
 * Small statistics helpers shared by patterns, monitors and the dashboard. Pure.
 */
import { createHash } from 'node:crypto';
import type { ExecutionRecord } from '../records/kinds.js';
import type { RateWithInterval } from './types.js';

/** Rounds to `d` decimals (stable JSON). */
export function round(n: number, d = 3): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

/** Mean of a list (NaN for an empty list; callers check). */
export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Short stable hash of a string (hex). */
export function shortHash(text: string, n = 6): string {
  return createHash('sha1').update(text).digest('hex').slice(0, n);
}

/**
 * Wilson score interval (95%) for `k` successes in `n` trials: honest for small samples,
 * where the plain k/n would claim 100% from 2 of 2.
 */
export function wilson(k: number, n: number, z = 1.96): RateWithInterval {
  if (n === 0) return { rate: null, low: null, high: null, n: 0 };
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { rate: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)), n };
}

/** Monday (UTC, YYYY-MM-DD) of the week containing an ISO time or date. */
export function weekStart(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Executions sorted by (started_at, id). */
export function byTime(executions: readonly ExecutionRecord[]): ExecutionRecord[] {
  return [...executions].sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The newest `n` ids of a list of executions already in time order, sorted. */
export function evidenceIds(executions: readonly ExecutionRecord[], n = 50): string[] {
  return executions
    .slice(-n)
    .map((e) => e.id)
    .sort();
}

/** Milliseconds of an ISO time. */
export function ms(iso: string): number {
  return new Date(iso).getTime();
}

/** True for a reused item that names a template, component or rule (anything non-empty). */
export function reusedAnything(e: ExecutionRecord): boolean {
  return (e.reused?.length ?? 0) > 0;
}
