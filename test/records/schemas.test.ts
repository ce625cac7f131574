import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSON_SCHEMA, load } from 'js-yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS, appendErrorsInPlace, renderSchemaFiles, renderTypes, renderValidators } from '../../tools/schemas/generate-core.js';
import { validatorFor } from '../../scripts/core/records/validate.js';
import { isKind } from '../../scripts/core/records/kinds.js';
import { REPO_ROOT } from '../helpers/repo.js';
import { VERSION } from '../../scripts/core/version.js';
import { CATALOG, renderErrorsDoc, ruleAnchor, ruleDocLink } from '../../scripts/core/diagnostics/catalog.js';

describe('schemas and types do not drift', () => {
  it.each(renderSchemaFiles())('schemas/%s is up to date (run `npm run gen`)', (file, text) => {
    expect(readFileSync(join(REPO_ROOT, 'schemas', file), 'utf8')).toBe(text);
  });

  it('validators.generated.ts is up to date (run `npm run gen`)', () => {
    expect(readFileSync(join(REPO_ROOT, 'scripts', 'core', 'records', 'validators.generated.ts'), 'utf8')).toBe(renderValidators());
  });

  it('types.generated.ts is up to date (run `npm run gen`)', async () => {
    expect(readFileSync(join(REPO_ROOT, 'scripts', 'core', 'records', 'types.generated.ts'), 'utf8')).toBe(await renderTypes());
  });

  it('docs/errors.md is up to date with the catalog (run `npm run gen`)', () => {
    expect(readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('every rule has its own heading in docs/errors.md, which its link names', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
    const anchors = [...doc.matchAll(/^### (.+)$/gm)].map((m) => ruleAnchor(m[1]!));
    expect(anchors).toEqual(Object.keys(CATALOG).map(ruleAnchor));
    expect(new Set(anchors).size).toBe(anchors.length);
    expect(ruleDocLink('schema/range')).toBe('docs/errors.md#schemarange');
  });

  it('VERSION matches package.json', () => {
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version).toBe(VERSION);
  });
});

/** Every record's frontmatter in a folder (plain YAML: times stay strings, as the product reads them). */
function frontmatters(dir: string): Array<Record<string, unknown>> {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return frontmatters(p);
    const m = p.endsWith('.md') ? /^---\n([\s\S]*?)\n---/.exec(readFileSync(p, 'utf8')) : null;
    return m ? [load(m[1]!, { schema: JSON_SCHEMA }) as Record<string, unknown>] : [];
  });
}

describe('generated validators stay linear', () => {
  it('collect a called fragment’s errors in place, never by copying every error so far', () => {
    const ajvLine = 'vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);';
    expect(appendErrorsInPlace(`x\n${ajvLine}\ny`)).toBe('x\nif (vErrors === null) vErrors = validate21.errors; else for (const e of validate21.errors) vErrors.push(e);\ny');
    const shipped = readFileSync(join(REPO_ROOT, 'scripts', 'core', 'records', 'validators.generated.ts'), 'utf8');
    expect(shipped).not.toContain('.concat(');
    expect(shipped).toContain('vErrors.push(e)');
  });

  it('report every error of a long list of objects that each fail a shared fragment, in order', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ fingerprint: 'x', count: 1, executions: i % 2 ? 1 : ['ok-id'] }));
    const validate = validatorFor('reflection');
    expect(validate({ kind: 'reflection', id: 'r', created_at: '2026-01-01T00:00:00Z', reflection_type: 'free', executions: ['e'], evidence: { recurring_errors: items } })).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(Array.from({ length: 1500 }, (_, k) => `/evidence/recurring_errors/${2 * k + 1}/executions`));
  });
});

describe('published schemas stand alone', () => {
  // Each file carries the shared fragments it uses as its own $defs: an editor or a stock validator
  // needs that one file, and it says what the shipped validators say.
  const stock = Object.fromEntries(renderSchemaFiles().map(([file, text]) => [file.replace('.schema.json', ''), new Ajv2020({ ...AJV_OPTIONS }).compile(JSON.parse(text) as object)]));
  const records = frontmatters(join(REPO_ROOT, 'learning-loop')).filter((d) => isKind(d.kind));

  it('a stock validator given one file accepts every record of the example, as the shipped validators do', () => {
    expect(records.length).toBeGreaterThan(200);
    for (const d of records) {
      const kind = d.kind as string;
      expect([stock[kind]!(d), validatorFor(kind as 'rule')(d)], String(d.id)).toEqual([true, true]);
    }
  });

  it('and rejects the same planted mistakes at the same places', () => {
    const planted = [
      { kind: 'rule', id: 'r', created_at: 'yesterday', status: 'proposed', statement: 's', supersedes: ['a/b', 'a/b'], review: { by: 'x', bye: 1 } },
      { kind: 'reflection', id: 'f', created_at: '2026-01-01T00:00:00Z', reflection_type: 'free', executions: [], tags: ['Bad Tag'] },
      { kind: 'pattern', id: 'p', created_at: '2026-01-01T00:00:00Z', pattern_type: 'gotcha', category: 'nowhere', status: 'proposed', statement: 's', provenance: {} },
    ];
    for (const d of planted) {
      const shipped = validatorFor(d.kind as 'rule');
      expect(stock[d.kind]!(d)).toBe(false);
      expect(shipped(d)).toBe(false);
      const places = (errors: Array<{ instancePath: string; keyword: string }> | null | undefined): string[] => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
      expect(places(stock[d.kind]!.errors), d.kind).toEqual(places(shipped.errors));
      expect(places(shipped.errors).length).toBeGreaterThan(1);
    }
  });
});
