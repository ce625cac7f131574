/**
 * The site driver: prepares compact JSON page data from the build outputs (records table,
 * aggregates, learning snapshot, browser search index) into a folder, then runs Astro's
 * programmatic `build()` with `site/` as root. Astro reads the folder through the
 * `LEARNING_LOOP_SITE_DATA` environment variable, so the site never parses records itself.
 *
 * The data shaping is pure (core/publish: `site-data.ts`, `site-dashboard.ts`, `render-*.ts`);
 * this module reads the derived index and writes the page data and the site.
 */
import { join, resolve } from 'node:path';
import type { Workspace } from '../../core/workspace.js';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js';
import type { RecordsTable } from '../../core/records/table.js';
import { openIndex, type DerivedIndex } from '../../index/api.js';
import { addDetectedPatterns, prepareRecords, SECTION_INFO, type SiteDataOptions } from '../../core/publish/site-data.js';
import { learnRead, prepareDashboard } from '../../core/publish/site-dashboard.js';
import { prepareSearch, type SearchFiles } from './site-search.js';
import { startStaticServer, type StaticServer } from '../../io/static-server.js';
import { ensureDir, exists, isDirectory, packageRoot, removeTree, walkFiles, writeText } from '../../io/fs.js';

/** Options for `buildSite`. */
export interface SiteBuildOptions extends SiteDataOptions {
  /** Base path the site is served under, e.g. `/my-repo/` for a GitHub Pages project site. */
  base?: string;
  /** Output folder (default `<build folder>/site`). */
  outDir?: string;
  /** Site title (default: "Learnings"). */
  title?: string;
  /** Lists' page size (default 100). */
  pageSize?: number;
  /** Astro log level (default `error`). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** What a site build produced. */
export interface SiteBuildResult {
  outDir: string;
  base: string;
  /** Number of HTML pages written. */
  pages: number;
  records: number;
  executions: number;
  /** Executions that got a page of their own. */
  executionPages: number;
  /** Inputs that were not available (the site shows a "not available yet" state for them). */
  missing: string[];
  /** Diagnostics from loading the records (invalid records are left out of the site). */
  diagnostics: Diagnostic[];
  durationMs: number;
  /** Wall milliseconds per phase: build outputs, learning snapshot, page data, Astro. */
  phases: { build: number; learn: number; data: number; astro: number };
  /** CPU milliseconds (user + system) per phase, same split. */
  cpu: { build: number; learn: number; data: number; astro: number };
}

let buildCount = 0;

function cpuMs(): number {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
}

const VITE_ENV_KEYS = ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'SITE', 'ASSETS_PREFIX'];

/** Normalises a base path to `/x/y/` form ('/' when empty). */
export function normalizeBase(base: string | undefined): string {
  const parts = (base ?? '/').split('/').filter(Boolean);
  return parts.length ? `/${parts.join('/')}/` : '/';
}

/** The Astro project folder (`site/` in the package), from the repo or an installed package. */
export function siteRoot(): string {
  const candidate = join(packageRoot(), 'site');
  if (exists(join(candidate, 'src', 'pages'))) return candidate;
  throw new Error('The site project (site/src/pages) is not installed next to learning-loop.');
}

function writeJson(dir: string, name: string, value: unknown): void {
  writeText(join(dir, name), JSON.stringify(value));
}

function countHtml(dir: string): number {
  return exists(dir) ? walkFiles(dir).filter((f) => f.endsWith('.html')).length : 0;
}

/** Writes the page data folder and returns the summary the site's pages need. */
export async function writeSiteData(
  index: DerivedIndex,
  table: RecordsTable,
  dataDir: string,
  opts: SiteBuildOptions = {},
): Promise<{ records: number; executions: number; executionPages: number; missing: string[]; diagnostics: Diagnostic[]; search: SearchFiles }> {
  const ws = index.workspace;
  const learn = learnRead(await index.learned.snapshot(), await index.aggregates());
  const missing: string[] = [];
  if (!learn.snapshot) missing.push('learn');
  const records = prepareRecords(table.rows, { thresholds: ws.config.thresholds, ...opts }, learn.referencedExecutions);
  if (learn.snapshot) addDetectedPatterns(records, learn.snapshot.patterns);
  const dashboard = prepareDashboard(learn, records);
  removeTree(dataDir);
  ensureDir(dataDir);
  const search = prepareSearch(await index.searchFiles(), records);
  if (!search.available) missing.push('search');
  const counts: Record<string, number> = { executions: records.execRows.length };
  for (const [s, list] of Object.entries(records.sections)) counts[s] = list.length;
  writeJson(dataDir, 'meta.json', {
    title: opts.title ?? 'Learnings',
    pageSize: opts.pageSize ?? 100,
    counts,
    sections: SECTION_INFO,
    missing,
    invalid: table.diagnostics.filter((d) => d.severity === 'error').length,
    search: search.manifest,
    thresholds: ws.config.thresholds,
  });
  writeJson(dataDir, 'exec-rows.json', records.execRows);
  writeJson(dataDir, 'exec-pages.json', records.execPages);
  writeJson(dataDir, 'sections.json', records.sections);
  writeJson(dataDir, 'dashboard.json', dashboard);
  return {
    records: table.rows.length,
    executions: records.execRows.length,
    executionPages: records.execPages.length,
    missing,
    diagnostics: table.diagnostics,
    search,
  };
}

/**
 * Builds the static site for a workspace. Not re-entrant within one process (Astro's build and
 * the data-folder variable are process-wide); calls are serialized by the caller.
 */
export async function buildSite(ws: Workspace, opts: SiteBuildOptions = {}): Promise<SiteBuildResult> {
  const t0 = performance.now();
  const c: number[] = [cpuMs()];
  const base = normalizeBase(opts.base);
  const outDir = resolve(opts.outDir ?? join(ws.outDir, 'site'));
  const dataDir = join(ws.outDir, 'site-data');
  // Bring the build outputs up to date first (incremental: cheap when nothing changed), so the
  // site always shows what `learning-loop build` would produce for this commit.
  const index = openIndex(ws);
  const built = await index.build();
  const t1 = performance.now();
  c.push(cpuMs());
  const table: RecordsTable = { rows: built.rows, diagnostics: built.diagnostics };
  await index.learned.write(table);
  const t2 = performance.now();
  c.push(cpuMs());
  const prepared = await writeSiteData(index, table, dataDir, opts);
  const t3 = performance.now();
  c.push(cpuMs());
  const root = siteRoot();
  const prev = { data: process.env.LEARNING_LOOP_SITE_DATA, tel: process.env.ASTRO_TELEMETRY_DISABLED };
  process.env.LEARNING_LOOP_SITE_DATA = dataDir;
  // Never phone home from a build.
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // A caller running under Vite (e.g. a test runner) leaves BASE_URL & co. in process.env, which
  // would override the `base` given here; hide them for the duration of the build.
  const viteEnv = new Map<string, string>();
  for (const k of VITE_ENV_KEYS) {
    const v = process.env[k];
    if (v !== undefined) {
      viteEnv.set(k, v);
      delete process.env[k];
    }
  }
  // Astro puts its temporary server chunks in <cwd>/.astro when the output folder is outside the
  // working directory, copies that folder into the output and deletes it. Those chunks must
  // resolve Astro's packages, and two builds must not share the folder: build from a private
  // folder inside site/.astro (git-ignored), removed afterwards.
  const prevCwd = process.cwd();
  const workDir = join(root, '.astro', `build-${process.pid}-${++buildCount}`);
  ensureDir(workDir);
  process.chdir(workDir);
  try {
    const { build } = await import('astro');
    removeTree(outDir);
    await build(
      {
        root,
        configFile: false,
        base,
        outDir,
        cacheDir: join(ws.outDir, 'site-cache'),
        trailingSlash: 'always',
        build: { format: 'directory', inlineStylesheets: 'never' },
        compressHTML: true,
        devToolbar: { enabled: false },
        logLevel: opts.logLevel ?? 'error',
        // Caches go to the build folder, not into the package's site/ folder.
        vite: { logLevel: 'error', publicDir: join(root, 'public'), cacheDir: join(ws.outDir, 'site-cache', 'vite') },
      },
      { devOutput: false },
    );
  } finally {
    process.chdir(prevCwd);
    removeTree(workDir);
    for (const [k, v] of viteEnv) process.env[k] = v;
    if (prev.data === undefined) delete process.env.LEARNING_LOOP_SITE_DATA;
    else process.env.LEARNING_LOOP_SITE_DATA = prev.data;
    if (prev.tel === undefined) delete process.env.ASTRO_TELEMETRY_DISABLED;
    else process.env.ASTRO_TELEMETRY_DISABLED = prev.tel;
  }
  // The search shards are data, not pages: copy them beside the pages.
  prepared.search.copyTo(join(outDir, 'search'));
  const t4 = performance.now();
  c.push(cpuMs());
  return {
    outDir,
    base,
    pages: countHtml(outDir),
    records: prepared.records,
    executions: prepared.executions,
    executionPages: prepared.executionPages,
    missing: prepared.missing,
    diagnostics: prepared.diagnostics,
    durationMs: Math.round(t4 - t0),
    phases: { build: Math.round(t1 - t0), learn: Math.round(t2 - t1), data: Math.round(t3 - t2), astro: Math.round(t4 - t3) },
    cpu: { build: c[1]! - c[0]!, learn: c[2]! - c[1]!, data: c[3]! - c[2]!, astro: c[4]! - c[3]! },
  };
}

/** Options for `previewSite`. */
export interface SitePreviewOptions {
  /** Folder of a built site (default `<build folder>/site`). */
  dir?: string;
  base?: string;
  port?: number;
  host?: string;
}

/** Serves a built site on loopback under its base path (no rebuild). */
export async function previewSite(ws: Workspace, opts: SitePreviewOptions = {}): Promise<StaticServer> {
  const dir = resolve(opts.dir ?? join(ws.outDir, 'site'));
  if (!isDirectory(dir)) throw new Error(`No built site at ${dir}; run \`learning-loop site build\` first.`);
  return startStaticServer({ dir, base: normalizeBase(opts.base), port: opts.port ?? 4321, host: opts.host ?? '127.0.0.1' });
}
