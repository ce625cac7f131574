/**
 * The learnings site end to end, in a real browser: build once (through the CLI, in-process)
 * from a generated knowledge base, serve it under a base path like a GitHub Pages project site,
 * then visit every page kind, search with the keyboard, follow links, run axe-core, check every
 * internal link, and make sure the XSS corpus executes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'parse5';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { cleanupTemp, REPO_ROOT, runCli, tempRepo } from '../helpers/repo.js';
import { generateKb, XSS_CORPUS } from '../../tools/bench/site-kb.js';
import { startStaticServer, type StaticServer } from '../../scripts/io/static-server.js';
import { checkSiteLinks } from '../../scripts/agents/publish/site-links.js';
import { previewSite } from '../../scripts/agents/publish/site.js';
import { openWorkspace } from '../../scripts/io/workspace.js';
import { openStoreDir } from '../../scripts/index/store-fs.js';
import { answer } from '../../scripts/core/recall/answer.js';

const BASE = '/learnings-test/';
const CHROMIUM = '/usr/bin/chromium';

let repo: string;
let out: string;
let built: { ok: boolean; pages: number; executions: number; executionPages: number; missing: string[]; links: { checked: number; broken: unknown[] } };
let server: StaticServer;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  repo = tempRepo();
  generateKb(repo, { executions: 150, attacks: true });
  out = join(repo, '_site');
  // A cap below the number of executions, so list-only executions are exercised too.
  const run = await runCli(repo, ['site', 'build', '--base', BASE, '--out', '_site', '--execution-pages', '60', '--json']);
  expect(run.stderr).toBe('');
  built = JSON.parse(run.stdout);
  expect(run.code, run.stdout.slice(0, 3000)).toBe(0);
  server = await startStaticServer({ dir: out, base: BASE, port: 0, host: '127.0.0.1' });
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'll-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  cleanupTemp();
});

async function visit(path: string): Promise<void> {
  const res = await page.goto(server.url + path);
  expect(res?.status(), path).toBe(200);
}

async function axe(path: string): Promise<Array<{ id: string; impact: string; nodes: number }>> {
  await visit(path);
  await page.addScriptTag({ path: join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = (await page.evaluate(async () => {
    const g = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, o: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } };
    const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  })) as Array<{ id: string; impact: string; nodes: number }>;
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('site build', () => {
  it('builds every page kind from the build outputs, with nothing missing and no broken links', () => {
    expect(built.ok).toBe(true);
    expect(built.missing).toEqual([]);
    expect(built.executions).toBe(150);
    // 60 most recent plus the ones other records reference.
    expect(built.executionPages).toBeGreaterThanOrEqual(60);
    expect(built.executionPages).toBeLessThan(150);
    expect(built.links.broken).toEqual([]);
    expect(built.links.checked).toBeGreaterThan(1000);
  });

  it('keeps every internal link and asset under the base path', () => {
    const check = checkSiteLinks(out, BASE);
    expect(check.broken).toEqual([]);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="(\/[^"]*)"/g)) expect(m[1]!.startsWith(BASE), m[1]).toBe(true);
  });

  it('writes well-formed HTML: no parse errors, no duplicate ids, one h1 and a lang on every page', () => {
    const problems: string[] = [];
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
    expect(files.length).toBe(built.pages);
    for (const f of files) {
      const html = readFileSync(join(out, f), 'utf8');
      parse(html, { onParseError: (e) => problems.push(`${f}:${e.startLine}:${e.startCol} ${e.code}`) });
      const ids = [...html.matchAll(/<[a-zA-Z][^>]*\sid="([^"]*)"/g)].map((m) => m[1]!);
      const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (dup.length) problems.push(`${f}: duplicate ids ${[...new Set(dup)].join(', ')}`);
      if ((html.match(/<h1[\s>]/g) ?? []).length !== 1) problems.push(`${f}: not exactly one h1`);
      if (!/^<!DOCTYPE html><html lang="en"/i.test(html)) problems.push(`${f}: no doctype or lang`);
    }
    expect(problems).toEqual([]);
  });

  it('preview serves the built site under its base path only', async () => {
    const preview = await previewSite(openWorkspace({ cwd: repo }), { dir: out, base: BASE, port: 0 });
    try {
      expect(preview.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${BASE}$`));
      const home = await fetch(preview.url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toContain('text/html');
      expect((await fetch(preview.url.replace(BASE, '/'))).status).toBe(404);
      expect((await fetch(`${preview.url}..%2F..%2F..%2Fetc%2Fpasswd`)).status).not.toBe(200);
      expect((await fetch(`${preview.url}search/meta.json`)).status).toBe(200);
    } finally {
      await preview.close();
    }
  });

  it('finds a link that really is broken', () => {
    // The checker itself must be able to fail: the same site served under another base is all broken.
    expect(checkSiteLinks(out, '/elsewhere/').broken.length).toBeGreaterThan(100);
  });
});

describe('pages in the browser', () => {
  it('dashboard: five metrics with trends, success criteria, flags with evidence, charts with text alternatives, latest synthesis', async () => {
    await visit('');
    for (const key of ['component_reuse_rate', 'api_integration_time', 'agent_effectiveness', 'pattern_stability', 'overall_improvement']) {
      await expect(page.locator(`#metric-${key} .value`).textContent()).resolves.toMatch(/\S/);
    }
    expect(await page.locator('#criteria-h + .card li').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('li.flag').count()).toBeGreaterThan(0);
    // Every chart is an accessible image with a title, a description and a data table.
    const charts = page.locator('figure.chart-card');
    expect(await charts.count()).toBe(5);
    for (let i = 0; i < 5; i++) {
      const svg = charts.nth(i).locator('svg');
      await expect(svg.getAttribute('role')).resolves.toBe('img');
      expect(await svg.locator(':scope > title').count()).toBe(1);
      expect(await svg.locator(':scope > desc').count()).toBe(1);
      expect(await charts.nth(i).locator('table tbody tr').count()).toBeGreaterThan(0);
    }
    // Flag evidence links lead to execution pages.
    const evidence = page.locator('li.flag details a').first();
    await page.locator('li.flag summary').first().click();
    const href = await evidence.getAttribute('href');
    expect(href).toMatch(new RegExp(`^${BASE}executions/ex-\\d+/$`));
    await evidence.click();
    expect(await page.locator('h2#sc-h').count()).toBe(1);
    await visit('');
    await page.locator('#syn-h + article a').first().click();
    expect(page.url()).toContain(`${BASE}synthesis/syn-week-`);
  });

  it('executions: paginated, filterable by facet pages, sortable in the browser, with a page per execution', async () => {
    await visit('executions/');
    expect(await page.locator('table.exec-table tbody tr').count()).toBe(100);
    await page.locator('nav.pager a[rel=next]').click();
    expect(page.url()).toBe(`${server.url}executions/page/2/`);
    expect(await page.locator('table.exec-table tbody tr').count()).toBe(50);
    // Filter by agent: every row shows that agent.
    await visit('executions/');
    await page.locator('.facets summary', { hasText: 'Agent' }).click();
    await page.locator('.facets a', { hasText: 'claude' }).click();
    expect(page.url()).toBe(`${server.url}executions/by/agent/claude/`);
    const agents = await page.locator('table.exec-table tbody tr td:nth-child(3)').allTextContents();
    expect(agents.length).toBeGreaterThan(0);
    expect(new Set(agents)).toEqual(new Set(['claude']));
    // Outcome and score facets exist too.
    await visit('executions/by/outcome/failure/');
    expect(new Set(await page.locator('table.exec-table tbody tr td:nth-child(6)').allTextContents())).toEqual(new Set(['failure']));
    await visit('executions/by/score/low/');
    const low = (await page.locator('table.exec-table tbody tr td:nth-child(7)').allTextContents()).map(Number);
    expect(low.every((s) => s < 60)).toBe(true);
    // Sorting by score with the column header (client-side, aria-sort announces it).
    await visit('executions/');
    await page.locator('th[data-key=overall] button').click();
    await expect(page.locator('th[data-key=overall]').getAttribute('aria-sort')).resolves.toBe('ascending');
    const scores = (await page.locator('table.exec-table tbody tr td:nth-child(7)').allTextContents()).map(Number);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    // A failed execution's page: score card, errors, linked reflection.
    await visit('reflections/');
    await page.locator('.record-list a').first().click();
    const execLink = page.locator('#ev-h + .card a').first();
    await execLink.click();
    expect(await page.locator('h2#sc-h').count()).toBe(1);
    expect(await page.locator('.score .n').count()).toBe(5);
    await expect(page.locator('#err-h + ul li, section:has(#err-h) li').first().textContent()).resolves.toMatch(/\S/);
    expect(await page.locator('#refl-h + .card a').count()).toBeGreaterThan(0);
  });

  it('patterns, rules, templates, reflections, assumptions, synthesis: lists with status and pages with evidence', async () => {
    for (const section of ['patterns', 'rules', 'templates', 'reflections', 'assumptions', 'synthesis']) {
      await visit(`${section}/`);
      const items = page.locator('.record-list li');
      expect(await items.count(), section).toBeGreaterThan(0);
      await items.first().locator('a').first().click();
      expect(page.url(), section).toMatch(new RegExp(`${BASE}${section}/[^/]+/$`));
      await expect(page.locator('h1').textContent()).resolves.toMatch(/\S/);
    }
    await visit('patterns/');
    const statuses = new Set(await page.locator('.record-list .badge').allTextContents());
    for (const s of ['accepted', 'proposed', 'rejected', 'archived']) expect(statuses.has(s), s).toBe(true);
    await visit('patterns/pat-000000/');
    const ev = page.locator('#ev-h + .card a');
    expect(await ev.count()).toBeGreaterThan(0);
    await ev.first().click();
    // The execution page says which patterns it is evidence for.
    expect(await page.locator('#pat-h + .card a', { hasText: /./ }).count()).toBeGreaterThan(0);
  });

  it('effect of memory: the estimate like for like, by task type and agent, and a forest plot with its data table', async () => {
    await visit('effect/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Effect of memory');
    await expect(page.locator('#overall-h .badge').textContent()).resolves.toMatch(/^(helps|harms|unclear)$/);
    expect(await page.locator('svg.chart-forest rect.est').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-effect-forest table tbody tr').count()).toBe(await page.locator('svg.chart-forest rect.est').count());
    await expect(page.locator('#chart-effect-forest thead').textContent()).resolves.toContain('Odds ratio');
    await visit('');
    await expect(page.locator('#effect-summary a').getAttribute('href')).resolves.toBe(`${BASE}effect/`);
  });

  it('agents page and 404 page', async () => {
    await visit('agents/');
    expect(await page.locator('h2 + .table-wrap table tbody tr').count()).toBe(5);
    // Cost per success: only claude's runs report a cost in the generated history.
    expect(await page.locator('h2 + .table-wrap table thead th').last().textContent()).toBe('Cost per success');
    const costOf = (agent: string) =>
      page
        .locator('h2 + .table-wrap table tbody tr', { has: page.locator(`th a:text-is("${agent}")`) })
        .locator('td')
        .last()
        .textContent();
    await expect(costOf('claude')).resolves.toMatch(/^\$\d+(\.\d+)?$/);
    await expect(costOf('codex')).resolves.toBe('no cost data');
    await visit('');
    await expect(page.locator('#cost-per-success tbody tr').count()).resolves.toBe(5);
    await visit('agents/');
    await page.locator('h2 + .table-wrap table tbody tr a').first().click();
    expect(page.url()).toContain(`${BASE}executions/by/agent/`);
    const res = await page.goto(`${server.url}no/such/page/`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
  });

  it('search: the recall engine in the browser, lazy-loaded, keyboard only, under the base path', async () => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await visit('search/');
    expect(requests.some((u) => u.includes('/search/meta.json'))).toBe(false);
    await page.keyboard.press('/');
    await page.keyboard.type('webhook signatures');
    await expect.poll(() => page.locator('#results li').count()).toBeGreaterThan(0);
    expect(requests.some((u) => u.startsWith(`${server.url}search/meta.json`))).toBe(true);
    // The same answer, in the same order, as `learning-loop recall` (the library) gives.
    const ws = openWorkspace({ cwd: repo });
    for (const q of ['webhook signatures', 'what failed with the booking form?', 'show all failure patterns']) {
      await page.locator('#q').fill(q);
      const cli = answer(openStoreDir(ws.outDir)!, q, { limit: 50, budget: 1_000_000 }).insights.map((i) => i.id);
      await expect.poll(() => page.locator('#results li').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { id: string } }).dataset.id))).toEqual(cli);
    }
    await page.locator('#q').fill('');
    await visit('search/');
    await page.keyboard.press('/');
    await page.keyboard.type('webhook signatures');
    await expect.poll(() => page.locator('#results li').count()).toBeGreaterThan(0);
    await expect(page.locator('#search-status').textContent()).resolves.toMatch(/result/);
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute: (n: string) => string | null } } }).document.activeElement.getAttribute('href'));
    expect(focused).toMatch(new RegExp(`^${BASE}`));
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname !== `${BASE}search/`);
    expect(new URL(page.url()).pathname.startsWith(BASE)).toBe(true);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/\S/);
    // Query syntax and nonsense do not break it.
    await visit('search/');
    await page.locator('#q').fill('title:booking~1 +*');
    await expect.poll(() => page.locator('#search-status').textContent()).toMatch(/result|No results/);
    await page.locator('#q').fill('zzzxqv');
    await expect.poll(() => page.locator('#search-status').textContent()).toMatch(/No results/);
    expect(pageErrors).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core), light and dark', async () => {
    // One page per template (the generic record template serves patterns, rules, templates...).
    const paths = ['', 'executions/', 'patterns/', 'patterns/pat-000000/', 'reflections/rf-000000/', 'agents/', 'effect/', 'search/'];
    const found: Record<string, unknown> = {};
    for (const p of paths) {
      const v = await axe(p);
      if (v.length) found[p || '/'] = v;
    }
    const execHref = await page.goto(`${server.url}executions/`).then(() => page.locator('table.exec-table a').first().getAttribute('href'));
    const v = await axe(execHref!.slice(BASE.length));
    if (v.length) found.execution = v;
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const p of ['', 'patterns/pat-000000/']) {
      const d = await axe(p);
      if (d.length) found[`dark:${p || '/'}`] = d;
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(found).toEqual({});
  });

  it('renders the XSS corpus inert: nothing executes, no handlers, no script URLs', async () => {
    expect(XSS_CORPUS.length).toBeGreaterThan(15);
    for (let i = 0; i < XSS_CORPUS.length; i++) {
      const id = `xss-${String(i).padStart(2, '0')}`;
      await visit(`rules/${id}/`);
      await page.waitForLoadState('load');
      // Try to trigger handlers: hover and click everything inside the rendered body.
      for (const el of await page.locator('.body *').all()) {
        await el.hover({ timeout: 500 }).catch(() => undefined);
        await el.click({ timeout: 500, noWaitAfter: true }).catch(() => undefined);
        if (!page.url().includes(`/rules/${id}/`)) await visit(`rules/${id}/`);
      }
      const state = await page.evaluate(() => {
        // Runs in the page (typed loosely: the project compiles without DOM types).
        /* eslint-disable @typescript-eslint/no-explicit-any */
        const window = globalThis as any;
        const document = window.document;
        const body = document.querySelector('.body');
        const all: any[] = body ? [...body.querySelectorAll('*')] : [];
        return {
          xss: window.__xss ?? null,
          handlers: all.flatMap((e) => [...e.attributes].filter((a: any) => /^on/i.test(a.name)).map((a: any) => `${e.tagName}.${a.name}`)),
          badUrls: all.flatMap((e) =>
            ['href', 'src', 'action', 'data', 'xlink:href', 'formaction', 'srcdoc'].map((n) => e.getAttribute(n)).filter((v): v is string => v !== null && /^\s*(javascript|data|vbscript):/i.test(v)),
          ),
          dangerous: all.filter((e) => /^(script|iframe|object|embed|svg|math|style|link|meta|base|form|input)$/i.test(e.tagName)).map((e) => e.tagName),
          ids: all.map((e) => e.id).filter((x) => x && !x.startsWith('user-content-')),
          // The page's own elements are not clobbered.
          mainOk: document.getElementById('main')?.tagName === 'MAIN',
        };
      });
      expect(state, id).toEqual({ xss: null, handlers: [], badUrls: [], dangerous: [], ids: [], mainOk: true });
    }
    // The title with a script tag is shown as text.
    await visit('rules/xss-00/');
    await expect(page.locator('h1').textContent()).resolves.toContain('<script>');
    // Code blocks keep the text.
    await visit(`rules/xss-${String(XSS_CORPUS.length - 1).padStart(2, '0')}/`);
    await expect(page.locator('.body pre').textContent()).resolves.toContain('in-code-is-text');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
