/**
 * The layer rules of docs/architecture.md are a checked fact: dependency-cruiser with the project's
 * own `.dependency-cruiser.cjs` finds no violation in `scripts/`, and finds each kind of forbidden
 * import when one is planted in a small tree laid out like the project.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/repo.js';

const DEPCRUISE = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser in `cwd` over `scripts/` with the project's rules; the violations found. */
function cruise(cwd: string): Violation[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [DEPCRUISE, 'scripts', '--config', join(cwd, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    // It exits non-zero when it finds errors; the report is still on stdout.
    out = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A tree laid out like the project: its rules and tsconfig, and the given source files. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'll-arch-'));
  temps.push(dir);
  copyFileSync(join(REPO_ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['scripts'] }));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'probe', type: 'module', private: true, dependencies: { ajv: '*', chokidar: '*' }, devDependencies: { vitest: '*' } }));
  // The project's packages, so imports of them resolve as they do in the project.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A layout that keeps every rule: the control. */
const LAWFUL: Record<string, string> = {
  'scripts/core/score.ts': 'export const score = (n: number): number => n * 2;\n',
  'scripts/io/fs.ts': "import { readFileSync } from 'node:fs';\nexport const read = (p: string): string => readFileSync(p, 'utf8');\n",
  'scripts/index/build.ts': "import { read } from '../io/fs.js';\nimport { score } from '../core/score.js';\nexport const build = (p: string): number => score(read(p).length);\n",
  'scripts/index/api.ts': "export const openIndex = async (p: string): Promise<number> => (await import('./build.js')).build(p);\n",
  'scripts/agents/analyze.ts': "import { openIndex } from '../index/api.js';\nexport const analyze = (p: string): Promise<number> => openIndex(p);\n",
  'scripts/cli/main.ts': "import { analyze } from '../agents/analyze.js';\nvoid analyze('x');\n",
};

describe('layer rules', () => {
  it('hold in scripts/', () => {
    const found = cruise(REPO_ROOT);
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('find nothing in a lawful tree (the control)', () => {
    expect(cruise(tree(LAWFUL))).toEqual([]);
  });

  it.each([
    ['core-is-pure', 'scripts/core/leak.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['core-is-pure', 'scripts/core/spawns.ts', "import { spawn } from 'node:child_process';\nexport const x = spawn;\n"],
    ['core-stands-alone', 'scripts/core/reads.ts', "import { read } from '../io/fs.js';\nexport const x = read;\n"],
    ['index-has-one-interface', 'scripts/cli/deep.ts', "import { build } from '../index/build.js';\nexport const x = build;\n"],
    ['agents-below-entry-points', 'scripts/agents/up.ts', "import '../cli/main.js';\n"],
    ['validators-compiled-ahead', 'scripts/core/compiles.ts', "import { Ajv2020 } from 'ajv/dist/2020.js';\nexport const x = Ajv2020;\n"],
    ['core-is-pure', 'scripts/core/watches.ts', "import { watch } from 'chokidar';\nexport const x = watch;\n"],
    ['product-not-dev-dependencies', 'scripts/agents/tests.ts', "import { expect } from 'vitest';\nexport const x = expect;\n"],
    ['io-only-in-the-shell', 'scripts/agents/disk.ts', "import { writeFileSync } from 'node:fs';\nexport const x = writeFileSync;\n"],
  ])('report %s for a forbidden import planted in %s', (rule, path, text) => {
    const found = cruise(tree({ ...LAWFUL, [path]: text }));
    expect(found.map((v) => [v.rule.name, v.from])).toContainEqual([rule, path]);
  });

  it('report a cycle between two core modules', () => {
    const found = cruise(
      tree({
        ...LAWFUL,
        'scripts/core/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
        'scripts/core/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
      }),
    );
    expect(found.map((v) => v.rule.name)).toContain('no-circular');
  });
});
