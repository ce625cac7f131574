/**
 * The success streak: how a consistently flawless kind of task becomes a template.
 *
 * The seed's mean of four scores cannot pass `high_performance` (90) for routine work: when
 * nothing unexpected happens surprise is 30, so even accuracy, efficiency and reusability at 100
 * give 82.5. Rather than bend the mean or the thresholds, a second, history-based rule fires
 * `extract_template` for the execution that completes a streak of `scoring.template_streak`
 * flawless executions (success, no errors, no failed checks) of the same task type and
 * component, when that kind of task has no template yet (proposed, accepted, rejected or
 * archived: a rejected template is never proposed again) and no execution of the streak
 * already asked for one. Pure: plain data in, a decision out.
 */

/** What the streak rule reads of an execution. */
export interface StreakExecution {
  id: string;
  task_type: string;
  component?: string;
  started_at: string;
  outcome: string;
  errors?: readonly string[];
  checks?: { failed?: number };
  trigger?: string | null;
}

/** What the streak rule reads of a template. */
export interface StreakTemplate {
  task_type?: string;
  component?: string;
}

/** The reason a reflection gives when the streak fired (the seed's reasons are score-based). */
export function streakReason(n: number, e: Pick<StreakExecution, 'task_type' | 'component'>): string {
  return `Consistent success - ${n} flawless ${kindLabel(e)} ${n === 1 ? 'execution' : 'executions in a row'}; extract as best practice`;
}

/** `task_type` or `task_type/component`. */
export function kindLabel(e: Pick<StreakExecution, 'task_type' | 'component'>): string {
  return e.component ? `${e.task_type}/${e.component}` : e.task_type;
}

/** Flawless: a success that reported no error and no failed check. */
export function isFlawless(e: StreakExecution): boolean {
  return e.outcome === 'success' && !e.errors?.length && !e.checks?.failed;
}

const sameKind = (a: Pick<StreakExecution, 'task_type' | 'component'>, b: Pick<StreakExecution, 'task_type' | 'component'>): boolean =>
  a.task_type === b.task_type && (a.component ?? '') === (b.component ?? '');

/**
 * The flawless executions of `e`'s kind that end with `e` (newest last; empty when `e` is not
 * flawless). Only executions that started before `e` count, as for the efficiency baseline.
 */
export function successStreak(history: readonly StreakExecution[], e: StreakExecution): StreakExecution[] {
  if (!isFlawless(e)) return [];
  const earlier = history
    .filter((x) => x.id !== e.id && sameKind(x, e) && x.started_at < e.started_at)
    .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : 1));
  const streak: StreakExecution[] = [e];
  for (let i = earlier.length - 1; i >= 0 && isFlawless(earlier[i]!); i -= 1) streak.unshift(earlier[i]!);
  return streak;
}

/**
 * Whether `e` completes a template streak of length `n` (0 turns the rule off). It fires once
 * per streak: on the n-th flawless execution exactly, never when the kind already has a template
 * or an execution of the streak already triggered `extract_template`.
 */
export function completesStreak(history: readonly StreakExecution[], templates: readonly StreakTemplate[], e: StreakExecution, n: number): boolean {
  if (n < 1) return false;
  const streak = successStreak(history, e);
  if (streak.length !== n) return false;
  if (streak.some((x) => x.trigger === 'extract_template')) return false;
  return !templates.some((t) => t.task_type === e.task_type && (t.component ?? '') === (e.component ?? ''));
}
