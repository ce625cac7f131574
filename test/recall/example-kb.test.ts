/**
 * The seed's three questions on the shipped example knowledge base (`learning-loop/`), copied
 * into a temporary Git repository so the build folder never touches the working tree.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { recall } from '../../scripts/index/recall.js';

afterAll(cleanupTemp);

const example = join(REPO_ROOT, 'learning-loop');
const hasExample = existsSync(join(example, 'rules'));

describe.skipIf(!hasExample)('seed questions on the example knowledge base', () => {
  it('gives the obviously right answers', { timeout: 120_000 }, async () => {
    const dir = tempRepo();
    cpSync(example, join(dir, 'learning-loop'), { recursive: true });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'example');
    const ws = openWorkspace({ cwd: dir });

    const q1 = await recall(ws, 'What failed last time we tried booking component?');
    const ex1 = q1.insights.filter((i) => i.kind === 'execution');
    expect(ex1.length).toBeGreaterThan(0);
    expect(ex1.every((e) => e.component === 'booking-form' && e.outcome !== 'success')).toBe(true);
    expect(ex1.map((e) => e.date)).toEqual([...ex1.map((e) => e.date)].sort().reverse()); // latest first
    expect(q1.insights[0]!.kind).toBe('rule');
    expect(q1.insights[0]!.status).toBe('accepted');

    const q2 = await recall(ws, 'Show me all Reiki-specific UI patterns that worked');
    expect(q2.insights.length).toBeGreaterThan(0);
    expect(q2.insights.every((i) => i.kind === 'pattern' && i.status === 'accepted')).toBe(true);
    expect(q2.insights.some((i) => /soft colou?r palette/i.test(i.title))).toBe(true);

    const q3 = await recall(ws, 'Common Square API integration issues');
    expect(q3.insights.slice(0, 3).some((i) => /webhook signature/i.test(`${i.title} ${i.what} ${i.action ?? ''}`))).toBe(true);
    expect(q3.common_errors.length).toBeGreaterThan(0);
    expect(q3.insights.filter((i) => i.kind === 'execution').every((i) => i.outcome !== 'success')).toBe(true);
  });
});
