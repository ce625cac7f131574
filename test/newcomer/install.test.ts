/** Issue 16: a fresh `npm install` on Node 20.19 (the `engines` floor) warns about no dependency's engine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^v/, '')
    .split('.')
    .map((x) => (x === 'x' || x === '*' ? 0 : Number(x)));
  return [a, b, c];
};
const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The npm range forms engines fields use: `*`, `>=x`, `<x`, `^x`, `~x`, `x`, space-joined, `||`-joined. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((part) =>
    part
      .trim()
      .replace(/(>=|<=|>|<|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => {
        if (c === '*') return true;
        const m = /^(>=|<=|>|<|\^|~|=)?(\d+(?:\.\d+|\.x)*)$/.exec(c);
        if (!m) return true; // a form this check does not know is not held against the dependency
        const want = parse(m[2]!);
        const parts = m[2]!.split('.').length;
        switch (m[1]) {
          case '>=':
            return cmp(v, want) >= 0;
          case '>':
            return cmp(v, want) > 0;
          case '<':
            return cmp(v, want) < 0;
          case '<=':
            return cmp(v, want) <= 0;
          case '^':
            return v[0] === want[0] && cmp(v, want) >= 0;
          case '~':
            return v[0] === want[0] && v[1] === want[1] && cmp(v, want) >= 0;
          default:
            return v[0] === want[0] && (parts < 2 || v[1] === want[1]) && (parts < 3 || v[2] === want[2]);
        }
      }),
  );
}

describe('install on the oldest supported Node', () => {
  it('the range check itself', () => {
    expect(satisfies('20.19.0', '>=22.19.0')).toBe(false);
    expect(satisfies('20.19.0', '>=20.18.1')).toBe(true);
    expect(satisfies('20.19.0', '^18.17.0 || ^20.3.0 || >=21.0.0')).toBe(true);
    expect(satisfies('20.19.0', '20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '^18 || >=22')).toBe(false);
  });

  it('every locked package accepts the Node version package.json promises', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const floor = pkg.engines.node.replace(/^>=\s*/, '');
    expect(floor).toBe('20.19');
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const refused = Object.entries(lock.packages)
      .filter(([path, p]) => path && !p.optional && p.engines && !Array.isArray(p.engines) && p.engines.node && !satisfies(`${floor}.0`, p.engines.node))
      .map(([path, p]) => `${path}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
