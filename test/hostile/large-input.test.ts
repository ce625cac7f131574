/**
 * Hostile sizes inside the 1 MiB limit: 100,000 unknown keys, 30,000 duplicate keys and a record
 * with 20,000 broken links. Each is checked in time linear in the file (these took minutes when
 * it was quadratic: the per-test timeout fails them) and reported by its first 50 problems plus
 * one `file/more-problems` that counts the rest, the same from `validate`, `build`, an
 * incremental and a clean build. Figures are in `npm run bench` (tools/bench/hostile.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo } from '../helpers/repo.js';
import { capDiagnostics, diag, MAX_FILE_DIAGNOSTICS, type Diagnostic } from '../../scripts/core/diagnostics/diagnostic.js';

const KEYS = 100_000;
const DUPS = 30_000;
const LINKS = 20_000;

/** A rule with `n` unknown keys (just under 1 MiB for 100,000). */
function manyKeys(n: number): string {
  const lines = ['---', 'kind: rule', 'id: rule-keys', 'created_at: 2026-11-01T00:00:00Z', 'status: proposed', 'statement: x'];
  for (let i = 0; i < n; i++) lines.push(`k${i}: v`);
  return `${lines.join('\n')}\n---\n`;
}

function manyDuplicates(n: number): string {
  const lines = ['---', 'kind: rule', 'id: rule-dups', 'created_at: 2026-11-01T00:00:00Z', 'status: proposed'];
  for (let i = 0; i < n; i++) lines.push(`statement: s${i}`);
  return `${lines.join('\n')}\n---\n`;
}

function manyLinks(n: number): string {
  const lines = ['---', 'kind: rule', 'id: rule-links', 'created_at: 2026-11-01T00:00:00Z', 'status: proposed', 'statement: x', 'from_patterns:'];
  for (let i = 0; i < n; i++) lines.push(`  - pat-missing-${i}`);
  return `${lines.join('\n')}\n---\n`;
}

let dir: string;
beforeAll(async () => {
  dir = tempRepo({ '.gitignore': '.learning-loop/\n' });
  expect((await runCli(dir, ['init'])).code).toBe(0);
  const { writeFiles } = await import('../helpers/repo.js');
  writeFiles(dir, {
    'learning-loop/rules/rule-keys.md': manyKeys(KEYS),
    'learning-loop/rules/rule-dups.md': manyDuplicates(DUPS),
    'learning-loop/rules/rule-links.md': manyLinks(LINKS),
  });
});
afterAll(cleanupTemp);

const byFile = (list: Diagnostic[], name: string) => list.filter((d) => d.file.endsWith(name));

describe('large hostile files', () => {
  it('are checked in linear time and reported by their first 50 problems and a count, the same on every path', async () => {
    const v = await runCli(dir, ['validate', '--json']);
    expect(v.code).toBe(1);
    const list = JSON.parse(v.stdout).diagnostics as Diagnostic[];

    const keys = byFile(list, 'rule-keys.md');
    expect(keys).toHaveLength(MAX_FILE_DIAGNOSTICS + 1);
    expect(keys.slice(0, 50).map((d) => d.message)).toEqual(Array.from({ length: 50 }, (_, i) => `Unknown field \`k${i}\`.`));
    expect(keys.slice(0, 50).map((d) => d.line)).toEqual(Array.from({ length: 50 }, (_, i) => 7 + i));
    expect(keys[50]).toMatchObject({ rule: 'file/more-problems', severity: 'error', line: 57, column: 1 });
    expect(keys[50]!.message).toMatch(/^99950 more problems in this file/);

    const dups = byFile(list, 'rule-dups.md');
    expect(dups).toHaveLength(MAX_FILE_DIAGNOSTICS + 1);
    expect(dups[0]).toMatchObject({ rule: 'yaml/duplicate-key', line: 7, column: 1 });
    expect(dups[50]!.message).toMatch(new RegExp(`^${DUPS - 1 - 50} more problems`));

    const links = byFile(list, 'rule-links.md');
    expect(links).toHaveLength(MAX_FILE_DIAGNOSTICS + 1);
    expect(links[0]).toMatchObject({ rule: 'link/missing', line: 8, column: 5 });
    expect(links[49]).toMatchObject({ rule: 'link/missing', line: 57 });
    expect(links[50]!.message).toMatch(new RegExp(`^${LINKS - 50} more problems`));

    const strip = (l: Diagnostic[]) => JSON.stringify(l);
    const build = await runCli(dir, ['build', '--json']);
    expect(build.code).toBe(1);
    expect(strip(JSON.parse(build.stdout).diagnostics)).toBe(strip(list));
    const again = await runCli(dir, ['build', '--json', '--workers', '0']);
    expect(strip(JSON.parse(again.stdout).diagnostics)).toBe(strip(list));
    const full = await runCli(dir, ['build', '--full', '--json']);
    expect(strip(JSON.parse(full.stdout).diagnostics)).toBe(strip(list));
  });
});

describe('capDiagnostics', () => {
  const d = (file: string, line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => diag('schema/unknown-field', file, `problem ${line}`, { line, column: 1, severity });
  const many = (file: string, from: number, n: number, severity?: Diagnostic['severity']) => Array.from({ length: n }, (_, i) => d(file, from + i * 2, severity));

  it('keeps a file with up to 50 problems whole and counts the rest of a larger one', () => {
    const ok = many('a.md', 1, 50);
    expect(capDiagnostics(ok)).toEqual(ok);
    const capped = capDiagnostics([...many('a.md', 1, 120, 'warning'), ...many('b.md', 1, 3)]);
    expect(capped.filter((x) => x.file === 'b.md')).toHaveLength(3);
    const a = capped.filter((x) => x.file === 'a.md');
    expect(a).toHaveLength(51);
    expect(a[50]).toMatchObject({ rule: 'file/more-problems', severity: 'warning', line: 101, message: expect.stringMatching(/^70 more problems/) });
  });

  it('is idempotent, and capping parts then the whole equals capping the whole', () => {
    const parts = [many('a.md', 1, 80), many('a.md', 2, 70, 'warning'), many('a.md', 500, 10)];
    const whole = capDiagnostics(parts.flat());
    expect(capDiagnostics(whole)).toEqual(whole);
    expect(capDiagnostics(parts.map((p) => capDiagnostics(p)).flat())).toEqual(whole);
    expect(whole[50]!.message).toMatch(/^110 more problems/);
  });
});
