/** Helpers for interop tests: small knowledge bases written with the real record renderer. */
import { expect } from 'vitest';
import { git, runCli, tempRepo } from '../helpers/repo.js';
import { renderRecord } from '../../scripts/core/records/write.js';
import { recordPath, type AnyRecord } from '../../scripts/core/records/kinds.js';

/** A fresh Git repository with an initialised, committed knowledge base (`learning-loop init`). */
export async function initializedKb(): Promise<string> {
  const repo = tempRepo({ 'README.md': '# t\n' }, { commit: true });
  expect((await runCli(repo, ['init'])).code).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  return repo;
}

/** Files (repo-relative) for the given records under `learning-loop/`. */
export function kbFiles(records: AnyRecord[], body = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) out[`learning-loop/${recordPath(r)}`] = renderRecord(r, body);
  return out;
}

/** An accepted (by default) rule. */
export function rule(id: string, statement: string, extra: Record<string, unknown> = {}): AnyRecord {
  return { kind: 'rule', id, created_at: '2026-11-01T10:00:00Z', status: 'accepted', statement, ...extra } as AnyRecord;
}

/** An execution that recalled the given ids. */
export function execution(id: string, outcome: 'success' | 'failure' | 'partial', recalled: string[], extra: Record<string, unknown> = {}): AnyRecord {
  const ok = outcome === 'success';
  return {
    kind: 'execution',
    id,
    created_at: '2026-11-02T10:10:00Z',
    task_id: `t-${id}`,
    task_type: 'component',
    agent: 'claude',
    started_at: '2026-11-02T10:00:00Z',
    duration_s: 600,
    outcome,
    scores: ok ? { accuracy: 80, efficiency: 80, reusability: 80, surprise: 40 } : { accuracy: 40, efficiency: 40, reusability: 40, surprise: 40 },
    overall: ok ? 70 : 40,
    trigger: ok ? null : 'mandatory_reflection',
    recalled,
    ...extra,
  } as AnyRecord;
}
