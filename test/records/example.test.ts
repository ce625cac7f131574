/**
 * The shipped example knowledge base: valid, reproducible from its seeded generator, and it
 * contains the stories the learning engine, dashboards and recall are expected to find.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo } from '../helpers/repo.js';
import { walkFiles } from '../../scripts/io/fs.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { loadTable } from '../../scripts/index/table.js';
import { executionsInOrder } from '../../scripts/core/records/table.js';
import { fingerprint } from '../../scripts/core/learn/fingerprint.js';
import { generateExample, STORIES } from '../../tools/examples/generate-example.js';

afterAll(cleanupTemp);

const KB = join(REPO_ROOT, 'learning-loop');
const START = Date.UTC(2026, 9, 5);
const weekOf = (iso: string) => Math.floor((Date.parse(iso) - START) / (7 * 86_400_000));

describe('the shipped example knowledge base', () => {
  const table = loadTable(openWorkspace({ cwd: REPO_ROOT }));
  const ex = executionsInOrder(table);

  it('validates with no errors and no warnings', async () => {
    const run = await runCli(REPO_ROOT, ['validate', '--strict', '--json']);
    expect(run.code, run.stdout.slice(0, 2000)).toBe(0);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ error: 0, warning: 0 });
    expect(ex.length).toBeGreaterThanOrEqual(150);
    expect(ex.length).toBeLessThanOrEqual(250);
  });

  it('is reproduced byte for byte by its seeded generator', async () => {
    const out = join(tempRepo(), 'learning-loop');
    await generateExample(out);
    const want = walkFiles(KB);
    expect(walkFiles(out)).toEqual(want);
    for (const f of want) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(KB, f), 'utf8'));
  });

  it('plants the booking timezone story: one fingerprint 4+ times, then the rule, then success', () => {
    const booking = ex.filter((e) => e.component === 'booking-form');
    const failing = booking.filter((e) => e.outcome !== 'success');
    const fps = new Set(failing.flatMap((e) => e.errors ?? []).map((m) => fingerprint(m).id));
    expect(failing.length).toBeGreaterThanOrEqual(4);
    expect(fps.size).toBe(1);
    const rule = table.rows.find((r) => r.id === STORIES.timezoneRule)!.data as { status: string; review: { decided_at: string } };
    expect(rule.status).toBe('accepted');
    const after = booking.filter((e) => e.started_at > rule.review.decided_at);
    expect(after.length).toBeGreaterThan(3);
    expect(after.every((e) => e.outcome === 'success')).toBe(true);
    expect(failing.every((e) => e.started_at < rule.review.decided_at)).toBe(true);
  });

  it('plants reuse, trend, best agent, content bloat and square_api surprise', () => {
    const byWeek = (w: number) => ex.filter((e) => weekOf(e.started_at) === w);
    const reuse = (w: number) => byWeek(w).filter((e) => (e.reused ?? []).length).length / byWeek(w).length;
    expect(reuse(3) - reuse(0)).toBeGreaterThanOrEqual(0.2);
    const means = [0, 1, 2, 3, 4, 5].map((w) => byWeek(w).reduce((s, e) => s + e.overall, 0) / byWeek(w).length);
    for (let w = 1; w < means.length; w += 1) expect(means[w]!).toBeGreaterThan(means[w - 1]!);
    const agentMean = (a: string) => {
      const l = ex.filter((e) => e.agent === a);
      return l.reduce((s, e) => s + e.overall, 0) / l.length;
    };
    const others = [...new Set(ex.map((e) => e.agent))].filter((a) => a !== STORIES.bestAgent).map(agentMean);
    expect(agentMean(STORIES.bestAgent)).toBeGreaterThan(Math.max(...others) + 4);
    const content = ex.filter((e) => e.task_type === 'content').map((e) => e.duration_s);
    for (let i = 1; i < content.length; i += 1) expect(content[i]!).toBeGreaterThan(content[i - 1]!);
    expect(ex.filter((e) => (e.domains ?? []).includes('square_api') && (e.scores.surprise ?? 0) > 70).length).toBeGreaterThanOrEqual(3);
    const webhook = ex.filter((e) => e.component === 'square-webhook');
    expect(webhook.slice(0, 3).every((e) => e.outcome === 'failure')).toBe(true);
    expect(webhook.filter((e) => (e.reused ?? []).includes(STORIES.webhookTemplate)).every((e) => e.outcome === 'success')).toBe(true);
  });
});
