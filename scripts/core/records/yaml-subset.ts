/**
 * The YAML the fast parser may take: a line-by-line check for the plain subset that js-yaml and
 * the `yaml` package read identically (every record learning-loop writes is in it). Anything
 * outside it (tags, anchors, flow collections, multi-line quoted strings, tabs in indentation,
 * numbers the two libraries read differently such as `1e400`, `0b101` or `-.5`, unusual escapes)
 * goes to the positioned parser, which is authoritative. A false "no" only costs speed; a false
 * "yes" would let the two paths disagree, which the differential fuzz suite looks for.
 *
 * Also here: the nesting depth of a YAML text, checked before either parser runs, so a deeply
 * nested document is refused the same way on every path instead of running out of stack at a
 * depth that depends on the thread.
 */

/** Keys both libraries read as the same plain string. */
const KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** Keys the core schema reads as something else (null, a boolean, a number). */
const SPECIAL_KEY = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Anything either library might read as a number. */
const NUMBER_LIKE = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?|\.[0-9_]+(?:[eE][-+]?[0-9_]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
/** Numbers both read the same (no exponent, no sign but minus, no -0, at most 15 digits a side). */
const CANONICAL_NUMBER = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
const NEGATIVE_ZERO = /^-0(?:\.0+)?$/;
/** Escapes of double-quoted strings both libraries decode alike. */
const DQ = /^"(?:[^"\\\u0000-\u001f\u007f]|\\["\\/nrtbf]|\\u[0-9a-fA-F]{4})*"/;
const SQ = /^'(?:[^'\u0000-\u001f\u007f]|'')*'/;
/** Characters the subset keeps out entirely (controls, separators, BOM inside). */
// eslint-disable-next-line no-control-regex
const ODD = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** What may follow a value on its line: nothing, or a comment. */
function restIsComment(rest: string): boolean {
  return rest === '' || /^ +(?:#.*)?$/.test(rest);
}

/** Whether a plain scalar value (its trailing comment removed) is in the subset. */
function plainOk(v: string): boolean {
  const c = v.charCodeAt(0);
  // Not an indicator first (a `-` only before a non-space, non-dash: `-5`, `-x`).
  if (INDICATOR[c] === 1 && !(c === 45 && v.length > 1 && v[1] !== ' ' && v[1] !== '-')) return false;
  const last = v.charCodeAt(v.length - 1);
  if (last === 58 /* : */ || last === 32 || v.includes(': ') || v.includes(' #') || v.includes('\t')) return false;
  // Numbers: only the forms both read alike.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 95) {
    if (NUMBER_LIKE.test(v)) return CANONICAL_NUMBER.test(v) && !NEGATIVE_ZERO.test(v);
  }
  return true;
}

const INDICATOR = new Uint8Array(128);
for (const ch of '-?:,[]{}#&*!|>\'"%@` \t') INDICATOR[ch.charCodeAt(0)] = 1;

/** Whether one value (after `key: ` or `- `) is in the subset; `block` when it opens a block scalar. */
function valueKind(v: string): 'ok' | 'block' | 'no' {
  if (v === '' || v === '[]' || v === '{}') return 'ok';
  const c = v[0];
  if ((c === '|' || c === '>') && /^[|>][-+]?$/.test(v)) return 'block';
  if (c === '"') {
    const m = DQ.exec(v);
    return m && restIsComment(v.slice(m[0].length)) ? 'ok' : 'no';
  }
  if (c === "'") {
    const m = SQ.exec(v);
    return m && restIsComment(v.slice(m[0].length)) ? 'ok' : 'no';
  }
  if (v.startsWith('[]') || v.startsWith('{}')) return restIsComment(v.slice(2)) ? 'ok' : 'no';
  const hash = v.indexOf(' #');
  return plainOk(hash < 0 ? v : v.slice(0, hash).replace(/ +$/, '')) ? 'ok' : 'no';
}

/** A `key: value` line (after its dashes): its value's kind, or undefined when it is not one with a plain key. */
function keyLineKind(rest: string): 'ok' | 'block' | 'no' | undefined {
  const colon = rest.indexOf(':');
  if (colon <= 0 || (rest.length !== colon + 1 && rest.charCodeAt(colon + 1) !== 32)) return undefined;
  const keyPart = rest.slice(0, colon);
  if (!KEY.test(keyPart)) return undefined;
  if (SPECIAL_KEY.test(keyPart)) return 'no';
  let v = colon + 1;
  while (rest.charCodeAt(v) === 32) v += 1;
  const value = rest.slice(v);
  return value.charCodeAt(0) === 35 ? 'ok' : valueKind(value);
}

/**
 * Whether a YAML text is in the subset both parsers read identically: block mappings and
 * sequences indented with spaces, plain keys, one-line values (plain, single- or double-quoted
 * with common escapes, empty `[]`/`{}`) and block scalars (`|`, `>`), nested at most
 * `MAX_YAML_DEPTH` levels (counted as `tooDeepAt` counts them, which then need not run).
 */
export function inFastSubset(yamlText: string): boolean {
  if (ODD.test(yamlText)) return false;
  let blockParent = -1; // indentation of the line that opened a block scalar (-1: none)
  let blockIndent = -1; // indentation of the block scalar's content (-1: not known yet)
  const levels: number[] = []; // indentation of the open block levels
  let from = 0;
  while (from <= yamlText.length) {
    let nl = yamlText.indexOf('\n', from);
    if (nl < 0) nl = yamlText.length;
    const line = yamlText.slice(from, nl);
    from = nl + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent += 1;
    const blank = indent === line.length;
    if (blockParent >= 0) {
      if (blank) {
        if (line !== '') return false; // more-indented empty lines: the two disagree
        continue;
      }
      if (line.charCodeAt(indent) === 9) return false;
      if (indent > blockParent) {
        if (blockIndent < 0) blockIndent = indent;
        else if (indent < blockIndent) return false;
        continue;
      }
      blockParent = -1;
      blockIndent = -1;
    }
    if (blank) {
      if (line !== '') return false;
      continue;
    }
    if (line.includes('\t')) return false;
    let rest = indent ? line.slice(indent) : line;
    if (rest.charCodeAt(0) === 35 /* # */) continue;
    if (rest === '---' || rest === '...' || rest.charCodeAt(0) === 37 /* % */) return false;
    while (levels.length && levels[levels.length - 1]! >= indent) levels.pop();
    levels.push(indent);
    let depth = indent;
    while (rest.startsWith('- ') || rest === '-') {
      rest = rest === '-' ? '' : rest.slice(2);
      depth += 2;
      if (rest.charCodeAt(0) === 32) return false;
    }
    // Levels as `tooDeepAt` counts them: block levels, dashes, and the bracket of `[]` or `{}`.
    const bracket = (rest.includes('[') || rest.includes('{')) && /(?:^|: *)(?:\[\]|\{\})/.test(rest) ? 1 : 0;
    if (levels.length + (depth - indent) / 2 + bracket > MAX_YAML_DEPTH) return false;
    if (rest === '') continue;
    const keyKind = keyLineKind(rest);
    // Otherwise a sequence item's scalar (a bare scalar line outside a sequence is not in the subset).
    const kind = keyKind ?? (depth === indent ? 'no' : valueKind(rest));
    if (kind === 'no') return false;
    if (kind === 'block') blockParent = keyKind ? depth : depth - 2;
  }
  return true;
}

/** Deepest nesting a record's YAML may have (records need a handful of levels). */
export const MAX_YAML_DEPTH = 64;

/**
 * Where a YAML text first nests deeper than `max` levels, as a 0-based offset; undefined when it
 * does not. Counted conservatively, so that no recovery a parser makes from broken YAML can nest
 * deeper than counted: every line's block level (indentation) and its leading `- ` / `? `, plus
 * every bracket still open, wherever it is (in a quoted string, a comment or a block scalar
 * too). A false alarm needs 64 levels of something; it is refused the same way everywhere.
 * Linear, and independent of the stack, so every path refuses the same documents at the same
 * place.
 */
export function tooDeepAt(yamlText: string, max = MAX_YAML_DEPTH): number | undefined {
  const stack: number[] = []; // indentation of the open block levels
  let flow = 0;
  let offset = 0;
  for (const line of yamlText.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    let i = 0;
    while (line[i] === ' ' || line[i] === '\t') i += 1;
    if (i === line.length) continue;
    while (stack.length && stack[stack.length - 1]! >= i) stack.pop();
    stack.push(i);
    let dashes = 0;
    while ((line[i] === '-' || line[i] === '?') && (line[i + 1] === ' ' || line[i + 1] === '\t')) {
      i += 2;
      dashes += 1;
      while (line[i] === ' ' || line[i] === '\t') i += 1;
    }
    const base = stack.length + dashes;
    if (base + flow > max) return start + i;
    for (; i < line.length; i++) {
      const c = line[i];
      if (c === '[' || c === '{') {
        flow += 1;
        if (base + flow > max) return start + i;
      } else if ((c === ']' || c === '}') && flow > 0) flow -= 1;
    }
  }
  return undefined;
}

/** Whether parsed data (e.g. JSON input) nests lists and mappings deeper than `max` levels; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, max = MAX_YAML_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return false;
}
