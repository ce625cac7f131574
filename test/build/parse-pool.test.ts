/**
 * The synchronous parse pool (index/parse-pool.ts): a cold records table of a large knowledge base
 * is parsed on worker threads while the caller blocks on shared memory. Workers run compiled code
 * only, so this drives the built module; its results must equal parsing the same files inline.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, git, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { generateKb } from '../../tools/bench/generate-kb.js';
import type { Workspace } from '../../scripts/core/workspace.js';
import type { ParsedFile } from '../../scripts/index/segments.js';

afterAll(cleanupTemp);

const dist = (p: string): string => join(REPO_ROOT, 'dist', 'scripts', p);

describe('parse pool', () => {
  it.runIf(availableParallelism() >= 2)('parses 1,600 files on worker threads, the same as inline', async () => {
    const { openWorkspace } = (await import(dist('io/workspace.js'))) as { openWorkspace: (o: { cwd: string }) => Workspace };
    const { checkFilesParallel, PARALLEL_MIN_FILES } = (await import(dist('index/parse-pool.js'))) as {
      checkFilesParallel: (ws: Workspace, f: Array<{ file: string; blob: string }>) => ParsedFile[] | undefined;
      PARALLEL_MIN_FILES: number;
    };
    const { parseFile } = (await import(dist('index/segments.js'))) as { parseFile: (ws: Workspace, file: string, blob: string, buf: undefined) => ParsedFile };
    const dir = tempRepo();
    generateKb(join(dir, 'learning-loop'), { records: 1600, seed: 3 });
    git(dir, 'add', '-A');
    const ws = openWorkspace({ cwd: dir });
    const files = git(dir, 'ls-files', '-s', 'learning-loop')
      .trim()
      .split('\n')
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        return { file: path.slice('learning-loop/'.length), blob: meta.split(' ')[1]! };
      })
      .filter((f) => f.file.endsWith('.md'));
    expect(files.length).toBeGreaterThanOrEqual(PARALLEL_MIN_FILES);
    const pooled = checkFilesParallel(ws, files);
    expect(pooled, 'the pool ran (undefined means it fell back)').toBeDefined();
    const inline = files.map((f) => parseFile(ws, f.file, f.blob, undefined));
    const byFile = (list: ParsedFile[]) => new Map(list.map((p) => [p.index.f, JSON.stringify(p)]));
    expect(byFile(pooled!)).toEqual(byFile(inline));
  });

  it('falls back (undefined) below the threshold, so small tables never start workers', async () => {
    const { openWorkspace } = (await import(dist('io/workspace.js'))) as { openWorkspace: (o: { cwd: string }) => Workspace };
    const { checkFilesParallel } = (await import(dist('index/parse-pool.js'))) as { checkFilesParallel: (ws: Workspace, f: Array<{ file: string; blob: string }>) => ParsedFile[] | undefined };
    const dir = tempRepo();
    expect(checkFilesParallel(openWorkspace({ cwd: dir }), [{ file: 'rules/x.md', blob: '0'.repeat(40) }])).toBeUndefined();
  });
});
