import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemaFiles, renderTypes, renderValidators } from '../../tools/schemas/generate-core.js';
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
