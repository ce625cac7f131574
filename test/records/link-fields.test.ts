/**
 * One list of link fields per kind (LINK_FIELDS in core/records/kinds.ts) drives the link checks,
 * the site's record pages and their incoming links: every field in it is checked and shown.
 */
import { describe, expect, it } from 'vitest';
import { KINDS, LINK_FIELDS, type AnyRecord, type Kind } from '../../scripts/core/records/kinds.js';
import { crossRecordChecks } from '../../scripts/core/records/validate.js';
import { prepareRecords, SECTION_OF_KIND } from '../../scripts/core/publish/site-data.js';
import type { RecordRow } from '../../scripts/core/records/table.js';

/** A record of `kind` whose every link field points at `target` (shape beyond links does not matter here). */
function linking(kind: Kind, target: string): AnyRecord {
  const data: Record<string, unknown> = { kind, id: `${kind}-x`, created_at: '2026-11-02T10:00:00Z', status: 'accepted', statement: 's', period: 'week', period_end: '2026-11-08' };
  for (const f of LINK_FIELDS[kind]) {
    let to = data;
    f.path.forEach((key, i) => {
      if (i === f.path.length - 1) to[key] = [target];
      else to = (to[key] ??= {}) as Record<string, unknown>;
    });
  }
  return data as unknown as AnyRecord;
}

describe('link fields, one list per kind', () => {
  it.each(KINDS.filter((k) => LINK_FIELDS[k].length))('%s: every link field to a missing id is reported at its own path', (kind) => {
    const record = linking(kind, 'nothing-here');
    const found = crossRecordChecks([{ file: `${kind}.md`, record }], () => ({})).filter((d) => d.rule === 'link/missing');
    expect(found.length).toBe(LINK_FIELDS[kind].length);
  });

  it.each(KINDS.filter((k) => k !== 'execution' && SECTION_OF_KIND[k] && LINK_FIELDS[k].length))(
    '%s: the site page shows every labelled field and the evidence, and the target lists it as incoming',
    (kind) => {
      const target: RecordRow = {
        id: 'ex-1',
        kind: 'execution',
        file: 'ex-1.md',
        body: '',
        data: {
          kind: 'execution',
          id: 'ex-1',
          created_at: '2026-11-02T10:00:00Z',
          task_id: 't',
          task_type: 'component',
          agent: 'a',
          started_at: '2026-11-02T09:00:00Z',
          duration_s: 1,
          outcome: 'success',
          scores: { accuracy: 80, efficiency: 80, reusability: 80, surprise: 80 },
          overall: 80,
        } as AnyRecord,
      };
      const row: RecordRow = { id: `${kind}-x`, kind, file: `${kind}.md`, body: '', data: linking(kind, 'ex-1') };
      const site = prepareRecords([target, row]);
      const page = Object.values(site.sections)
        .flat()
        .find((p) => p.id === row.id)!;
      const labels = page.fields.filter(([, v]) => 'links' in v).map(([label]) => label);
      expect(labels).toEqual(LINK_FIELDS[kind].filter((f) => f.label).map((f) => f.label));
      expect(page.evidence.map((l) => l.id)).toEqual(LINK_FIELDS[kind].some((f) => f.evidence) ? ['ex-1'] : []);
      expect(site.hrefs.has('ex-1')).toBe(true);
    },
  );
});
