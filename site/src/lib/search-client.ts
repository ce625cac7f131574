/**
 * Browser search: loads the sharded Lunr index only when the user starts typing, queries every
 * shard, merges hits by score. Keyboard: "/" focuses the box, arrows move through results.
 */
type Shard = { index: object; docs: Array<[string, string, string, string, string]>; u: Array<string | null> };
type Manifest = { docs: number; shards: Array<{ file: string }> };
type Hit = { score: number; id: string; kind: string; title: string; summary: string; href: string | null };

const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

let loading: Promise<Array<{ idx: any; shard: Shard }>> | undefined;

async function load(): Promise<Array<{ idx: any; shard: Shard }>> {
  const lunr = (await import('lunr')).default as any;
  const manifest = (await (await fetch(`${BASE}search/manifest.json`)).json()) as Manifest;
  return Promise.all(
    manifest.shards.map(async (s) => {
      const shard = (await (await fetch(`${BASE}search/${s.file}`)).json()) as Shard;
      return { idx: lunr.Index.load(shard.index), shard };
    }),
  );
}

/** Runs a query; falls back to plain terms when the text is not valid Lunr syntax. */
function run(idx: any, q: string): Array<{ ref: string; score: number }> {
  const text = q.trim();
  if (!text) return [];
  const words = text.toLowerCase().split(/[^\p{L}\p{N}_-]+/u).filter((w) => w.length > 1);
  try {
    // Plain words: every term optional, the last one also as a prefix (search as you type).
    if (!/[:*~^+]/.test(text) && words.length) {
      return idx.query((query: any) => {
        for (const w of words) query.term(w, { usePipeline: true });
        query.term(words[words.length - 1], { usePipeline: false, wildcard: 2, boost: 0.5 });
      });
    }
    return idx.search(text);
  } catch {
    return words.length ? idx.query((query: any) => { for (const w of words) query.term(w, { usePipeline: true }); }) : [];
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Wires the search page (no-op on pages without the search box). */
export function initSearch(): void {
  const input = document.getElementById('q') as HTMLInputElement | null;
  const kind = document.getElementById('kind') as HTMLSelectElement | null;
  const list = document.getElementById('results') as HTMLUListElement | null;
  const status = document.getElementById('search-status');
  const form = document.getElementById('search-form');
  if (!input || !list || !status || !form) return;
  let seq = 0;
  const update = async (): Promise<void> => {
    const mine = ++seq;
    const q = input.value;
    if (!q.trim()) {
      list.replaceChildren();
      status.textContent = 'Type to search.';
      return;
    }
    if (!loading) {
      status.textContent = 'Loading the index…';
      loading = load();
    }
    let shards: Awaited<typeof loading>;
    try {
      shards = await loading;
    } catch {
      loading = undefined;
      status.textContent = 'The search index could not be loaded.';
      return;
    }
    if (mine !== seq) return;
    const hits: Hit[] = [];
    for (const { idx, shard } of shards) {
      for (const r of run(idx, q)) {
        const i = parseInt(r.ref, 36);
        const d = shard.docs[i];
        if (!d) continue;
        if (kind?.value && d[1] !== kind.value) continue;
        hits.push({ score: r.score, id: d[0], kind: d[1], title: d[2] || d[0], summary: d[4], href: shard.u[i] ?? null });
      }
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const top = hits.slice(0, 50);
    list.replaceChildren(
      ...top.map((h) => {
        const li = el('li');
        const a = el('a');
        a.href = h.href ? BASE + h.href : `${BASE}executions/`;
        const title = el('span', 'r-title', h.title);
        const badge = el('span', 'badge', h.kind);
        a.append(title, ' ', badge, el('span', 'r-sum', h.summary));
        li.append(a);
        return li;
      }),
    );
    status.textContent = hits.length ? `${hits.length} result${hits.length === 1 ? '' : 's'}${hits.length > top.length ? ` (showing the best ${top.length})` : ''}.` : `No results for “${q}”.`;
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
