/** Issue 16: exported files change only when the guidance does; a skipped target says why. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo } from '../helpers/repo.js';
import { execution, kbFiles, rule } from '../interop/kb.js';

afterAll(cleanupTemp);

describe('export stays current while executions accumulate', () => {
  it('recording executions that recall an exported rule does not make export --check fail', async () => {
    const dir = tempRepo(kbFiles([rule('rule-tokens', 'Use design tokens, never raw hex colours.', { topic: 'styling' }), execution('ex-01', 'success', ['rule-tokens'])]), { commit: true });
    expect((await runCli(dir, ['export', '--to', 'all'])).code).toBe(0);
    const before = readFileSync(join(dir, 'AGENTS.md'), 'utf8');
    expect(before).toContain('[rule-tokens]');
    expect(before).not.toMatch(/helpful|harmful/);
    for (const outcome of ['success', 'failure', 'success']) {
      const r = await runCli(dir, ['record', '--task-id', `T-${outcome}`, '--task-type', 'component', '--agent', 'a', '--outcome', outcome, '--duration', '60', '--recalled', 'rule-tokens']);
      expect(r.code, r.stderr).toBe(0);
    }
    const check = await runCli(dir, ['export', '--to', 'all', '--check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe(before);
  });

  it('export --to all says why .claude/rules gets nothing', async () => {
    const dir = tempRepo(kbFiles([rule('rule-tokens', 'Use design tokens, never raw hex colours.', { topic: 'styling' })]));
    const r = await runCli(dir, ['export', '--to', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'note  .claude/rules: nothing to write — only path-scoped rules (applies_to.paths or applies_to.components) go there; the 1 accepted rule without a scope reaches Claude through CLAUDE.md',
    );
    const j = JSON.parse((await runCli(dir, ['export', '--to', 'claude-rules', '--json'])).stdout);
    expect(j.notes).toHaveLength(1);
  });
});
