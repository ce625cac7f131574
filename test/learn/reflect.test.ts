/**
 * A root-cause stub cites what `patterns` finds: the same patterns and recurring themes, themes
 * mined from the reflections included, for small histories (extracted inline) and large ones
 * (the learning snapshot). Control histories with nothing to find cite no theme.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/core/config.js';
import { buildReflection } from '../../scripts/core/learn/reflection.js';
import { analyzeTable } from '../../scripts/core/learn/analyze.js';
import { recordPath, type AnyRecord } from '../../scripts/core/records/kinds.js';
import type { RecordRow, RecordsTable } from '../../scripts/core/records/table.js';
import { LEARN_INLINE_MAX } from '../../scripts/core/learn/derived.js';
import { controlHistory } from '../../tools/examples/generate-history.js';
import { cleanupTemp, runCli } from '../helpers/repo.js';
import { repoWith, themeHistory } from './kb.js';

afterAll(cleanupTemp);
const config = structuredClone(DEFAULT_CONFIG);
const PHRASE = 'stuck in a loop retrying the same fix for minutes';

function records(plant: boolean, seed: number): AnyRecord[] {
  const h = themeHistory(plant, seed);
  return [...h.executions, ...h.reflections.map((r) => r.data)];
}

function table(list: readonly AnyRecord[]): RecordsTable {
  const rows: RecordRow[] = list.map((r) => ({ id: r.id, kind: r.kind, file: `learning-loop/${recordPath(r)}`, data: r, body: '' }));
  return { rows, diagnostics: [] };
}

/** The theme lines of a stub. */
const themeLines = (body: string) => body.split('\n').filter((l) => /Matching theme pattern/.test(l));

describe('root-cause stubs cite the themes `patterns` finds', () => {
  it('cites a theme found in the reflections (built in process)', () => {
    const t = table(records(true, 1));
    const themes = analyzeTable(t, config).set.theme_patterns;
    expect(themes.map((x) => x.definition.theme)).toEqual([PHRASE]);
    const failure = t.rows.find((r) => r.id === 'ex-th-000')!.data as Parameters<typeof buildReflection>[0];
    const built = buildReflection({ ...failure, trigger: 'mandatory_reflection' }, t.rows, config)!;
    expect(themeLines(built.body)).toEqual([`- Matching theme pattern \`${themes[0]!.id}\` (derived from the history): ${themes[0]!.statement}`]);
    expect(built.body).not.toContain('No known pattern matches this execution');
  });

  it('cites no theme when failures and successes say the same kind of things (control)', () => {
    for (const seed of [2, 3]) {
      const t = table(records(false, seed));
      expect(analyzeTable(t, config).set.theme_patterns).toEqual([]);
      const failure = t.rows.find((r) => r.id === 'ex-th-000')!.data as Parameters<typeof buildReflection>[0];
      expect(themeLines(buildReflection({ ...failure, trigger: 'mandatory_reflection' }, t.rows, config)!.body)).toEqual([]);
    }
  });

  it('`reflect` cites the same theme as `patterns`; the control cites none', { timeout: 120_000 }, async () => {
    for (const plant of [true, false]) {
      const dir = repoWith(records(plant, plant ? 1 : 2));
      const themes = JSON.parse((await runCli(dir, ['patterns', '--json'])).stdout).theme_patterns as Array<{ id: string; statement: string }>;
      expect(themes.length).toBe(plant ? 1 : 0);
      const r = await runCli(dir, ['reflect', 'ex-th-000', '--dry-run', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const body = JSON.parse(r.stdout).reflection.body as string;
      expect(themeLines(body)).toEqual(themes.map((x) => `- Matching theme pattern \`${x.id}\` (derived from the history): ${x.statement}`));
    }
  });

  it(`\`reflect\` on a history above ${LEARN_INLINE_MAX} executions cites the learning snapshot's patterns`, { timeout: 300_000 }, async () => {
    // Filler without error messages: nothing in it to mine.
    const filler = controlHistory(LEARN_INLINE_MAX - 100).map(({ errors: _e, ...e }) => e);
    const dir = repoWith([...records(true, 1), ...filler]);
    expect((await runCli(dir, ['build', '--learn'])).code).toBe(0);
    const themes = JSON.parse((await runCli(dir, ['patterns', '--json'])).stdout).theme_patterns as Array<{ id: string; statement: string }>;
    expect(themes.map((x) => x.id)).toHaveLength(1);
    const r = await runCli(dir, ['reflect', 'ex-th-000', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(themeLines(JSON.parse(r.stdout).reflection.body)).toEqual([`- Matching theme pattern \`${themes[0]!.id}\` (derived from the history): ${themes[0]!.statement}`]);
  });
});
