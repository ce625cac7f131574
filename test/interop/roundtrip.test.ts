import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTemp);

const ID = 'rule-use-idempotency-keys-for-square-payments';

function targets(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md']) out[f] = readFileSync(join(dir, f), 'utf8');
  for (const d of ['.claude/rules', '.cursor/rules']) {
    if (!existsSync(join(dir, d))) continue;
    for (const f of readdirSync(join(dir, d))) out[`${d}/${f}`] = readFileSync(join(dir, d, f), 'utf8');
  }
  return out;
}

describe('round trip on the example knowledge base', () => {
  it('accept -> exported everywhere with its id; reject -> gone; hand-written text untouched', async () => {
    const hand = '# Reiki Goddess Healing\n\nHand-written guidance stays.\n';
    const dir = tempRepo({ 'AGENTS.md': hand, '.github/copilot-instructions.md': hand });
    cpSync(join(REPO_ROOT, 'learning-loop'), join(dir, 'learning-loop'), { recursive: true });

    const before = await runCli(dir, ['export', '--to', 'all', '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).exported).not.toContain(ID);
    expect(JSON.stringify(targets(dir))).not.toContain('rule-inline-all-component-css'); // rejected in the example

    expect((await runCli(dir, ['accept', ID, '--reason', 'seen in three payment tasks'])).code).toBe(0);
    expect((await runCli(dir, ['export', '--to', 'all'])).code).toBe(0);
    const after = targets(dir);
    expect(after['AGENTS.md']).toContain(`[${ID}`);
    expect(after['AGENTS.md']!.startsWith(hand)).toBe(true);
    expect(after['CLAUDE.md']).toContain('@AGENTS.md');
    expect(after['.github/copilot-instructions.md']).toContain(`[${ID}`);
    expect(after['.github/copilot-instructions.md']!.startsWith(hand)).toBe(true);
    // Scoped by components: Claude rule file and Cursor rule both carry it.
    expect(Object.entries(after).filter(([f, t]) => f.startsWith('.claude/rules/') && t.includes(`[${ID}`))).toHaveLength(1);
    expect(Object.entries(after).filter(([f, t]) => f.startsWith('.cursor/rules/') && t.includes(`[${ID}`))).toHaveLength(1);
    expect((await runCli(dir, ['export', '--to', 'all', '--check'])).code).toBe(0);

    expect((await runCli(dir, ['reject', ID, '--reason', 'superseded'])).code).toBe(0);
    expect((await runCli(dir, ['export', '--to', 'all', '--check'])).code).toBe(1);
    expect((await runCli(dir, ['export', '--to', 'all'])).code).toBe(0);
    const gone = targets(dir);
    expect(JSON.stringify(gone)).not.toContain(ID);
    expect(gone['AGENTS.md']!.startsWith(hand)).toBe(true);
    expect(gone['.github/copilot-instructions.md']!.startsWith(hand)).toBe(true);
  });
});
