/**
 * A record kind is one module (scripts/core/kinds/<kind>.ts) registered by one line: every place
 * that knows kinds reads it from there, and the shared schema fragments are written once.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KIND_MODULES } from '../../scripts/core/kinds/registry.js';
import { DEFS, dereference, ref, schemaAt, withDefs } from '../../scripts/core/kinds/fragments.js';
import { folderHintFor, folderPatternFor, KB_DIRS, KINDS, LIFECYCLE_KINDS, LINK_FIELDS, recordPath, type AnyRecord } from '../../scripts/core/records/kinds.js';
import { executionInputSchema, SCHEMAS } from '../../scripts/core/records/schema-source.js';
import { prepareRecords, RECORD_SECTIONS, SECTION_INFO, SECTION_OF_KIND } from '../../scripts/core/publish/site-data.js';
import { checkRecordText } from '../../scripts/core/records/validate.js';
import { inputSchema } from '../../scripts/core/records/execution-input.js';

const KINDS_DIR = join(import.meta.dirname, '..', '..', 'scripts', 'core', 'kinds');
const NOT_KINDS = new Set(['contract.ts', 'fragments.ts', 'registry.ts']);

/** A minimal valid record of each kind (its folder, its recall and page fields are computed from it). */
const SAMPLES: Record<string, Record<string, unknown>> = {
  execution: { task_id: 't', task_type: 'feature', agent: 'a', started_at: '2026-03-04T10:00:00Z', duration_s: 1, outcome: 'success', scores: { accuracy: 90 }, overall: 90 },
  reflection: { reflection_type: 'free', executions: ['e1'] },
  pattern: { pattern_type: 'gotcha', category: 'integration-gotcha', status: 'proposed', statement: 's' },
  template: { status: 'proposed', summary: 's' },
  rule: { status: 'proposed', statement: 's' },
  assumption: { status: 'proposed', statement: 's' },
  synthesis: { period: 'month', period_start: '2026-03-01', period_end: '2026-03-31' },
  metrics: { period_start: '2026-03-01', period_end: '2026-03-31', metrics: {} },
};

function sample(kind: string): AnyRecord {
  return { kind, id: `${kind}-1`, created_at: '2026-03-04T10:00:00Z', ...SAMPLES[kind] } as unknown as AnyRecord;
}

describe('one module per record kind', () => {
  it('every module in scripts/core/kinds/ is registered, once, and the registry is what the product lists', () => {
    const files = readdirSync(KINDS_DIR).filter((f) => f.endsWith('.ts') && !NOT_KINDS.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...KINDS].sort());
    expect(new Set(KINDS).size).toBe(KIND_MODULES.length);
    expect(Object.keys(SCHEMAS)).toEqual([...KINDS, 'config']);
    expect(LIFECYCLE_KINDS).toEqual(['pattern', 'template', 'rule', 'assumption']);
  });

  it.each(KIND_MODULES.map((m) => [m.kind, m] as const))('%s: schema, folder, links and page agree with each other', (kind, m) => {
    expect(m.schema.$id.endsWith(`/${kind}.schema.json`)).toBe(true);
    expect((m.schema.properties.kind as { const: string }).const).toBe(kind);
    // A valid sample lands in a folder init creates, which the folder check accepts.
    const record = sample(kind);
    const path = recordPath(record);
    expect(folderPatternFor(kind).test(path)).toBe(true);
    expect(KB_DIRS.some((d) => path.startsWith(`${d}/`))).toBe(true);
    expect(folderHintFor(kind)).toBe(m.folder.hint);
    const check = checkRecordText(
      path,
      `---\n${Object.entries(record as unknown as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n')}\n---\n`,
    );
    expect(check.diagnostics).toEqual([]);
    // Every link field is an id list in the schema and points at registered kinds.
    for (const field of LINK_FIELDS[kind]) {
      const node = schemaAt(SCHEMAS[kind], field.path);
      expect(node?.type, field.path.join('.')).toBe('array');
      expect(schemaAt(node, [0])?.pattern, field.path.join('.')).toBe(DEFS.id.pattern);
      for (const to of field.to ?? []) expect(KINDS).toContain(to);
    }
    const section = SECTION_OF_KIND[kind];
    if (m.page) expect(section === 'executions' || (RECORD_SECTIONS as readonly string[]).includes(section ?? '')).toBe(true);
    else expect(section).toBeUndefined();
  });

  it('every site section is named by the module of the kind listed there, in navigation order', () => {
    expect(SECTION_INFO.map((s) => s.section)).toEqual(['executions', ...RECORD_SECTIONS]);
    for (const info of SECTION_INFO) {
      const m = KIND_MODULES.find((k) => k.page?.section === info.section)!;
      expect(info).toEqual({ section: info.section, label: m.page!.label, title: m.page!.title, intro: m.page!.intro });
    }
  });
});

describe('record pages read their kind module', () => {
  it('the evidence list is headed as the kind says (default "Evidence")', () => {
    const rows = (['reflection', 'rule', 'template', 'pattern'] as const).map((kind) => {
      const data = sample(kind);
      return { id: data.id, kind, file: recordPath(data), data, body: '' };
    });
    const { sections } = prepareRecords(rows as never);
    const titles = Object.fromEntries(Object.values(sections).flatMap((pages) => pages.map((p) => [p.kind, p.evidenceTitle])));
    expect(titles).toEqual({ reflection: 'Executions reflected on', rule: 'Patterns behind this rule', template: 'Source executions', pattern: 'Evidence' });
  });
});

describe('shared schema fragments', () => {
  it('a published schema carries exactly the fragments it uses, through other fragments too', () => {
    const planted = { type: 'object', properties: { ids: ref('idList'), when: ref('timestamp') } };
    expect(Object.keys(withDefs(planted).$defs ?? {})).toEqual(['id', 'idList', 'timestamp']);
    expect(withDefs({ type: 'object' })).toEqual({ type: 'object' });
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const refs = JSON.stringify(schema).match(/"#\/\$defs\/[A-Za-z]+"/g) ?? [];
      const defs = Object.keys((schema as { $defs?: object }).$defs ?? {});
      for (const r of refs) expect(defs, name).toContain(r.slice(9, -1));
    }
  });

  it('written out in place, a reference keeps its sibling keywords and no reference is left', () => {
    const planted = { properties: { executions: { ...ref('idList'), type: 'array', minItems: 1 } } };
    expect(dereference(planted)).toEqual({ properties: { executions: { type: 'array', items: DEFS.id, uniqueItems: true, minItems: 1 } } });
    for (const schema of [...Object.values(SCHEMAS), executionInputSchema]) expect(JSON.stringify(dereference(schema))).not.toContain('$ref');
    expect(JSON.stringify(inputSchema())).not.toContain('$ref');
  });

  it('schemaAt follows properties, items and references; says nothing where the schema says nothing', () => {
    expect(schemaAt(SCHEMAS.pattern, ['review', 'decided_at'])?.pattern).toBe(DEFS.timestamp.pattern);
    expect(schemaAt(SCHEMAS.reflection, ['evidence', 'recurring_errors', 3, 'executions', 0])?.pattern).toBe(DEFS.id.pattern);
    expect(schemaAt(SCHEMAS.reflection, ['executions'])?.minItems).toBe(1);
    expect(schemaAt(SCHEMAS.rule, ['no_such_field', 'x'])).toBeUndefined();
  });

  it('a malformed time, id list item or vocabulary term is hinted with the fragment’s description', () => {
    const text = '---\nkind: rule\nid: r1\ncreated_at: yesterday\nstatus: proposed\nstatement: s\ntags: [Bad Tag]\nreview: { decided_at: soon }\n---\n';
    const hints = checkRecordText('rules/r1.md', text).diagnostics.map((d) => [d.rule, d.line, d.hint]);
    expect(hints).toEqual([
      ['schema/format', 4, DEFS.timestamp.description],
      ['schema/format', 7, DEFS.slug.description],
      ['schema/format', 8, DEFS.timestamp.description],
    ]);
  });

  it('an unknown field inside a shared fragment is matched against that fragment’s fields', () => {
    const text = '---\nkind: rule\nid: r1\ncreated_at: 2026-03-04T10:00:00Z\nstatus: proposed\nstatement: s\nreview: { bye: me }\n---\n';
    const [d] = checkRecordText('rules/r1.md', text).diagnostics;
    expect(d?.rule).toBe('schema/unknown-field');
    expect(d?.hint).toContain('Did you mean `by`?');
  });
});
