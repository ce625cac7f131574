import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, runCli, tempRepo, writeFiles } from '../helpers/repo.js';
import { kbFiles, rule } from './kb.js';
import { assessStaleness, globToRegExp, parseNumstatLog } from '../../scripts/core/learn/staleness.js';

afterAll(cleanupTemp);

function commitAt(dir: string, when: string, msg: string): void {
  const env = { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', msg], { cwd: dir, env });
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';

describe('staleness', () => {
  it('flags learnings whose files changed a lot or disappeared since acceptance, and nothing else', async () => {
    const dir = tempRepo({
      'src/booking/Form.tsx': lines(40, 'form'),
      'src/gallery/Grid.tsx': lines(200, 'grid'),
      'src/old/legacy.ts': lines(10, 'legacy'),
      ...kbFiles([
        rule('rule-booking', 'Booking form keeps state in the URL.', { about: ['src/booking/**'] }),
        rule('rule-booking-component', 'Booking needs the e2e test.', { applies_to: { components: ['booking'] } }),
        rule('rule-booking-reviewed', 'Reviewed after the rewrite.', { about: ['src/booking/Form.tsx'], review: { decided_at: '2026-11-10T00:00:00Z' } }),
        rule('rule-booking-proposed', 'Only proposed.', { status: 'proposed', about: ['src/booking/**'] }),
        rule('rule-gallery', 'Grid uses CSS grid.', { applies_to: { paths: ['src/gallery/**'] } }),
        rule('rule-legacy', 'Legacy module is frozen.', { about: ['src/old/legacy.ts'] }),
        rule('rule-nothing', 'Names no files.'),
      ]),
    });
    commitAt(dir, '2026-10-01T10:00:00Z', 'initial');
    writeFiles(dir, { 'src/booking/Form.tsx': lines(120, 'rewritten') });
    commitAt(dir, '2026-11-05T10:00:00Z', 'rewrite booking');
    writeFiles(dir, { 'src/gallery/Grid.tsx': lines(199, 'grid') + 'grid changed\n' });
    rmSync(join(dir, 'src/old'), { recursive: true });
    commitAt(dir, '2026-11-06T10:00:00Z', 'small gallery fix, drop legacy');
    const run = await runCli(dir, ['validate', '--stale', '--json']);
    expect(run.code).toBe(0); // warnings only
    const out = JSON.parse(run.stdout);
    const stale = out.diagnostics.filter((d: { rule: string }) => d.rule === 'stale/learning');
    expect(stale.map((d: { file: string }) => d.file)).toEqual(['learning-loop/rules/rule-booking-component.md', 'learning-loop/rules/rule-booking.md', 'learning-loop/rules/rule-legacy.md']);
    expect(stale[1].message).toContain('160 lines in 1 commit');
    expect(stale[1].line).toBeGreaterThan(1);
    expect(stale[2].message).toContain('no longer matches any file');
    expect((await runCli(dir, ['validate', '--stale', '--strict'])).code).toBe(1);
    // Without --stale, validate is unchanged.
    expect(JSON.parse((await runCli(dir, ['validate', '--json'])).stdout).diagnostics).toEqual([]);
  });

  it('pure core: globs, numstat parsing, thresholds', () => {
    expect(globToRegExp('src/**/*.tsx').test('src/a/b/c.tsx')).toBe(true);
    expect(globToRegExp('src/**/*.tsx').test('src/c.tsx')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/a/b.ts')).toBe(false);
    expect(globToRegExp('src/booking').test('src/booking/Form.tsx')).toBe(true);
    expect(globToRegExp('src/{a,b}/x.ts').test('src/b/x.ts')).toBe(true);
    const log = parseNumstatLog('\0abc1234\t2026-11-05T10:00:00Z\n\n10\t5\tsrc/a.ts\n-\t-\timg.png\n');
    expect(log).toEqual([
      {
        sha: 'abc1234',
        at: '2026-11-05T10:00:00Z',
        files: [
          { path: 'src/a.ts', lines: 15 },
          { path: 'img.png', lines: 1 },
        ],
      },
    ]);
    const t = [{ id: 'r', file: 'r.md', since: '2026-11-01T00:00:00Z', paths: [{ spec: 'src/a.ts', field: ['about', 0] }], components: [] }];
    const tracked = new Map([['src/a.ts', 1000]]);
    // 15 lines of 1000: not a lot; 10 small commits: a lot.
    expect(assessStaleness(t, tracked, log)).toEqual([]);
    const many = Array.from({ length: 10 }, (_, i) => ({ sha: `c${i}`, at: '2026-11-05T10:00:00Z', files: [{ path: 'src/a.ts', lines: 1 }] }));
    expect(assessStaleness(t, tracked, many)).toHaveLength(1);
    // Changes before acceptance never count.
    expect(
      assessStaleness(
        t,
        tracked,
        many.map((c) => ({ ...c, at: '2026-10-01T00:00:00Z' })),
      ),
    ).toEqual([]);
  });
});
