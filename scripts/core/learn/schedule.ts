/**
 * Synthesis schedule decided in code (cron cannot say "last Friday of the month"). Dates are
 * UTC. The config's `synthesis_schedule` is `weekly: "<day>_<HH:MM>"`, `monthly: "last|first_<day>"`.
 */
import type { ResolvedConfig } from '../config.js';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function asDate(date: Date | string): Date {
  return typeof date === 'string' ? new Date(date.length === 10 ? `${date}T12:00:00Z` : date) : date;
}

/** True when `date` (UTC) is the last Friday of its month. */
export function isLastFridayOfMonth(date: Date | string): boolean {
  const d = asDate(date);
  return d.getUTCDay() === 5 && new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 7)).getUTCMonth() !== d.getUTCMonth();
}

/** True when the monthly synthesis should run on `date` (config `monthly`, default last_friday). */
export function shouldRunMonthly(date: Date | string, config: ResolvedConfig): boolean {
  const d = asDate(date);
  const m = /^(last|first)_(\w+)$/.exec(config.schedule.monthly);
  if (!m) return isLastFridayOfMonth(d);
  if (d.getUTCDay() !== DAYS.indexOf(m[2]!)) return false;
  const shifted = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (m[1] === 'last' ? 7 : -7)));
  return shifted.getUTCMonth() !== d.getUTCMonth();
}

/**
 * True when the weekly synthesis should run on `date` (config `weekly`, default sunday_23:00):
 * the weekday matches. The hour is the workflow's cron; it is not checked here so a delayed
 * scheduled run still counts.
 */
export function shouldRunWeekly(date: Date | string, config: ResolvedConfig): boolean {
  const d = asDate(date);
  const m = /^(\w+)_\d{2}:\d{2}$/.exec(config.schedule.weekly);
  return d.getUTCDay() === DAYS.indexOf(m ? m[1]! : 'sunday');
}
