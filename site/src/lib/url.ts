/** Links under the site's base path (GitHub Pages project sites live under /<repo>/). */
const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

/** A site-relative path (no leading slash, e.g. `executions/ex-1/`) as an absolute URL path. */
export function url(path = ''): string {
  return BASE + path.replace(/^\/+/, '');
}
