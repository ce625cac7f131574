/**
 * Cost per success: what an agent's successes cost, from the `usage.cost_usd` its executions
 * report. Only executions that report a cost count, on both sides of the division: dividing
 * the known cost by every success would understate the cost whenever some runs report none.
 */
import type { ExecutionRecord } from '../records/kinds.js';

/** An agent's cost figures. */
export interface AgentCost {
  /** Total `usage.cost_usd` of the executions that report one (null when none do). */
  cost_usd: number | null;
  /** Executions that report a cost. */
  with_cost: number;
  /** Successes among them. */
  successes_with_cost: number;
  /** cost_usd / successes_with_cost; null without cost data or without a success among them. */
  cost_per_success: number | null;
}

const round4 = (n: number): number => Math.round(n * 10000) / 10000;

/** Cost figures of a list of executions (one agent's, usually). */
export function agentCost(list: readonly Pick<ExecutionRecord, 'outcome' | 'usage'>[]): AgentCost {
  let cost = 0;
  let withCost = 0;
  let successes = 0;
  for (const e of list) {
    const c = e.usage?.cost_usd;
    if (typeof c !== 'number') continue;
    cost += c;
    withCost += 1;
    if (e.outcome === 'success') successes += 1;
  }
  if (!withCost) return { cost_usd: null, with_cost: 0, successes_with_cost: 0, cost_per_success: null };
  return { cost_usd: round4(cost), with_cost: withCost, successes_with_cost: successes, cost_per_success: successes ? round4(cost / successes) : null };
}

/** One line about an agent's cost per success, e.g. `$0.42 per success (12 of 20 runs report a cost)`. */
export function describeCost(c: AgentCost, executions: number): string {
  if (c.cost_usd === null) return 'no cost data';
  const cover = `${c.with_cost} of ${executions} run${executions === 1 ? '' : 's'} report${c.with_cost === 1 ? 's' : ''} a cost`;
  if (c.cost_per_success === null) return `no success among the runs with a cost ($${c.cost_usd} spent; ${cover})`;
  return `$${c.cost_per_success} per success (${cover})`;
}
