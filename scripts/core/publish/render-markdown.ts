/**
 * Safe Markdown rendering for record bodies on the site. Bodies are agents' text, so they are
 * treated as hostile: raw HTML is parsed into real HTML nodes (rehype-raw) so that
 * rehype-sanitize sees and strips it, instead of passing it through as opaque strings the way
 * Astro's own Markdown pipeline does. Links keep only http(s)/mailto URLs, images only
 * http(s), ids are prefixed (no DOM clobbering), and no element can carry event handlers,
 * styles or scripts.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';

/**
 * The sanitize schema: GitHub's defaults (which already drop scripts, iframes, SVG, event
 * handlers and `style`) narrowed further: absolute URLs only with http(s) (and mailto for links),
 * so no `javascript:`, `vbscript:` or `data:`; every `id`/`name` is prefixed with `user-content-`.
 */
export const SANITIZE_SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  clobberPrefix: 'user-content-',
  clobber: ['ariaDescribedBy', 'ariaLabelledBy', 'id', 'name'],
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto'],
    src: ['http', 'https'],
    cite: ['http', 'https'],
    longDesc: ['http', 'https'],
  },
  // No <input> (task-list checkboxes would be the only use; they render as text instead).
  tagNames: (defaultSchema.tagNames ?? []).filter((t) => t !== 'input'),
};

/** Minimal hast shapes used by `rehypeAbsoluteOnly` (avoids a dependency on @types/hast). */
interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/**
 * Demotes headings (the page owns h1 and h2) and keeps only absolute links and images. Record bodies are written next to the code, so a
 * relative link (`docs/x.md`) would point at a page that does not exist on the site: the link
 * text stays, the href goes; an image without an absolute http(s) URL becomes its alt text.
 */
function rehypeAbsoluteOnly() {
  const ok = /^(https?:|mailto:|#)/i;
  const walk = (node: HastNode): void => {
    if (!node.children) return;
    node.children = node.children.map((child) => {
      if (child.type === 'element' && child.tagName && /^h[1-6]$/.test(child.tagName)) {
        // Bodies sit under the page's own h2 ("Notes"): demote their headings by two levels.
        child.tagName = `h${Math.min(6, Number(child.tagName[1]) + 2)}`;
      }
      if (child.type === 'element' && child.properties) {
        if (child.tagName === 'a' && typeof child.properties.href === 'string' && !ok.test(child.properties.href)) delete child.properties.href;
        if (child.tagName === 'img' && !(typeof child.properties.src === 'string' && /^https?:/i.test(child.properties.src))) {
          return { type: 'text', value: typeof child.properties.alt === 'string' ? child.properties.alt : '' };
        }
      }
      walk(child);
      return child;
    });
  };
  return (tree: HastNode) => walk(tree);
}

let processor: Processor | undefined;

function getProcessor(): Processor {
  processor ??= unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw)
    .use(rehypeSanitize, SANITIZE_SCHEMA)
    .use(rehypeAbsoluteOnly)
    .use(rehypeStringify) as unknown as Processor;
  return processor;
}

/** Characters that make a body more than plain paragraphs (Markdown or HTML syntax). */
const MARKUP = /[<>&*_`#\[\]!|~\\=]|^\s*([-+]|\d+[.)])\s|^ {4}|\t|https?:|www\.|@/m;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Renders an untrusted Markdown body to sanitized HTML. Pure and deterministic. Plain prose
 * (no Markdown or HTML syntax at all) takes a fast path that yields the same HTML as the full
 * pipeline, which matters when thousands of bodies are rendered for one site build.
 */
export function renderMarkdown(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').trim();
  if (!text) return '';
  if (!MARKUP.test(text)) {
    return text
      .split(/\n{2,}/)
      .map(
        (p) =>
          `<p>${escapeHtml(p.trim())
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")}</p>`,
      )
      .join('\n');
  }
  try {
    return String(getProcessor().processSync(text)).trim();
  } catch {
    // The pipeline does not throw on Markdown input; if it ever did, show the text, escaped.
    return `<pre>${escapeHtml(text)}</pre>`;
  }
}

/** Minimal mdast shapes used by the inline renderer. */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** Raw HTML in a one-line field is shown as the text it is, never parsed as markup. */
function remarkHtmlAsText() {
  const walk = (node: MdNode): void => {
    for (const child of node.children ?? []) {
      if (child.type === 'html') child.type = 'text';
      walk(child);
    }
  };
  return (tree: MdNode) => walk(tree);
}

let inlineProcessor: Processor | undefined;

function getInlineProcessor(): Processor {
  inlineProcessor ??= unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkHtmlAsText)
    .use(remarkRehype)
    .use(rehypeSanitize, SANITIZE_SCHEMA)
    .use(rehypeAbsoluteOnly)
    .use(rehypeStringify) as unknown as Processor;
  return inlineProcessor;
}

/**
 * Renders a one-line field (a title, a statement) as inline HTML: `code`, emphasis and links
 * become markup, raw HTML stays visible text, and anything that is not a single paragraph (a
 * line starting with `#` or `-`) is shown as plain text. Pure and deterministic.
 */
export function renderInline(markdown: string): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  if (!MARKUP.test(text))
    return escapeHtml(text)
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
  try {
    const p = getInlineProcessor();
    const tree = p.parse(text) as unknown as MdNode;
    if (tree.children?.length !== 1 || tree.children[0]!.type !== 'paragraph') return escapeHtml(text);
    const html = String(p.stringify(p.runSync(tree as never) as never)).trim();
    const m = /^<p>([\s\S]*)<\/p>$/.exec(html);
    return m ? m[1]! : escapeHtml(text);
  } catch {
    return escapeHtml(text);
  }
}
