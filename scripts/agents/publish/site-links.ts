/**
 * Broken-link check for a built site: every `href` and `src` in every HTML page that points
 * inside the site (under the base path, or relative) must resolve to a file. External URLs
 * (with a scheme) and pure fragments are skipped. Used by `site build` and the browser tests.
 */
import { join, posix, relative, sep } from 'node:path';
import { exists, fileInfo, readText, walkFiles } from '../../io/fs.js';

/** A link that does not resolve. */
export interface BrokenLink {
  /** Site-relative page path that contains the link. */
  page: string;
  href: string;
}

/** Result of the check. */
export interface LinkCheck {
  pages: number;
  /** Internal links checked (distinct per page). */
  checked: number;
  broken: BrokenLink[];
}

/** The site's HTML pages (absolute paths, sorted). */
function htmlFiles(dir: string): string[] {
  return exists(dir)
    ? walkFiles(dir)
        .filter((f) => f.endsWith('.html'))
        .map((f) => join(dir, f))
    : [];
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** Checks every internal link of the site in `dir`, served under `base` (e.g. `/repo/`). */
export function checkSiteLinks(dir: string, base: string): LinkCheck {
  const broken: BrokenLink[] = [];
  let checked = 0;
  const files = htmlFiles(dir);
  const known = new Map<string, boolean>();
  const resolves = (sitePath: string): boolean => {
    let hit = known.get(sitePath);
    if (hit === undefined) {
      const abs = join(dir, ...sitePath.split('/').filter(Boolean));
      hit = Boolean(fileInfo(abs)?.isFile) || exists(join(abs, 'index.html'));
      known.set(sitePath, hit);
    }
    return hit;
  };
  for (const file of files) {
    const page = relative(dir, file).split(sep).join('/');
    const pageDir = `${base}${posix.dirname(page) === '.' ? '' : `${posix.dirname(page)}/`}`;
    const html = readText(file);
    const seen = new Set<string>();
    // Attributes inside real tags only (escaped text such as `&lt;a href=x&gt;` is not a link).
    const attrs = (html.match(/<[a-zA-Z][^>]*>/g) ?? []).flatMap((tag) => [...tag.matchAll(/\s(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g)]);
    for (const m of attrs) {
      const raw = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '');
      if (!raw || raw.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) continue;
      if (seen.has(raw)) continue;
      seen.add(raw);
      checked++;
      const path = raw.split(/[?#]/)[0]!;
      const absPath = path.startsWith('/') ? path : posix.normalize(pageDir + path);
      if (!absPath.startsWith(base)) {
        broken.push({ page, href: raw });
        continue;
      }
      if (!resolves(absPath.slice(base.length))) broken.push({ page, href: raw });
    }
  }
  return { pages: files.length, checked, broken };
}
