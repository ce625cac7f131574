import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { cleanupTemp, runCli, tempDir, tempRepo, writeFiles } from '../helpers/repo.js';
import { execution, kbFiles, rule } from './kb.js';
import { spliceBlock, wrapBlock, selectExportItems } from '../../scripts/core/publish/export.js';

afterAll(cleanupTemp);

const ALL_TARGET_FILES = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md'];

function read(dir: string, rel: string): string {
  return readFileSync(join(dir, rel), 'utf8');
}

function baseKb(): Record<string, string> {
  return kbFiles([
    rule('rule-booking-tests', 'Run the booking form tests before touching the Square checkout.', { topic: 'booking', applies_to: { paths: ['src/components/booking/**'] }, priority: 10 }),
    rule('rule-tokens', 'Use design tokens from the component library, never raw hex colours.', { topic: 'styling' }),
    rule('rule-weak', 'Prefer small pull requests.', { topic: 'styling' }),
    rule('rule-proposed', 'This proposed rule must not be exported.', { status: 'proposed' }),
    rule('rule-rejected', 'This rejected rule must not be exported.', { status: 'rejected' }),
    execution('ex-01', 'success', ['rule-tokens']),
    execution('ex-02', 'success', ['rule-tokens', 'rule-weak']),
    execution('ex-03', 'failure', ['rule-weak']),
  ]);
}

describe('export', () => {
  it('ranks accepted rules by derived evidence and drops proposed/rejected ones', () => {
    const dir = tempRepo(baseKb());
    return runCli(dir, ['export', '--to', 'all', '--json']).then((run) => {
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout);
      // rule-tokens: +2; rule-booking-tests: 0 net but priority 10; rule-weak: +1 -1.
      expect(out.exported).toEqual(['rule-tokens', 'rule-booking-tests', 'rule-weak']);
      const agents = read(dir, 'AGENTS.md');
      expect(agents).toContain('[rule-tokens]');
      expect(agents).not.toContain('rule-proposed');
      expect(agents).not.toContain('rule-rejected');
      const claude = read(dir, 'CLAUDE.md');
      expect(claude).toContain('@AGENTS.md');
      expect(read(dir, '.github/copilot-instructions.md')).toContain('rule-booking-tests');
      // Claude rule files hold only path-scoped rules, with `paths:` frontmatter.
      const claudeRule = read(dir, '.claude/rules/booking.md');
      const fm = parseYaml(claudeRule.split('---')[1]!);
      expect(fm).toEqual({ paths: ['src/components/booking/**'] });
      expect(existsSync(join(dir, '.claude/rules/styling.md'))).toBe(false);
      // Cursor: real boolean alwaysApply and a comma-separated globs string.
      const scoped = parseYaml(read(dir, '.cursor/rules/01-booking.mdc').split('---')[1]!);
      expect(scoped).toEqual({ description: 'learning-loop rules: booking', globs: 'src/components/booking/**', alwaysApply: false });
      const always = parseYaml(read(dir, '.cursor/rules/02-styling.mdc').split('---')[1]!);
      expect(always.alwaysApply).toBe(true);
      expect(read(dir, '.cursor/rules/02-styling.mdc')).toMatch(/rule-tokens[\s\S]*rule-weak/);
    });
  });

  it('round trip: accept -> in every target with its id; reject -> gone; hand-written text untouched; CRLF kept', async () => {
    const handAgents = '# Our agents\r\n\r\nHand-written intro.\r\n\r\n- keep this bullet\r\n';
    const handCopilot = 'Copilot notes written by a person.\n';
    const dir = tempRepo({ ...baseKb(), 'AGENTS.md': handAgents, '.github/copilot-instructions.md': handCopilot });
    const first = await runCli(dir, ['export', '--to', 'all']);
    expect(first.code).toBe(0);
    const agents1 = read(dir, 'AGENTS.md');
    expect(agents1.startsWith(handAgents)).toBe(true);
    expect(
      agents1
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
    expect(read(dir, '.github/copilot-instructions.md').startsWith(handCopilot)).toBe(true);

    // Deterministic: a second run changes nothing, and --check agrees.
    const again = await runCli(dir, ['export', '--to', 'all', '--json']);
    expect(JSON.parse(again.stdout).changes).toEqual([]);
    expect((await runCli(dir, ['export', '--to', 'all', '--check'])).code).toBe(0);

    // Reject the scoped rule: it disappears from every target, its generated files are removed.
    const recPath = 'learning-loop/rules/rule-booking-tests.md';
    writeFileSync(join(dir, recPath), read(dir, recPath).replace('status: accepted', 'status: rejected'));
    const check = await runCli(dir, ['export', '--to', 'all', '--check', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).diagnostics.map((d: { rule: string }) => d.rule)).toContain('export/out-of-date');
    expect(read(dir, 'AGENTS.md')).toBe(agents1); // --check wrote nothing
    expect((await runCli(dir, ['export', '--to', 'all'])).code).toBe(0);
    for (const f of ALL_TARGET_FILES) expect(read(dir, f)).not.toContain('rule-booking-tests');
    expect(existsSync(join(dir, '.claude/rules/booking.md'))).toBe(false);
    expect(existsSync(join(dir, '.cursor/rules/01-booking.mdc'))).toBe(false);
    expect(read(dir, '.cursor/rules/01-styling.mdc')).toContain('rule-tokens');
    expect(read(dir, 'AGENTS.md').startsWith(handAgents)).toBe(true);

    // Accept it again: back in every target that takes it, with its id.
    writeFileSync(join(dir, recPath), read(dir, recPath).replace('status: rejected', 'status: accepted'));
    await runCli(dir, ['export', '--to', 'all']);
    for (const f of ['AGENTS.md', '.github/copilot-instructions.md', '.claude/rules/booking.md', '.cursor/rules/01-booking.mdc']) expect(read(dir, f)).toContain('[rule-booking-tests');
    expect(read(dir, 'AGENTS.md')).toBe(agents1);
  });

  it('leaves files with broken markers untouched and reports export/markers', async () => {
    const broken = '# Agents\n\n<!-- learning-loop:begin -->\n- old\n';
    const twice = 'x\n<!-- learning-loop:begin -->\n<!-- learning-loop:begin -->\n<!-- learning-loop:end -->\n';
    const dir = tempRepo({ ...baseKb(), 'AGENTS.md': broken, '.github/copilot-instructions.md': twice });
    const run = await runCli(dir, ['export', '--to', 'agents-md,copilot', '--json']);
    expect(run.code).toBe(1);
    const diags = JSON.parse(run.stdout).diagnostics;
    expect(diags).toEqual([
      expect.objectContaining({ rule: 'export/markers', file: '.github/copilot-instructions.md', line: 3 }),
      expect.objectContaining({ rule: 'export/markers', file: 'AGENTS.md', line: 3 }),
    ]);
    expect(read(dir, 'AGENTS.md')).toBe(broken);
    expect(read(dir, '.github/copilot-instructions.md')).toBe(twice);
  });

  it('never writes through a symlink that points outside the repository, nor over hand-written .mdc files', async () => {
    const outside = tempDir();
    const dir = tempRepo(baseKb());
    symlinkSync(join(outside), join(dir, '.github'));
    mkdirSync(join(dir, '.cursor/rules'), { recursive: true });
    writeFiles(dir, { '.cursor/rules/01-booking.mdc': '---\nalwaysApply: true\n---\nmine\n' });
    const run = await runCli(dir, ['export', '--to', 'copilot,cursor', '--json']);
    expect(run.code).toBe(1);
    const rules = JSON.parse(run.stdout).diagnostics.map((d: { rule: string; file: string }) => `${d.rule} ${d.file}`);
    expect(rules).toEqual(['export/foreign-file .cursor/rules/01-booking.mdc', 'export/unsafe-path .github/copilot-instructions.md']);
    expect(existsSync(join(outside, 'copilot-instructions.md'))).toBe(false);
    expect(read(dir, '.cursor/rules/01-booking.mdc')).toBe('---\nalwaysApply: true\n---\nmine\n');
  });

  it('keeps statements on one line and cannot be tricked into closing the block', () => {
    const rows = [
      {
        id: 'rule-x',
        kind: 'rule',
        file: 'r',
        body: '',
        data: { kind: 'rule', id: 'rule-x', created_at: '2026-11-01T10:00:00Z', status: 'accepted', statement: 'two\nlines <!-- learning-loop:end -->' },
      },
    ] as Parameters<typeof selectExportItems>[0];
    const [item] = selectExportItems(rows).rules;
    expect(item!.text).toBe('two lines &lt;!-- learning-loop:end --&gt;');
    const res = spliceBlock('A.md', 'intro\n', wrapBlock(['- a']));
    expect(res.text).toMatch(/^intro\n\n<!-- learning-loop:begin[^\n]*\n- a\n<!-- learning-loop:end -->\n$/);
    // A block in the middle is replaced in place; the text after it is kept byte for byte (CRLF too).
    const mid = 'top\r\n<!-- learning-loop:begin -->\r\n- old\r\n<!-- learning-loop:end -->\r\nbottom  \r\n\r\n';
    const out = spliceBlock('A.md', mid, wrapBlock(['- new'])).text!;
    expect(out.startsWith('top\r\n<!-- learning-loop:begin')).toBe(true);
    expect(out.endsWith('\r\n- new\r\n<!-- learning-loop:end -->\r\nbottom  \r\n\r\n')).toBe(true);
    expect(out).not.toContain('- old');
  });

  it('exports the strongest accepted patterns and templates with --include-patterns', async () => {
    const files = {
      ...baseKb(),
      ...kbFiles([
        {
          kind: 'pattern',
          id: 'pat-square-retry',
          created_at: '2026-11-01T10:00:00Z',
          status: 'accepted',
          pattern_type: 'failure',
          category: 'integration-gotcha',
          statement: 'Square sandbox calls time out without a retry.',
          support: 4,
        } as never,
        { kind: 'template', id: 'tpl-form', created_at: '2026-11-01T10:00:00Z', status: 'accepted', summary: 'Accessible form with validation and a loading state.' } as never,
      ]),
    };
    const dir = tempRepo(files);
    await runCli(dir, ['export', '--to', 'agents-md', '--include-patterns']);
    const agents = read(dir, 'AGENTS.md');
    expect(agents).toContain('### Patterns');
    expect(agents).toContain('[pat-square-retry]');
    expect(agents).toContain('[tpl-form]');
  });

  it('rejects unknown targets as a usage error', async () => {
    const dir = tempRepo(baseKb());
    const run = await runCli(dir, ['export', '--to', 'windsurf']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('windsurf');
  });
});
