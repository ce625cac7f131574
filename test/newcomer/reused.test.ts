/** Issue 16: `--reused` ids that look like record ids must exist; free-form names stay allowed. */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, tempRepo, writeFiles } from '../helpers/repo.js';

afterAll(cleanupTemp);

const RULE = '---\nkind: rule\nid: rule-quote-csv-fields\ncreated_at: 2026-10-01T00:00:00Z\nstatus: accepted\nstatement: Quote CSV fields.\n---\n';

async function record(repo: string, reused: string) {
  const r = await runCli(repo, ['record', '--json', '--dry-run', '--task-id', 'T-1', '--task-type', 'test', '--agent', 'a', '--outcome', 'success', '--duration', '5', '--reused', reused]);
  return {
    code: r.code,
    out: JSON.parse(r.stdout) as { ok: boolean; scores: { reusability: number }; diagnostics: Array<{ rule: string; severity: string; message: string; hint?: string; line?: number }> },
  };
}

describe('record --reused', () => {
  it('warns about an id that does not exist and does not count it towards reusability', async () => {
    const repo = tempRepo();
    await runCli(repo, ['init']);
    writeFiles(repo, { 'learning-loop/rules/rule-quote-csv-fields.md': RULE });
    const none = await record(repo, 'rule-none');
    expect(none.code).toBe(0);
    expect(none.out.scores.reusability).toBe(50);
    expect(none.out.diagnostics).toEqual([expect.objectContaining({ rule: 'link/unknown-reused', severity: 'warning' })]);
    const typo = await record(repo, 'rule-quote-csv-field');
    expect(typo.out.scores.reusability).toBe(50);
    expect(typo.out.diagnostics[0]!.hint).toContain('Did you mean `rule-quote-csv-fields`?');
  });

  it('counts existing ids and free-form names, without a warning', async () => {
    const repo = tempRepo();
    await runCli(repo, ['init']);
    writeFiles(repo, { 'learning-loop/rules/rule-quote-csv-fields.md': RULE });
    const ok = await record(repo, 'rule-quote-csv-fields,component:CsvWriter');
    expect(ok.out.scores.reusability).toBe(90);
    expect(ok.out.diagnostics).toEqual([]);
  });
});
