/**
 * Incremental build correctness on real Git repositories: after edits, deletions, renames,
 * invalid and untracked files, the incremental outputs equal a clean full build byte for byte.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanupTemp, git, runCli, spawnCli, tempDir, tempRepo } from '../helpers/repo.js';
import { generateKb } from '../../tools/bench/generate-kb.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { runBuild } from '../../scripts/index/build.js';
import { isBuildCurrent } from '../../scripts/index/freshness.js';
import { readAggregates, readManifest } from '../../scripts/index/outputs.js';
import { openStoreDir } from '../../scripts/index/store-fs.js';
import { answer } from '../../scripts/core/recall/answer.js';
import { SEGMENT_SIZE, segmentCount, segmentOf } from '../../scripts/index/segments.js';
import { gitListing, scanKnowledgeBase } from '../../scripts/index/scan.js';
import { loadTable } from '../../scripts/index/table.js';
import { checkKnowledgeBase } from '../../scripts/index/check-kb.js';

afterAll(cleanupTemp);

/** Every output file of a build folder (the cache excluded), path -> content. */
function outputs(outDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) {
        if (name !== 'cache') walk(abs);
      } else out[relative(outDir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(outDir);
  return out;
}

function repoWithKb(records: number): string {
  const dir = tempRepo();
  generateKb(join(dir, 'learning-loop'), { records, seed: 7 });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'kb');
  return dir;
}

async function fullBuildOutputs(dir: string): Promise<Record<string, string>> {
  const other = tempDir();
  await runBuild(openWorkspace({ cwd: dir, outDir: other }), { full: true });
  return outputs(other);
}

describe('incremental build', () => {
  it('equals a clean full build after edits, deletes, renames, invalid and untracked files', async () => {
    const dir = repoWithKb(80);
    const ws = openWorkspace({ cwd: dir });
    const first = await runBuild(ws);
    expect(first.stats.parsed).toBe(first.files);
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));

    const files = first.rows.filter((r) => r.kind === 'execution').map((r) => join(dir, r.file));
    // Edit (title), delete, rename (an uncommitted move: deleted + untracked), staged edit.
    writeFileSync(files[0]!, readFileSync(files[0]!, 'utf8').replace(/^title: .*$/m, 'title: edited booking-form title'));
    rmSync(files[1]!);
    renameSync(files[2]!, files[2]!.replace(/\.md$/, '-moved.md')); // file name no longer matches id: a warning
    writeFileSync(files[3]!, readFileSync(files[3]!, 'utf8').replace(/^agent: .*$/m, 'agent: staged-agent'));
    git(dir, 'add', files[3]!);
    // A new invalid record and an untracked valid one.
    const bad = join(dir, 'learning-loop/rules/broken.md');
    writeFileSync(bad, '---\nkind: rule\nid: broken\nstatus: maybe\n---\n');
    writeFileSync(join(dir, 'learning-loop/rules/rule-new.md'), '---\nkind: rule\nid: rule-new\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: New rule for booking-form\n---\n');

    const second = await runBuild(ws);
    expect(second.stats.parsed).toBe(5); // edited, moved, staged, broken, new
    expect(second.stats.changed.length).toBe(7); // + the deleted file and the rename's old path
    expect(second.diagnostics.some((d) => d.file.endsWith('rules/broken.md') && d.rule === 'schema/enum')).toBe(true);
    expect(second.rows.some((r) => r.id === 'rule-new')).toBe(true);
    expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));

    // Committing changes nothing in the outputs (blob ids are the same).
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'changes');
    const third = await runBuild(ws);
    expect(third.stats.parsed).toBe(0);
    expect(third.stats.written).toEqual([]);
  });

  it('sees every change through the scan digest, also a second edit of an already dirty file', async () => {
    const dir = repoWithKb(30);
    const ws = openWorkspace({ cwd: dir });
    await runBuild(ws);
    const rule = join(dir, 'learning-loop/rules/rule-digest.md');
    const text = (s: string) => `---\nkind: rule\nid: rule-digest\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: ${s}\n---\n`;
    writeFileSync(rule, text('one'));
    expect((await runBuild(ws)).stats.parsed).toBe(1);
    expect(isBuildCurrent(ws)).toBe(true);
    // Same dirty file list, new content: the digest hashes dirty files' content.
    writeFileSync(rule, text('two'));
    expect(isBuildCurrent(ws)).toBe(false);
    expect((await runBuild(ws)).stats.parsed).toBe(1);
    // Staging and committing change the index listing but not the content: nothing to do.
    git(dir, 'add', '-A');
    expect(isBuildCurrent(ws)).toBe(true);
    git(dir, 'commit', '-q', '-m', 'rule');
    const after = await runBuild(ws);
    expect([after.stats.parsed, after.stats.written.length]).toEqual([0, 0]);
    // An edit of a committed file, then its revert.
    const original = readFileSync(rule, 'utf8');
    writeFileSync(rule, text('three'));
    expect(isBuildCurrent(ws)).toBe(false);
    writeFileSync(rule, original);
    expect(isBuildCurrent(ws)).toBe(true);
    expect(readAggregates(ws.outDir)!.totals.records).toBe(after.records);
  });

  it('keeps cross-record results right when the cached result is reused or must be redone', async () => {
    const dir = repoWithKb(40);
    const ws = openWorkspace({ cwd: dir });
    const rule = (id: string, extra = '') => `---\nkind: rule\nid: ${id}\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\n${extra}statement: s\n---\n`;
    const a = join(dir, 'learning-loop/rules/rule-a.md');
    const b = join(dir, 'learning-loop/rules/rule-b.md');
    writeFileSync(a, rule('rule-a', 'from_patterns:\n  - pat-missing\n'));
    writeFileSync(b, rule('rule-b'));
    const check = async () => {
      const r = await runBuild(ws);
      expect(r.diagnostics).toEqual(checkKnowledgeBase(ws).diagnostics);
      expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));
      return r.diagnostics.filter((d) => d.rule === 'id/duplicate' || d.rule.startsWith('link/'));
    };
    expect((await check()).map((d) => `${d.rule}@${d.line}`)).toEqual(['link/missing@7']);
    // An edit that moves the broken link down two lines (same ids and links): the position follows.
    writeFileSync(a, rule('rule-a', 'title: moved\ntags: []\nfrom_patterns:\n  - pat-missing\n'));
    expect((await check()).map((d) => `${d.rule}@${d.line}`)).toEqual(['link/missing@9']);
    // An edit elsewhere (no id or link change) keeps the result; a duplicate id is found at once.
    writeFileSync(b, rule('rule-b').replace('statement: s', 'statement: t'));
    expect(await check()).toHaveLength(1);
    writeFileSync(b, rule('rule-a'));
    expect((await check()).map((d) => d.rule).sort()).toEqual(['id/duplicate', 'id/duplicate', 'link/missing']);
    // Fixing the link and the duplicate clears everything.
    writeFileSync(a, rule('rule-a'));
    writeFileSync(b, rule('rule-b'));
    expect(await check()).toEqual([]);
    // A duplicate id in a record that is also invalid (no statement) is reported at once, cached or not.
    writeFileSync(b, rule('rule-a').replace('statement: s\n', ''));
    expect((await check()).map((d) => `${d.rule} ${d.file}`).sort()).toEqual(['id/duplicate learning-loop/rules/rule-a.md', 'id/duplicate learning-loop/rules/rule-b.md']);
    writeFileSync(b, rule('rule-b').replace('statement: s\n', ''));
    expect(await check()).toEqual([]);
  });

  it('builds the same outputs on worker threads as inline, full and incremental', { timeout: 120_000 }, async () => {
    // Worker threads run compiled code only, so this drives the built CLI in real processes.
    // 900 files are eight segments, shared by two workers.
    const dir = repoWithKb(900);
    const outDir = openWorkspace({ cwd: dir }).outDir;
    const build = async (workers: string, ...extra: string[]) => {
      const r = await spawnCli(dir, ['build', '--json', '--workers', workers, ...extra]);
      // 1 once the deleted execution leaves links dangling: reported the same way by both.
      expect(r.code, r.stderr).toBeLessThan(2);
      return { summary: JSON.parse(r.stdout) as { parsed: number }, outputs: outputs(outDir) };
    };
    const pooled = await build('2', '--full');
    expect(pooled.summary.parsed).toBe(900);
    expect(pooled.outputs).toEqual((await build('0', '--full')).outputs);
    // Edits in several segments, a deletion and a new record: an incremental build on the pool.
    // The deleted execution leaves links dangling, so some segments lose rows to the
    // cross-record checks and their Lunr shards cannot be the ones built ahead of them.
    const files = readdirSync(join(dir, 'learning-loop/memory/short-term/executions'), { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name));
    for (const f of files.slice(0, 6)) writeFileSync(f, readFileSync(f, 'utf8').replace(/^title: .*$/m, 'title: edited on the pool'));
    rmSync(files[7]!);
    writeFileSync(join(dir, 'learning-loop/rules/rule-pool.md'), '---\nkind: rule\nid: rule-pool\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: Pool rule\n---\n');
    const incremental = await build('2');
    expect(incremental.summary.parsed).toBe(7);
    expect(incremental.outputs).toEqual((await build('0', '--full')).outputs);
  });

  it('moves cached records to new segments when the knowledge base crosses a segment boundary', { timeout: 120_000 }, async () => {
    // SEGMENT_SIZE files are one segment; one more makes two. Nothing already cached is parsed again.
    const dir = tempRepo();
    const files = generateKb(join(dir, 'learning-loop'), { records: SEGMENT_SIZE, seed: 11 });
    const ws = openWorkspace({ cwd: dir });
    const first = await runBuild(ws, { workers: 0 });
    expect(first.files).toBe(SEGMENT_SIZE);
    expect(readManifest(ws.outDir)!.segment_keys).toHaveLength(1);
    for (let i = 0; i < 3; i++)
      writeFileSync(join(dir, `learning-loop/rules/rule-grow-${i}.md`), `---\nkind: rule\nid: rule-grow-${i}\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: Grown ${i}\n---\n`);
    const grown = await runBuild(ws, { workers: 0 });
    expect(grown.stats.parsed).toBe(3);
    expect(readManifest(ws.outDir)!.segment_keys).toHaveLength(2);
    expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));
    // And back: removing files shrinks the layout again, still without re-parsing.
    for (const f of files.slice(0, 10)) rmSync(join(dir, 'learning-loop', f));
    const shrunk = await runBuild(ws, { workers: 0 });
    expect(shrunk.stats.parsed).toBe(0);
    expect(readManifest(ws.outDir)!.segment_keys).toHaveLength(1);
    expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));
  });

  it('reads only changed segments (summaries for the rest) and still equals a full build', { timeout: 180_000 }, async () => {
    const dir = repoWithKb(SEGMENT_SIZE * 2 + 100);
    const ws = openWorkspace({ cwd: dir });
    const first = await runBuild(ws, { workers: 0 });
    const segments = segmentCount(first.files);
    expect(segments).toBe(4);
    const kb = (f: string) => f.slice('learning-loop/'.length);
    const executions = first.rows.filter((r) => r.kind === 'execution');
    const reflection = first.rows.find((r) => r.kind === 'reflection')!;
    // An execution in another segment than the reflection, and one more in a third segment.
    const segOf = (f: string) => segmentOf(kb(f), segments);
    const target = executions.find((r) => segOf(r.file) !== segOf(reflection.file))!;
    const other = executions.find((r) => ![segOf(reflection.file), segOf(target.file)].includes(segOf(r.file)))!;
    const abs = (f: string) => join(dir, f);
    const check = async (label: string, read?: number) => {
      const r = await runBuild(ws, { workers: 0 });
      if (read !== undefined) expect(r.stats.segmentsRead, label).toBe(read);
      expect(outputs(ws.outDir), label).toEqual(await fullBuildOutputs(dir));
      return r;
    };
    // A plain edit: one segment read, the other three known by their summaries.
    const otherText = readFileSync(abs(other.file), 'utf8');
    writeFileSync(
      abs(other.file),
      otherText.replace(/^duration_s: (\d+)$/m, (_m, n: string) => `duration_s: ${Number(n) + 7}`),
    );
    await check('edit', 1);
    // The reflection now also links the target: the target's segment is rendered again (links).
    const reflText = readFileSync(abs(reflection.file), 'utf8');
    writeFileSync(abs(reflection.file), reflText.replace(/^executions:\n/m, `executions:\n  - ${target.id}\n`));
    await check('new link');
    // The target is deleted: a dangling link drops the reflection in a segment that did not change.
    const targetText = readFileSync(abs(target.file), 'utf8');
    rmSync(abs(target.file));
    expect((await check('linked record deleted')).diagnostics.map((d) => d.rule)).toContain('link/missing');
    writeFileSync(abs(target.file), targetText);
    await check('restored');
    // A duplicate id across segments, then a renamed file, then a broken one.
    const dup = join(dir, 'learning-loop/memory/short-term/executions/2026/01/ex-dup.md');
    writeFileSync(dup, otherText);
    expect((await check('duplicate')).diagnostics.filter((d) => d.rule === 'id/duplicate')).toHaveLength(2);
    rmSync(dup);
    await check('duplicate removed');
    renameSync(abs(other.file), abs(other.file).replace(/\.md$/, '-moved.md'));
    await check('renamed');
    writeFileSync(abs(target.file), targetText.replace(/^outcome: .*$/m, 'outcome: [oops'));
    expect((await check('broken yaml')).diagnostics.map((d) => d.rule)).toContain('yaml/syntax');
    // Damaged cache parts: a summary (its segment is read again) and the entries of a segment
    // known by its summary (read, and repaired, only when a pass needs every segment).
    writeFileSync(abs(target.file), targetText);
    await check('fixed');
    const cacheDir = join(ws.outDir, 'cache');
    const untouched = [0, 1, 2, 3].find((n) => n !== segOf(target.file) && n !== segmentOf(kb(relative(dir, dup)), segments))!;
    writeFileSync(join(cacheDir, `sum-00${(untouched + 1) % 4}.json`), '{"summary": [garbage');
    writeFileSync(join(cacheDir, `idx-00${untouched}.json`), 'not json');
    writeFileSync(
      abs(target.file),
      targetText.replace(/^duration_s: (\d+)$/m, (_m, n: string) => `duration_s: ${Number(n) + 3}`),
    );
    expect((await check('damaged summary')).cacheDiagnostics).toEqual([]);
    writeFileSync(dup, otherText.replace(/^id: .*$/m, `id: ${reflection.id}`));
    const repaired = await check('damaged entries, all segments needed', segments);
    expect(repaired.cacheDiagnostics.map((d) => d.rule)).toEqual(['build/cache-corrupt']);
  });

  it('lists the same changes with one Git process or two', () => {
    const dir = repoWithKb(40);
    const ws = openWorkspace({ cwd: dir });
    const files = readdirSync(join(dir, 'learning-loop/memory/short-term/executions'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.md'))
      .sort();
    const at = (i: number) => join(dir, 'learning-loop/memory/short-term/executions', files[i]!);
    writeFileSync(at(0), `${readFileSync(at(0), 'utf8')}\nedited\n`);
    rmSync(at(1));
    writeFileSync(at(2), `${readFileSync(at(2), 'utf8')}\nstaged\n`);
    git(dir, 'add', at(2));
    writeFileSync(join(dir, 'learning-loop/rules/rule-new.md'), '---\nkind: rule\nid: rule-new\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: s\n---\n');
    const one = gitListing(ws, { split: false })!;
    const two = gitListing(ws, { split: true })!;
    expect([...two.dirty.keys()]).toEqual([...one.dirty.keys()]);
    expect([...one.dirty.keys()]).toEqual([at(0), at(1), join(dir, 'learning-loop/rules/rule-new.md')].map((f) => relative(dir, f)).sort());
    expect(scanKnowledgeBase(ws, two)).toEqual(scanKnowledgeBase(ws, one));
    // Another process changes the Git index meanwhile: the listing says so, and its digest is
    // not remembered for a scan that may mix both indexes.
    expect(one.settled()).toBe(true);
    git(dir, 'add', '-A');
    expect([one.settled(), two.settled()]).toEqual([false, false]);
  });

  it('serves loadTable from the cache with exactly what a full check gives', () => {
    const dir = repoWithKb(60);
    writeFileSync(join(dir, 'learning-loop/rules/dup.md'), '---\nkind: rule\nid: dup\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: x\n---\n');
    writeFileSync(join(dir, 'learning-loop/rules/dup2.md'), '---\nkind: rule\nid: dup\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: y\n---\n');
    writeFileSync(join(dir, 'learning-loop/notes.txt'), 'not a record');
    const ws = openWorkspace({ cwd: dir });
    const check = checkKnowledgeBase(ws);
    const expected = check.records.map((r) => ({ id: r.record.id, kind: r.record.kind, file: r.file, data: r.record, body: r.body }));
    const cold = loadTable(ws);
    const warm = loadTable(ws);
    for (const t of [cold, warm]) {
      expect(t.rows).toEqual([...expected].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : 1)));
      expect(t.diagnostics).toEqual(check.diagnostics);
    }
    expect(cold.diagnostics.filter((d) => d.rule === 'id/duplicate')).toHaveLength(2);
  });

  it('detects a corrupted or stale cache and rebuilds it', async () => {
    const dir = repoWithKb(60);
    const ws = openWorkspace({ cwd: dir });
    await runBuild(ws);
    const cacheDir = join(ws.outDir, 'cache');
    const shard = readdirSync(cacheDir).find((n) => n.startsWith('seg-'))!;
    writeFileSync(join(cacheDir, shard), '{"salt": "x", "entries": [garbage');
    // (With nothing changed the build is a no-op that never reads the cache; change a record.)
    const rule = join(dir, 'learning-loop/rules/rule-extra.md');
    writeFileSync(rule, '---\nkind: rule\nid: rule-extra\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: one\n---\n');
    const repaired = await runBuild(ws);
    expect(repaired.cacheDiagnostics.map((d) => d.rule)).toEqual(['build/cache-corrupt']);
    expect(repaired.stats.parsed).toBeGreaterThan(0);
    expect(outputs(ws.outDir)).toEqual(await fullBuildOutputs(dir));
    // A bogus header: everything is parsed again.
    writeFileSync(join(cacheDir, 'index.json'), 'not json');
    writeFileSync(rule, '---\nkind: rule\nid: rule-extra\ncreated_at: 2026-11-02T10:00:00Z\nstatus: accepted\nstatement: two\n---\n');
    const again = await runBuild(ws);
    expect(again.cacheDiagnostics).toHaveLength(1);
    expect(again.stats.parsed).toBe(again.files);
    // A deleted output file is restored even though nothing changed in the KB.
    rmSync(join(ws.outDir, 'aggregates.json'));
    await runBuild(ws);
    expect(existsSync(join(ws.outDir, 'aggregates.json'))).toBe(true);
    // Stale: a config change that alters validation results invalidates every entry.
    mkdirSync(join(dir, 'learning-loop/config'), { recursive: true });
    writeFileSync(join(dir, 'learning-loop/config/triggers.yaml'), 'reflection_triggers:\n  thresholds:\n    low_performance: 10\n');
    const stale = await runBuild(openWorkspace({ cwd: dir }));
    expect(stale.stats.parsed).toBe(stale.files);
    expect(stale.cacheDiagnostics).toEqual([]);
  });

  it('is deterministic and works outside Git', async () => {
    const dir = tempDir();
    generateKb(join(dir, 'learning-loop'), { records: 50, seed: 3 });
    const a = tempDir();
    const b = tempDir();
    const r = await runBuild(openWorkspace({ cwd: dir, outDir: a }));
    await runBuild(openWorkspace({ cwd: dir, outDir: b }), { full: true });
    expect(r.stats.scan).toBe('fs');
    expect(outputs(a)).toEqual(outputs(b));
    const agg = readAggregates(a)!;
    expect(agg.totals.records).toBe(r.records);
    expect(Object.keys(agg.by_component).length).toBeGreaterThan(3);
    expect(Object.keys(agg.by_week).every((w) => /^\d{4}-W\d{2}$/.test(w))).toBe(true);
    // The recall store opens and finds records.
    const hits = answer(openStoreDir(a)!, 'booking').insights;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.path).toMatch(/^learning-loop\//);
  });

  it('build command: JSON summary and exit codes', async () => {
    const dir = repoWithKb(30);
    const ok = await runCli(dir, ['build', '--json']);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout);
    expect(doc).toMatchObject({ ok: true, outDir: '.learning-loop/build', parsed: doc.files });
    writeFileSync(join(dir, 'learning-loop/rules/broken.md'), '---\nkind: rule\n---\n');
    const bad = await runCli(dir, ['build']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('learning-loop/rules/broken.md');
    expect(bad.stdout).toMatch(/Built \d+ records/);
    const missing = await runCli(tempRepo(), ['build', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).diagnostics[0].rule).toBe('kb/missing');
  });
});
