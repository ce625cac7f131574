import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo, writeFiles } from '../helpers/repo.js';
import { kbFiles, rule } from './kb.js';
import { parseFrontmatter } from '../../scripts/core/records/parse.js';
import { jaccard, tokenSet } from '../../scripts/core/import/plan.js';

afterAll(cleanupTemp);

const FIXTURES = join(REPO_ROOT, 'test/fixtures/import');

interface Imported {
  id: string;
  kind: string;
  path: string;
  source: string;
}

/** A repo with an empty knowledge base and a copy of one fixture under `src/`. */
function repoWith(format: string, extra: Record<string, string> = {}): string {
  const dir = tempRepo({ 'learning-loop/rules/.gitkeep': '', ...extra });
  cpSync(join(FIXTURES, format), join(dir, 'src'), { recursive: true });
  return dir;
}

// kinds expected per format, in import order (the fixtures are realistic examples of each tool's files).
const CASES: Array<[string, Record<string, number>, string]> = [
  ['claude-memory', { rule: 4, assumption: 2 }, 'Run the booking form tests before changing anything in the Square checkout flow'],
  ['cline', { assumption: 9, rule: 3, pattern: 4 }, 'Square webhooks arrive before the redirect completes; never assume the order is confirmed on redirect.'],
  ['agents-md', { rule: 5 }, 'Use the design tokens from `src/styles/tokens.ts` instead of raw hex colours. Tokens change seasonally.'],
  ['cursor', { rule: 3 }, 'Validate the deposit amount on the server, never only in the browser.'],
  ['learnings', { rule: 2, pattern: 1 }, 'Square amounts are integers in the smallest currency unit, not decimals'],
  ['solutions', { pattern: 2 }, 'Square webhook signature fails after JSON parsing: The body was parsed and re-serialised before the HMAC check'],
];

describe('import', () => {
  it.each(CASES)('%s: fixtures become valid proposed records with provenance; re-import adds nothing', async (format, kinds, statement) => {
    const dir = repoWith(format);
    const run = await runCli(dir, ['import', format, 'src', '--json']);
    expect(run.code, run.stdout).toBe(0);
    const out = JSON.parse(run.stdout);
    const counts: Record<string, number> = {};
    for (const r of out.imported as Imported[]) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    expect(counts).toEqual(kinds);
    const records = (out.imported as Imported[]).map((r) => ({ r, parsed: parseFrontmatter(r.path, readFileSync(join(dir, r.path), 'utf8')).data! }));
    for (const { r, parsed } of records) {
      expect(parsed.status).toBe('proposed');
      expect(parsed.provenance).toMatchObject({ format, source: expect.stringMatching(/^src\/.+:\d+$/), digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(r.source).toBe((parsed.provenance as { source: string }).source);
    }
    expect(records.map((x) => x.parsed.statement)).toContain(statement);
    // Everything written passes validation.
    const validate = await runCli(dir, ['validate', '--json']);
    expect(JSON.parse(validate.stdout).summary.error).toBe(0);
    // Same source again: stable ids, no duplicates.
    const again = JSON.parse((await runCli(dir, ['import', format, 'src', '--json'])).stdout);
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toBe(out.imported.length);
  });

  it('maps formats faithfully: Cursor globs become applies_to.paths, .learnings files become about, generated blocks are skipped', async () => {
    const cursor = repoWith('cursor');
    const c = JSON.parse((await runCli(cursor, ['import', 'cursor', 'src', '--json'])).stdout);
    const deposit = c.imported.find((r: Imported) => r.source.endsWith('01-booking.mdc:7'));
    const data = parseFrontmatter('x', readFileSync(join(cursor, deposit.path), 'utf8')).data!;
    expect(data.applies_to).toEqual({ paths: ['src/components/booking/**', 'src/lib/square/**'] });
    expect(data.topic).toBe('booking');

    const learn = repoWith('learnings');
    const l = JSON.parse((await runCli(learn, ['import', 'learnings', 'src', '--json'])).stdout);
    const err = l.imported.find((r: Imported) => r.kind === 'pattern');
    const pat = parseFrontmatter('x', readFileSync(join(learn, err.path), 'utf8')).data!;
    expect(pat).toMatchObject({ pattern_type: 'failure', category: 'integration-gotcha', about: ['src/pages/api/square-webhook.ts'] });

    const agents = repoWith('agents-md');
    const a = JSON.parse((await runCli(agents, ['import', 'agents-md', 'src', '--json'])).stdout);
    const texts = a.imported.map((r: Imported) => readFileSync(join(agents, r.path), 'utf8')).join('\n');
    expect(texts).not.toContain('Generated lines are not imported again');
    expect(texts).not.toContain('npm ci');
  });

  it('reports near-duplicates of existing learnings for merging instead of writing them', async () => {
    const dir = repoWith('agents-md', kbFiles([rule('rule-tests-first', 'Run npm test before every commit!', { status: 'accepted' })]));
    const out = JSON.parse((await runCli(dir, ['import', 'agents-md', 'src/AGENTS.md', '--json'])).stdout);
    expect(out.near_duplicates).toBe(1);
    const d = out.diagnostics.find((x: { rule: string }) => x.rule === 'import/near-duplicate');
    expect(d).toMatchObject({ file: 'src/AGENTS.md', line: 18, severity: 'warning' });
    expect(d.message).toContain('rule-tests-first');
    expect(out.imported).toHaveLength(3);
    expect(jaccard(tokenSet('Run `npm test` before every commit.'), tokenSet('Run npm test before every commit!'))).toBe(1);
    expect(jaccard(tokenSet('Use tokens for colours'), tokenSet('Run npm test before every commit'))).toBe(0);
  });

  it('reports malformed files, secrets and huge files with positions and imports the rest', async () => {
    const dir = tempRepo({
      'learning-loop/config/triggers.yaml': 'build:\n  max_file_bytes: 2048\n',
      'mem/.cursor/rules/01-ok.mdc': '---\ndescription: ok\nalwaysApply: true\n---\n\n- Keep components small.\n',
      'mem/.cursor/rules/02-broken.mdc': '---\ndescription: [unclosed\nglobs: x\n---\n\n- Never imported.\n',
      'mem/.cursor/rules/03-secret.mdc': `---\ndescription: secrets\nalwaysApply: true\n---\n\n- Safe rule about caching pages.\n- Deploy with token ghp_${'a'.repeat(36)} for the mirror.\n`,
      'mem/.cursor/rules/04-huge.mdc': `---\ndescription: huge\n---\n\n${'- filler line that repeats\n'.repeat(200)}`,
    });
    const run = await runCli(dir, ['import', 'cursor', 'mem', '--json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    const where = out.diagnostics.map((d: { rule: string; file: string; line?: number; column?: number }) => `${d.rule} ${d.file}:${d.line}:${d.column}`);
    expect(where).toEqual([
      'import/format mem/.cursor/rules/02-broken.mdc:2:14', // where the unclosed `[` opens
      'secret/detected mem/.cursor/rules/03-secret.mdc:7:21',
      'file/too-large mem/.cursor/rules/04-huge.mdc:1:1',
    ]);
    expect(out.imported.map((r: Imported) => r.source)).toEqual(['mem/.cursor/rules/01-ok.mdc:6', 'mem/.cursor/rules/03-secret.mdc:6']);
    expect(out.skipped_secrets).toBe(1);
    const all = out.imported.map((r: Imported) => readFileSync(join(dir, r.path), 'utf8')).join('');
    expect(all).not.toContain('ghp_');
  });

  it('--dry-run writes nothing; unknown formats and missing paths are usage errors', async () => {
    const dir = repoWith('cline');
    const dry = JSON.parse((await runCli(dir, ['import', 'cline', 'src', '--dry-run', '--json'])).stdout);
    expect(dry.imported.length).toBe(16);
    const again = JSON.parse((await runCli(dir, ['import', 'cline', 'src', '--dry-run', '--json'])).stdout);
    expect(again.imported.length).toBe(16);
    expect((await runCli(dir, ['import', 'windsurf', 'src'])).code).toBe(2);
    expect((await runCli(dir, ['import', 'cline', 'nowhere'])).code).toBe(2);
    writeFiles(dir, { 'empty/readme.txt': 'x' });
    const none = await runCli(dir, ['import', 'learnings', 'empty', '--json']);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).diagnostics[0].rule).toBe('import/format');
    const noKb = tempRepo({ 'AGENTS.md': '- a rule here\n' });
    const r = await runCli(noKb, ['import', 'agents-md', 'AGENTS.md', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics[0].rule).toBe('kb/missing');
  });
});
