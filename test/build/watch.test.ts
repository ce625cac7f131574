/**
 * Watch mode with real chokidar and real files: new records, editors' atomic saves, deletions
 * and renames all end up in the outputs. Polls for results instead of sleeping fixed times.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTemp, tempRepo } from '../helpers/repo.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { startWatch, type WatchEvent } from '../../scripts/index/watch.js';

afterAll(cleanupTemp);

const rule = (id: string, statement: string) => `---\nkind: rule\nid: ${id}\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: ${statement}\n---\n`;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 25));
}

describe('watch', () => {
  it('rebuilds on add, atomic save, delete and rename', { timeout: 120_000 }, async () => {
    const dir = tempRepo({ 'learning-loop/rules/rule-a.md': rule('rule-a', 'First rule') }, { commit: true });
    const ws = openWorkspace({ cwd: dir });
    const events: WatchEvent[] = [];
    const watcher = startWatch(ws, { onBuild: (e) => events.push(e), debounceMs: 30 });
    await watcher.ready;
    const ids = () =>
      events
        .at(-1)!
        .result.rows.map((r) => r.id)
        .join(',');
    // A knowledge base this small is one segment: every row is in `records/seg-000.json`.
    const table = () => readFileSync(join(ws.outDir, 'records/seg-000.json'), 'utf8');
    try {
      expect(ids()).toBe('rule-a');
      writeFileSync(join(dir, 'learning-loop/rules/rule-b.md'), rule('rule-b', 'Second rule'));
      await until(() => ids() === 'rule-a,rule-b');

      // An editor's atomic save: write a temp file, then rename it over the record.
      const tmp = join(dir, 'learning-loop/rules/.rule-a.md.swp');
      writeFileSync(tmp, rule('rule-a', 'First rule, edited'));
      renameSync(tmp, join(dir, 'learning-loop/rules/rule-a.md'));
      await until(() => table().includes('First rule, edited'));

      // A broken save reports a new diagnostic; fixing it reports it fixed.
      writeFileSync(join(dir, 'learning-loop/rules/rule-b.md'), '---\nkind: rule\nid: rule-b\n---\n');
      await until(() => events.at(-1)!.added.some((d) => d.file.endsWith('rule-b.md')));
      writeFileSync(join(dir, 'learning-loop/rules/rule-b.md'), rule('rule-b', 'Second rule again'));
      await until(() => events.at(-1)!.fixed.length > 0 && ids() === 'rule-a,rule-b');

      renameSync(join(dir, 'learning-loop/rules/rule-b.md'), join(dir, 'learning-loop/rules/rule-c.md'));
      writeFileSync(join(dir, 'learning-loop/rules/rule-c.md'), rule('rule-c', 'Renamed rule'));
      await until(() => ids() === 'rule-a,rule-c' && !table().includes('rule-b'));

      rmSync(join(dir, 'learning-loop/rules/rule-a.md'));
      await until(() => ids() === 'rule-c' && !table().includes('rule-a'));
      expect(JSON.parse(readFileSync(join(ws.outDir, 'manifest.json'), 'utf8')).records).toBe(1);
    } finally {
      await watcher.close();
    }
  });
});
