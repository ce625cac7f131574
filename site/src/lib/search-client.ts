/**
 * Browser search: the same recall engine as the CLI, the library and MCP (intent parser, ranker,
 * answer), run over the build's recall store, which the site serves in `search/`. Nothing loads
 * until the user types; then the store's meta file, and only the lines a question needs (segment
 * tables, the postings of its words, the documents it shows), fetched with HTTP range requests
 * (whole files when the server ignores ranges). Keyboard: "/" focuses the box, arrows move
 * through results.
 */
import { answer, type Insight, type RecallAnswer } from '../../../scripts/core/recall/answer.js';
import { MISSING, parseStoreFile, RecallStore, type LineSource, type StoreFile, type StoreSegment } from '../../../scripts/core/recall/store.js';

const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
const LIMIT = 50;

/** Store lines fetched over HTTP; a line not loaded yet reads as MISSING and is queued. */
class HttpLines implements LineSource {
  private readonly loaded = new Map<string, unknown>();
  private readonly wanted = new Map<string, [StoreSegment, number]>();
  private readonly whole = new Map<string, Promise<Uint8Array>>();
  private ranges: boolean | undefined;

  line(seg: StoreSegment, line: number): unknown {
    const key = `${seg.file}:${line}`;
    if (this.loaded.has(key)) return this.loaded.get(key);
    this.wanted.set(key, [seg, line]);
    return MISSING;
  }

  get pending(): number {
    return this.wanted.size;
  }

  /** Fetches every queued line (the first request finds out whether the server serves ranges). */
  async fetchWanted(): Promise<void> {
    const list = [...this.wanted];
    this.wanted.clear();
    if (this.ranges === undefined && list.length) {
      const [key, [seg, line]] = list.shift()!;
      await this.fetchLine(key, seg, line);
    }
    await Promise.all(list.map(([key, [seg, line]]) => this.fetchLine(key, seg, line)));
  }

  private async fetchLine(key: string, seg: StoreSegment, line: number): Promise<void> {
    const start = seg.lines[line];
    const end = seg.lines[line + 1];
    if (start === undefined || end === undefined) {
      this.loaded.set(key, undefined);
      return;
    }
    let bytes: Uint8Array;
    if (this.ranges === false) bytes = (await this.file(seg.file)).subarray(start, end - 1);
    else {
      const res = await fetch(`${BASE}search/${seg.file}`, { headers: { Range: `bytes=${start}-${end - 2}` } });
      if (!res.ok) throw new Error(`${seg.file}: HTTP ${res.status}`);
      const buf = new Uint8Array(await res.arrayBuffer());
      this.ranges = res.status === 206;
      if (this.ranges) bytes = buf;
      else {
        this.whole.set(seg.file, Promise.resolve(buf));
        bytes = buf.subarray(start, end - 1);
      }
    }
    this.loaded.set(key, JSON.parse(new TextDecoder().decode(bytes)));
  }

  private file(name: string): Promise<Uint8Array> {
    let p = this.whole.get(name);
    if (!p) {
      p = fetch(`${BASE}search/${name}`).then(async (r) => {
        if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
        return new Uint8Array(await r.arrayBuffer());
      });
      this.whole.set(name, p);
    }
    return p;
  }
}

interface Loaded {
  file: StoreFile;
  lines: HttpLines;
  links: Record<string, string>;
}

let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const [meta, links] = await Promise.all([fetch(`${BASE}search/meta.json`).then((r) => r.text()), fetch(`${BASE}search/links.json`).then((r) => r.json() as Promise<Record<string, string>>)]);
  const file = parseStoreFile(meta);
  if (!file) throw new Error('The search index has another version: rebuild the site.');
  return { file, lines: new HttpLines(), links };
}

/**
 * Answers a question exactly as `learning-loop recall` does: the pure answer is computed over
 * the lines loaded so far, the missing lines are fetched, and it runs again until nothing is
 * missing (a few rounds: tables, postings, documents).
 */
async function ask(q: string, loaded: Loaded): Promise<RecallAnswer> {
  for (let round = 0; round < 10; round++) {
    const store = RecallStore.fromSource(loaded.file, loaded.lines);
    const a = store ? answer(store, q, { limit: LIMIT, budget: 1_000_000 }) : undefined;
    if (a && !store!.missed && loaded.lines.pending === 0) return a;
    await loaded.lines.fetchWanted();
  }
  throw new Error('The search index could not be read.');
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The facts line of a hit: outcome, score, component, type, agent and date for executions. */
function facts(i: Insight): string {
  if (i.kind !== 'execution') return [i.status, i.date.slice(0, 10)].filter(Boolean).join(' · ');
  return [i.outcome, i.overall !== undefined ? `overall ${i.overall}` : '', i.component, i.task_type, i.agent, i.date.slice(0, 10)].filter(Boolean).join(' · ');
}

/** The snippet of a hit: the root cause or error of an execution, the action or summary otherwise. */
function snippet(i: Insight): string {
  if (i.kind === 'execution') return i.root_cause ? `Root cause: ${i.root_cause.text}` : i.errors?.[0] ? `Error: ${i.errors[0]}` : i.what;
  return i.action && i.action !== i.title ? i.action : i.what !== i.title ? i.what : '';
}

function render(list: HTMLElement, hits: Insight[], links: Record<string, string>): void {
  list.replaceChildren(
    ...hits.map((h) => {
      const li = el('li');
      li.dataset.id = h.id;
      const a = el('a');
      const href = links[h.id];
      // An effect of memory (derived, no page of its own) is on the "Effect of memory" page.
      a.href = href ? BASE + href : `${BASE}${h.kind === 'effect' ? 'effect/' : 'executions/'}`;
      a.append(el('span', 'r-title', h.title || h.id), ' ', el('span', 'badge', h.kind));
      if (h.proposed) a.append(' ', el('span', 'badge', 'proposed'));
      a.append(el('span', 'r-facts', facts(h)));
      const s = snippet(h);
      if (s) a.append(el('span', 'r-sum', s));
      li.append(a);
      return li;
    }),
  );
}

/** Wires the search page (no-op on pages without the search box). */
export function initSearch(): void {
  const input = document.getElementById('q') as HTMLInputElement | null;
  const kind = document.getElementById('kind') as HTMLSelectElement | null;
  const list = document.getElementById('results') as HTMLUListElement | null;
  const status = document.getElementById('search-status');
  const understood = document.getElementById('search-understood');
  const form = document.getElementById('search-form');
  if (!input || !list || !status || !form) return;
  let seq = 0;
  const update = async (): Promise<void> => {
    const mine = ++seq;
    const q = input.value;
    if (!q.trim()) {
      list.replaceChildren();
      status.textContent = 'Type to search.';
      if (understood) understood.textContent = '';
      return;
    }
    if (!loading) {
      status.textContent = 'Loading the index…';
      loading = load();
    }
    let a: RecallAnswer;
    let loaded: Loaded;
    try {
      loaded = await loading;
      a = await ask(q, loaded);
    } catch {
      loading = undefined;
      status.textContent = 'The search index could not be loaded.';
      return;
    }
    if (mine !== seq) return;
    // The kind menu narrows the answer; the order stays the engine's.
    const hits = kind?.value ? a.insights.filter((i) => i.kind === kind.value) : a.insights;
    render(list, hits, loaded.links);
    if (understood) understood.textContent = a.fallback ? a.fallback.message : '';
    const more = a.total_matches > a.insights.length ? ` (showing the best ${a.insights.length} of ${a.total_matches})` : '';
    status.textContent = hits.length ? `${hits.length} result${hits.length === 1 ? '' : 's'}${kind?.value ? '' : more}.` : `No results for “${q}”.`;
  };
  let timer: number | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
  kind?.addEventListener('change', () => void update());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    (list.querySelector('a') as HTMLAnchorElement | null)?.focus();
  });
  const params = new URLSearchParams(location.search);
  if (params.get('q')) {
    input.value = params.get('q')!;
    void update();
  }
  document.addEventListener('keydown', (e) => {
    const links = [...list.querySelectorAll('a')];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === '/' && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
    } else if (e.key === 'ArrowDown' && (document.activeElement === input || at >= 0)) {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)]?.focus();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus();
      else links[at - 1]?.focus();
    } else if (e.key === 'Escape' && at >= 0) {
      input.focus();
    }
  });
}
