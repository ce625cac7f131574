/**
 * Hardening checks for GitHub workflow files, complementary to general validators such as
 * actionlint: least-privilege permissions, no expressions interpolated into shell scripts,
 * third-party actions pinned by full commit SHA (with a version comment), concurrency groups,
 * and no `pull_request_target`. Pure: text in, diagnostics out.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { diag, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import type { RuleId } from '../core/diagnostics/catalog.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Where = { line?: number; column?: number };

const READ_ONLY = new Set(['read', 'none']);
/** `owner/repo[/path]@<40 hex>`. */
const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
/** The version comment after a pinned `uses:` (`# v4.2.2`, `# v5`). */
const VERSION_COMMENT = /#\s*v\d+(?:\.\d+){0,2}\b/;

/**
 * Checks one workflow file's text. `file` is the path shown in diagnostics. Returns every
 * problem found (empty when the workflow follows all the rules).
 */
export function checkWorkflowHardening(file: string, text: string): Diagnostic[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    return doc.errors.map((e) => {
      const p = lc.linePos(e.pos[0]);
      return diag('workflow/syntax', file, e.message.split('\n')[0] ?? 'YAML syntax error', { line: p.line, column: p.col });
    });
  }
  const root = doc.contents;
  const data = doc.toJS() as Json;
  const out: Diagnostic[] = [];
  const at = (path: Array<string | number>): Where => {
    const node = doc.getIn(path, true) as Node | undefined;
    const pair = path.length ? findKeyNode(root, path) : undefined;
    const range = pair?.range ?? node?.range;
    if (!range) return {};
    const p = lc.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  const push = (rule: RuleId, message: string, where: Where) => out.push(diag(rule, file, message, where));

  if (!isObject(data)) {
    push('workflow/syntax', 'The workflow is not a YAML mapping.', { line: 1, column: 1 });
    return out;
  }

  // Triggers: `on` may be a string, a list or a mapping.
  const on = data.on ?? (data as Record<string, Json>)['true'];
  const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isObject(on) ? Object.keys(on) : [];
  if (triggers.includes('pull_request_target')) push('workflow/dangerous-trigger', '`pull_request_target` runs with write access on code from forks.', at(['on']));

  // Permissions: top level must be explicit and read-only; jobs may widen.
  if (!('permissions' in data)) push('workflow/permissions', 'No top-level `permissions`: the token gets the repository default, which may be write-all.', { line: 1, column: 1 });
  else if (!isReadOnly(data.permissions)) push('workflow/permissions', `Top-level permissions ${JSON.stringify(data.permissions)} grant more than read access.`, at(['permissions']));

  const jobs = isObject(data.jobs) ? data.jobs : {};
  const topConcurrency = 'concurrency' in data;
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObject(job)) continue;
    if (job.permissions === 'write-all') push('workflow/permissions', `Job \`${jobId}\` asks for write-all; list only the scopes it needs.`, at(['jobs', jobId, 'permissions']));
    if (!topConcurrency && !('concurrency' in job)) push('workflow/concurrency', `Job \`${jobId}\` has no concurrency group and the workflow has none either.`, at(['jobs', jobId]));
    if (typeof job.uses === 'string') checkUses(job.uses, ['jobs', jobId, 'uses']);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step, i) => {
      if (!isObject(step)) return;
      if (typeof step.uses === 'string') checkUses(step.uses, ['jobs', jobId, 'steps', i, 'uses']);
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        push('workflow/untrusted-input', `Step ${i + 1} of job \`${jobId}\` interpolates an expression into its \`run:\` script (script injection risk).`, at(['jobs', jobId, 'steps', i, 'run']));
      }
    });
  }
  return out;

  function checkUses(uses: string, path: Array<string | number>): void {
    if (uses.startsWith('./') || uses.startsWith('docker://')) return;
    const where = at(path);
    if (!PINNED.test(uses)) {
      push('workflow/unpinned-action', `\`${uses}\` is not pinned to a full 40-character commit SHA.`, where);
      return;
    }
    const line = where.line ? (text.split(/\r?\n/)[where.line - 1] ?? '') : '';
    if (!VERSION_COMMENT.test(line)) push('workflow/unpinned-action', `\`${uses}\` has no \`# vX.Y.Z\` comment saying which release the SHA is.`, where);
  }
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{}`, `read-all`, or a mapping whose scopes are all `read`/`none`. */
function isReadOnly(p: Json | undefined): boolean {
  if (p === 'read-all' || p === null) return true;
  if (isObject(p)) return Object.values(p).every((v) => typeof v === 'string' && READ_ONLY.has(v));
  return false;
}

/** The key node of the last path segment, so diagnostics point at `key:` rather than its value. */
function findKeyNode(root: unknown, path: Array<string | number>): { range?: [number, number, number] } | undefined {
  let node: unknown = root;
  let found: { range?: [number, number, number] } | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) return found;
      found = pair.key as { range?: [number, number, number] };
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      found = node as { range?: [number, number, number] };
    } else return found;
  }
  return found;
}
