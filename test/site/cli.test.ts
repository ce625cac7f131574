/** `learning-loop site` usage errors (no site build needed). */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo } from '../helpers/repo.js';
import { normalizeBase } from '../../scripts/agents/publish/site.js';

afterAll(() => cleanupTemp());

describe('site command', () => {
  it('refuses a base that is not a URL path (exit 2)', async () => {
    const repo = tempRepo({ 'learning-loop/rules/.keep': '' });
    for (const base of ['javascript:alert(1)', '/a/../b/', 'https://example.com/x/', '/a b/']) {
      const run = await runCli(repo, ['site', 'build', '--base', base]);
      expect(run.code, base).toBe(2);
      expect(run.stderr).toContain('is not a URL path');
      expect(run.stdout).toBe('');
    }
  });

  it('refuses a bad page cap (exit 2) and reports a missing knowledge base as kb/missing (exit 1)', async () => {
    const repo = tempRepo();
    expect((await runCli(repo, ['site', 'build', '--execution-pages', '-3'])).code).toBe(2);
    const run = await runCli(repo, ['site', 'build', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).diagnostics[0].rule).toBe('kb/missing');
  });

  it('preview without a built site says what to run (exit 2)', async () => {
    const repo = tempRepo({ 'learning-loop/rules/.keep': '' });
    const run = await runCli(repo, ['site', 'preview', '--port', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('learning-loop site build');
  });

  it('normalises base paths for GitHub Pages project sites', () => {
    expect(normalizeBase(undefined)).toBe('/');
    expect(normalizeBase('repo')).toBe('/repo/');
    expect(normalizeBase('/org/repo')).toBe('/org/repo/');
    expect(normalizeBase('//')).toBe('/');
  });
});
