/**
 * Derived knowledge as recall answers it: a question for patterns that worked gets success
 * patterns only (an effect of memory is its own kind, a theme is a failure cause, and derived
 * knowledge without that outcome is left out, with a note when that leaves nothing); a derived id
 * can be explained (statement, evidence, figures) and has no path; a common-cause question ranks
 * the summaries of failures (themes, failure patterns) above the executions they come from, and
 * in a control history with no theme boosts nothing. Real Git repositories, the real build,
 * learning engine and recall store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli } from '../helpers/repo.js';
import { noise, repoWith } from './kb.js';
import { controlHistory, makeExecution, plantedHours, recallHistory, scoresFor } from '../../tools/examples/generate-history.js';
import type { AnyRecord, ReflectionRecord } from '../../scripts/core/records/kinds.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { openIndex } from '../../scripts/index/api.js';
import { parseIntent } from '../../scripts/core/recall/intent.js';
import { rank } from '../../scripts/core/recall/rank.js';
import { rowFromInsight } from '../../scripts/mcp/recall.js';
import { McpSession } from '../../scripts/mcp/server.js';
import { mulberry32 } from '../../tools/examples/prng.js';

afterAll(cleanupTemp);

/**
 * 36 executions on form components with a reflection each, saying random things (as in
 * themes.test.ts: failures and successes say the same kind of things); when `plant`, every
 * failure's reflection also says the agent was stuck in a loop (a recurring theme; no error says so, or the
 * error's pattern over the same executions would stand for the theme, see same-evidence.ts).
 */
function formsWork(plant: boolean): AnyRecord[] {
  const next = mulberry32(7);
  const out: AnyRecord[] = [];
  for (let i = 0; i < 36; i++) {
    const failure = i % 3 === 0;
    const id = `ex-fm-${String(i).padStart(2, '0')}`;
    const said = noise(next);
    const stuck = plant && failure;
    const e = makeExecution(id, plantedHours(2000, i), { component: `form-${i % 4}`, domains: ['forms'], outcome: failure ? 'failure' : 'success', scores: scoresFor(failure ? 40 : 74) });
    out.push(e);
    const cause = stuck ? `${said} I was stuck in a loop retrying the same form validation fix for ${10 + i} minutes.` : said;
    out.push({
      kind: 'reflection',
      id: `rf-fm-${String(i).padStart(2, '0')}`,
      created_at: e.started_at,
      reflection_type: failure ? 'root_cause_analysis' : 'template_extraction',
      executions: [id],
      root_cause: cause,
      status: 'done',
    } as ReflectionRecord);
  }
  return out;
}

// Hero-banner UI work that reuses a template succeeds (a success pattern in the ui domain).
const winning = Array.from({ length: 6 }, (_, i) =>
  makeExecution(`ex-ui-${i}`, plantedHours(260, i), { component: 'hero-banner', domains: ['ui'], reused: ['tpl-soft-palette'], scores: scoresFor(92) }),
);
// Some executions recall a rule: the effect of memory is measured (derived effect records).
const recalling = recallHistory({ effect: 3, strata: 4, perStratum: 6 });
const rule = { kind: 'rule', id: 'rule-planted', created_at: '2026-10-01T10:00:00Z', status: 'accepted', statement: 'Check the component props before wiring the form' } as AnyRecord;

interface JsonInsight {
  id: string;
  kind: string;
  path: string | null;
  outcome?: string;
  derived?: boolean;
  evidence?: string[];
  figures?: Record<string, unknown>;
}

async function ask(dir: string, question: string, limit = 8): Promise<{ insights: JsonInsight[]; fallback?: { message: string }; suggestions: string[]; code: number }> {
  const r = await runCli(dir, ['recall', question, '--json', '--limit', String(limit), '--max-tokens', '20000']);
  return { ...JSON.parse(r.stdout), code: r.code };
}

/** A summary of failures: a theme, failure, dependency or gotcha pattern. */
const isCauseSummary = (i: JsonInsight) => i.kind === 'pattern' && i.outcome === 'failure';

let planted: string;
let control: string;

beforeAll(async () => {
  planted = repoWith([...controlHistory(60), ...winning, ...formsWork(true), ...recalling, rule]);
  control = repoWith(formsWork(false));
  expect((await runCli(planted, ['build'])).code).toBe(0);
  expect((await runCli(control, ['build'])).code).toBe(0);
}, 180_000);

describe('derived knowledge in recall', () => {
  it('plants what the questions need: a theme, a success pattern in ui, effects of memory (and none of it in the control)', async () => {
    const p = JSON.parse((await runCli(planted, ['patterns', '--json'])).stdout);
    expect(p.theme_patterns.some((x: { definition: { theme: string } }) => /^stuck in a loop retrying the same form validation fix/i.test(x.definition.theme))).toBe(true);
    expect(p.success_patterns.some((x: { domain?: string }) => x.domain === 'ui')).toBe(true);
    const c = JSON.parse((await runCli(control, ['patterns', '--json'])).stdout);
    expect([...c.theme_patterns, ...c.failure_patterns, ...c.dependency_patterns]).toEqual([]);
  });

  it('"patterns that worked" answers success patterns only: no effect of memory, no failure theme', async () => {
    const a = await ask(planted, 'show me all patterns that worked', 25);
    expect(a.insights.length).toBeGreaterThan(0);
    expect(a.insights.map((i) => i.id).filter((id) => id.startsWith('effect-') || id.startsWith('pat-theme-'))).toEqual([]);
    for (const i of a.insights) expect(i, i.id).toMatchObject({ kind: 'pattern', outcome: 'success' });
    const ui = await ask(planted, 'Show me all UI patterns that worked');
    expect(ui.insights.map((i) => i.id)).toEqual([expect.stringMatching(/^pat-success-component-hero-banner/)]);
    // An effect of memory is its own kind, found when asked for.
    const effect = await ask(planted, 'what is the effect of memory on success?');
    expect(effect.insights[0]).toMatchObject({ kind: 'effect', derived: true, id: 'effect-recall-overall' });
  });

  it('says so in one line when only derived knowledge of the other outcome matches', async () => {
    // The only pattern about form validation is a failure theme: nothing of it "worked".
    const a = await ask(planted, 'show me all form validation patterns that worked');
    expect(a.fallback?.message).toBe('Nothing matched as patterns, successes; the best matches without that filter follow, each labelled with its kind.');
    expect(a.insights.every((i) => !(i.kind === 'pattern' && i.outcome === 'success'))).toBe(true);
    const text = (await runCli(planted, ['recall', 'show me all form validation patterns that worked'])).stdout;
    expect(text.split('\n').filter((l) => l.startsWith('Nothing matched as patterns'))).toHaveLength(1);
  });

  it('gives a derived item no path but its evidence, and `explain` explains it', async () => {
    const a = await ask(planted, 'stuck in a loop retrying the same form validation fix');
    const theme = a.insights.find((i) => i.id.startsWith('pat-theme-'))!;
    expect(theme).toMatchObject({ kind: 'pattern', derived: true, path: null, outcome: 'failure' });
    const failures = ['00', '03', '06', '09', '12', '15', '18', '21', '24', '27', '30', '33'].map((n) => `ex-fm-${n}`);
    expect(theme.evidence).toEqual(failures);
    expect(theme.figures).toMatchObject({ support: 12 });
    for (const i of a.insights.filter((x) => !x.derived)) expect(i.path).toMatch(/^learning-loop\//);

    const x = await runCli(planted, ['explain', theme.id, '--json']);
    expect(x.code, x.stderr).toBe(0);
    expect(JSON.parse(x.stdout)).toMatchObject({ id: theme.id, kind: 'pattern', derived: true, path: null, pattern_type: 'theme', evidence: failures, figures: { support: 12 } });
    expect(JSON.parse(x.stdout).statement).toMatch(/^"stuck in a loop retrying the same form validation fix.*" recurs in what 12 of 24/i);
    const text = (await runCli(planted, ['explain', theme.id])).stdout;
    expect(text).toMatch(/derived from the history/);
    expect(text).toMatch(/figures: support 12 · confidence [\d.]+ · lift [\d.]+/);
    expect(text).toContain(`evidence: 12 executions: ${failures.join(', ')}`);

    const e = JSON.parse((await runCli(planted, ['explain', 'effect-recall-overall', '--json'])).stdout);
    expect(e).toMatchObject({ kind: 'effect', derived: true, path: null, figures: { verdict: expect.any(String), helpful: expect.any(Number), harmful: expect.any(Number) } });
    expect(e.evidence.length).toBeGreaterThan(0);
    expect(e.evidence.every((id: string) => recalling.some((r) => r.id === id && r.recalled?.length))).toBe(true);
    // An id that is nothing is still a usage error.
    expect((await runCli(planted, ['explain', 'pat-theme-nothing'])).code).toBe(2);
  });

  it('marks derived rows for MCP and gives `similar` guidance no path when derived', async () => {
    const a = await ask(planted, 'show all failure patterns');
    const d = a.insights.find((i) => i.derived)!;
    expect(rowFromInsight(d as never)).toMatchObject({ id: d.id, derived: true });
    // `get` with a derived id explains it instead of listing it as missing.
    const got = (await new McpSession(openWorkspace({ cwd: planted })).get([d.id, 'pat-theme-nothing'], 4000)) as {
      records: unknown[];
      derived: Array<{ id: string; evidence: string[] }>;
      missing: string[];
    };
    expect(got.records).toEqual([]);
    expect(got.derived.map((x) => x.id)).toEqual([d.id]);
    expect(got.derived[0]!.evidence.length).toBeGreaterThan(0);
    expect(got.missing).toEqual(['pat-theme-nothing']);
    // `show` says where to look instead of guessing a record id.
    const shown = await runCli(planted, ['show', d.id]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain(`run \`learning-loop explain ${d.id}\``);
    const sim = JSON.parse((await runCli(planted, ['similar', '--task-type', 'component', '--component', 'form-0', '--json'])).stdout);
    for (const g of sim.guidance) expect(g.path === null).toBe(Boolean(g.derived));
  });

  it('ranks the summaries of failures first for a common-cause question', async () => {
    for (const q of ['why do we keep getting stuck in a loop?', 'why do we keep failing?', 'what keeps going wrong?', 'what are the recurring causes of failure?']) {
      const a = await ask(planted, q);
      expect(a.insights.length, q).toBeGreaterThan(0);
      expect(a.insights[0]!.id, q).toMatch(/^pat-theme-/);
      // Every summary of failures comes before any execution or reflection.
      const firstOther = a.insights.findIndex((i) => !isCauseSummary(i));
      const lastSummary = a.insights.map(isCauseSummary).lastIndexOf(true);
      expect(firstOther === -1 || lastSummary < firstOther, q).toBe(true);
    }
  });

  it('boosts nothing in a control history where no theme exists', async () => {
    const ws = openWorkspace({ cwd: control });
    const store = await openIndex(ws).store();
    for (const q of ['why do we keep failing?', 'what keeps going wrong?', 'what are the recurring causes of failure?']) {
      const intent = parseIntent(q, store.meta.vocab);
      expect(intent.causes, q).toBe(true);
      // Without a summary of failures the boost changes nothing: same hits, same scores, same order.
      expect(rank(store, intent).hits, q).toEqual(rank(store, { ...intent, causes: false }).hits);
      const a = await ask(control, q);
      expect(a.insights.length, q).toBeGreaterThan(0);
      for (const i of a.insights) expect(i, q).toMatchObject({ kind: expect.stringMatching(/^(execution|reflection)$/) });
      for (const i of a.insights.filter((x) => x.kind === 'execution')) expect(i.outcome, q).not.toBe('success');
    }
  });
});
