/**
 * Symbolic links in the knowledge base are never read through: one to a file outside the
 * repository (untracked or committed), a folder that is a link, a folder that became a link
 * over committed files, and a link that stays inside. `validate` and `build` (with and without
 * Git) see the same files and report each link as `file/symlink`; nothing behind them reaches
 * the build outputs, recall or the exported instruction files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, git, runCli, tempDir } from '../helpers/repo.js';
import { controlHistory } from '../../tools/examples/generate-history.js';
import { repoWith } from '../learn/kb.js';

afterAll(cleanupTemp);

const CANARY = 'OUTSIDECANARY';
const outsideRule = (id: string) => `---\nkind: rule\nid: ${id}\ncreated_at: 2026-11-01T00:00:00Z\nstatus: accepted\nstatement: ${CANARY} never publish this ${id}.\n---\n\n${CANARY} body of ${id}.\n`;

function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out += allText(abs);
    else out += readFileSync(abs, 'utf8');
  }
  return out;
}

let dir: string;
let outside: string;
beforeAll(() => {
  dir = repoWith(controlHistory(5));
  outside = tempDir();
  writeFileSync(join(outside, 'x.md'), outsideRule('rule-x'));
  writeFileSync(join(outside, 'y.md'), outsideRule('rule-y'));
  mkdirSync(join(outside, 'folder'));
  writeFileSync(join(outside, 'folder', 'rule-f.md'), outsideRule('rule-f'));
  const rules = join(dir, 'learning-loop', 'rules');
  mkdirSync(join(rules, 'sub'), { recursive: true });
  // Committed: a link to a file outside, and a real folder that later becomes a link.
  symlinkSync(join(outside, 'y.md'), join(rules, 'rule-y.md'));
  writeFileSync(join(rules, 'sub', 'rule-s.md'), outsideRule('rule-s').replace(CANARY, 'inside'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'links');
  rmSync(join(rules, 'sub'), { recursive: true });
  symlinkSync(join(outside, 'folder'), join(rules, 'sub'));
  // Untracked: a link to a file outside, a folder link, and a link that stays in the repository.
  symlinkSync(join(outside, 'x.md'), join(rules, 'rule-x.md'));
  symlinkSync(join(outside, 'folder'), join(rules, 'linked'));
  writeFileSync(join(dir, 'notes.md'), outsideRule('rule-n'));
  symlinkSync('../../notes.md', join(rules, 'rule-n.md'));
});

describe('symbolic links', () => {
  it('validate and build report every link as file/symlink and read none', async () => {
    const v = await runCli(dir, ['validate', '--json']);
    expect(v.code).toBe(1);
    const list = JSON.parse(v.stdout).diagnostics as Array<{ rule: string; file: string; message: string }>;
    expect(list.map((d) => [d.rule, d.file])).toEqual([
      ['file/symlink', 'learning-loop/rules/linked'],
      ['file/symlink', 'learning-loop/rules/rule-n.md'],
      ['file/symlink', 'learning-loop/rules/rule-x.md'],
      ['file/symlink', 'learning-loop/rules/rule-y.md'],
      ['file/symlink', 'learning-loop/rules/sub'],
    ]);
    expect(list[2]!.message).toMatch(/leaves the repository/);
    expect(list[1]!.message).toMatch(/into the repository/);

    const b = await runCli(dir, ['build', '--json']);
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout).diagnostics).toEqual(JSON.parse(v.stdout).diagnostics);
    expect(JSON.parse(b.stdout).records).toBe(5);
    expect(allText(join(dir, '.learning-loop', 'build'))).not.toContain(CANARY);
    const again = await runCli(dir, ['build', '--full', '--json', '--workers', '0']);
    expect(JSON.parse(again.stdout).diagnostics).toEqual(JSON.parse(v.stdout).diagnostics);

    const r = await runCli(dir, ['recall', `${CANARY} never publish`, '--json']);
    expect(JSON.parse(r.stdout).total_matches).toBe(0);
    await runCli(dir, ['export', '--to', 'agents-md']);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).not.toContain(CANARY);
  });

  it('outside Git the file-system scan sees and reports the same links', async () => {
    const plain = tempDir();
    cpSync(join(dir, 'learning-loop'), join(plain, 'learning-loop'), { recursive: true, verbatimSymlinks: true });
    const v = await runCli(plain, ['validate', '--json']);
    const b = await runCli(plain, ['build', '--json']);
    const files = (out: string) => (JSON.parse(out).diagnostics as Array<{ rule: string; file: string }>).map((d) => `${d.rule} ${d.file}`);
    expect(files(b.stdout)).toEqual(files(v.stdout));
    // The inside link now leads outside this copy (it was relative): still a link, still not read.
    expect(files(v.stdout)).toEqual([
      'file/symlink learning-loop/rules/linked',
      'file/symlink learning-loop/rules/rule-n.md',
      'file/symlink learning-loop/rules/rule-x.md',
      'file/symlink learning-loop/rules/rule-y.md',
      'file/symlink learning-loop/rules/sub',
    ]);
    expect(allText(join(plain, '.learning-loop', 'build'))).not.toContain(CANARY);
  });
});
