/**
 * Derived knowledge in recall and in explanations: patterns, themes and effects found in the
 * history are answered like committed records (marked derived), a question for a kind that has
 * nothing of that kind says so, and a root-cause stub cites the derived failure pattern and the
 * error its similar failures share. Real Git repositories, the real build and recall store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanupTemp, git, runCli, tempRepo } from '../helpers/repo.js';
import { controlHistory, makeExecution, plantedHours, scoresFor } from '../../tools/examples/generate-history.js';
import { recordPath, type AnyRecord } from '../../scripts/core/records/kinds.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { buildReflection } from '../../scripts/core/learn/reflection.js';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import type { RecordRow } from '../../scripts/core/records/table.js';

afterAll(cleanupTemp);

function repoWith(records: AnyRecord[]): string {
  const dir = tempRepo();
  for (const r of records) {
    const abs = join(dir, 'learning-loop', recordPath(r));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, renderRecord(r));
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'history');
  return dir;
}

// Booking-form work on the Square SDK fails; soft-palette UI work succeeds.
const failing = Array.from({ length: 6 }, (_, i) =>
  makeExecution(`ex-bk-${i}`, plantedHours(200, i), {
    component: 'booking-form',
    outcome: 'failure',
    scores: scoresFor(40),
    pre: { dependencies: ['square-sdk'] },
    errors: [`Slot ${i} shifted by 7 hours`],
  }),
);
const winning = Array.from({ length: 6 }, (_, i) =>
  makeExecution(`ex-ui-${i}`, plantedHours(260, i), { component: 'hero-banner', domains: ['ui'], reused: ['tpl-soft-palette'], scores: scoresFor(92) }),
);

describe('derived knowledge', () => {
  it('answers pattern questions from the history, marked derived', { timeout: 120_000 }, async () => {
    const dir = repoWith([...controlHistory(60), ...failing, ...winning]);
    expect((await runCli(dir, ['build'])).code).toBe(0);
    const failures = JSON.parse((await runCli(dir, ['recall', 'show all failure patterns', '--json'])).stdout);
    const f = failures.insights.find((i: { id: string }) => i.id.startsWith('pat-failure-'));
    expect(f).toMatchObject({ kind: 'pattern', derived: true });
    expect(f.what).toContain('booking-form');
    const ui = JSON.parse((await runCli(dir, ['recall', 'Show me all UI patterns that worked', '--json'])).stdout);
    expect(ui.insights.length).toBeGreaterThan(0);
    expect(ui.insights.every((i: { kind: string }) => i.kind === 'pattern')).toBe(true);
    expect(ui.insights[0]).toMatchObject({ derived: true });
    expect(ui.insights[0].what).toMatch(/tpl-soft-palette|hero-banner/);
    const text = (await runCli(dir, ['recall', 'what failed on the booking form?'])).stdout;
    expect(text).toMatch(/\(derived from the history\)/);
    // `explain` names the derived patterns an execution is evidence of.
    expect((await runCli(dir, ['explain', 'ex-bk-0'])).stdout).toMatch(/failure pattern \(derived from the history\) pat-failure-/);
  });

  it('run shows derived patterns but records only committed ids in `recalled`', { timeout: 120_000 }, async () => {
    const dir = repoWith([...controlHistory(60), ...failing, ...winning]);
    expect((await runCli(dir, ['build'])).code).toBe(0);
    const sim = JSON.parse((await runCli(dir, ['similar', '--task-type', 'component', '--component', 'booking-form', '--json'])).stdout);
    const derivedIds = sim.guidance.filter((g: { derived?: boolean }) => g.derived).map((g: { id: string }) => g.id);
    expect(derivedIds.length).toBeGreaterThan(0);
    const r = await runCli(dir, ['run', '--task-type', 'component', '--component', 'booking-form', '--json', '--', process.execPath, '-e', '0']);
    const out = JSON.parse(r.stdout);
    expect(r.code, r.stdout).toBe(0);
    expect(out.recalled.length).toBeGreaterThan(0);
    for (const id of derivedIds) expect(out.recalled).not.toContain(id);
  });

  it('says so when nothing of the kind asked for matches, and shows what it found, labelled', { timeout: 120_000 }, async () => {
    const dir = repoWith([...controlHistory(30)]);
    const r = JSON.parse((await runCli(dir, ['recall', 'templates for the gallery', '--json'])).stdout);
    expect(r.fallback.message).toMatch(/^There are no templates in the knowledge base; the best matches of other kinds follow/);
    expect(r.insights.every((i: { kind: string }) => i.kind !== 'template')).toBe(true);
  });

  it('a root-cause stub cites the derived failure pattern and the error its similar failures share', () => {
    const history = [...controlHistory(60), ...failing.slice(0, 5)];
    const rows: RecordRow[] = history.map((e) => ({ id: e.id, kind: 'execution', file: `learning-loop/${recordPath(e)}`, data: e, body: '' }));
    const now = makeExecution('ex-bk-now', plantedHours(400, 0), {
      component: 'booking-form',
      outcome: 'failure',
      scores: scoresFor(40),
      pre: { dependencies: ['square-sdk'] },
      errors: ['TypeError: slots is undefined'],
    });
    const built = buildReflection(now, rows, structuredClone(DEFAULT_CONFIG))!;
    expect(built.body).toMatch(/Matching failure pattern `pat-failure-[^`]+` \(derived from the history\): Executions with component=booking-form/);
    expect(built.body).toMatch(/Recurring error among the similar failures \(5×\): "slot <n> shifted by <n> hours"/);
    expect(built.body).not.toContain('No known pattern matches this execution');
    expect(built.record.evidence!.patterns).toBeUndefined(); // links name committed records only
  });
});
