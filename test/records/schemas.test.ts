import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchemaFiles, renderTypes, renderValidators } from '../../tools/schemas/generate-core.js';
import { REPO_ROOT } from '../helpers/repo.js';
import { VERSION } from '../../scripts/core/version.js';

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

  it('VERSION matches package.json', () => {
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version).toBe(VERSION);
  });
});
