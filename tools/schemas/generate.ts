/**
 * Writes `schemas/*.schema.json`, `scripts/core/records/types.generated.ts` and
 * `scripts/core/records/validators.generated.ts` from schema-source.ts, and docs/errors.md from the
 * diagnostics catalog.
 * Run with `npm run gen`; `test/records/schemas.test.ts` fails when the outputs are stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { renderSchemaFiles, renderTypes, renderValidators } from './generate-core.js';
import { renderErrorsDoc } from '../../scripts/core/diagnostics/catalog.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const [file, textOut] of renderSchemaFiles()) writeFileSync(join(repo, 'schemas', file), textOut);
writeFileSync(join(repo, 'scripts', 'core', 'records', 'types.generated.ts'), await renderTypes());
writeFileSync(join(repo, 'scripts', 'core', 'records', 'validators.generated.ts'), renderValidators());
writeFileSync(join(repo, 'docs', 'errors.md'), renderErrorsDoc());
console.log('schemas, types, validators and docs/errors.md regenerated');
