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
/** A plain scalar's first character may not be an indicator (or a space). */
const PLAIN_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]/;
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

/** A value without its trailing comment (a quoted value keeps it: `valueKind` checks what follows the quote). */
function withoutComment(v: string): string {
  return v.startsWith('"') || v.startsWith("'") ? v : v.replace(/ +#.*$/, '');
}

/** Whether a plain scalar value (already trimmed of a trailing comment-free end) is in the subset. */
function plainOk(v: string): boolean {
  if (!PLAIN_START.test(v) && !/^-[^\s-]/.test(v)) return false;
  if (v.includes(': ') || v.includes(' #') || v.endsWith(':') || v.includes('\t')) return false;
  if (v !== v.trimEnd()) return false;
  if (NUMBER_LIKE.test(v)) return CANONICAL_NUMBER.test(v) && !NEGATIVE_ZERO.test(v);
  return true;
}

/** Whether one value (after `key: ` or `- `) is in the subset; `block` when it opens a block scalar. */
function valueKind(v: string): 'ok' | 'block' | 'no' {
  if (v === '' || v === '[]' || v === '{}') return 'ok';
  if (/^[|>][-+]?$/.test(v)) return 'block';
  if (v[0] === '"') {
    const m = DQ.exec(v);
    return m && restIsComment(v.slice(m[0].length)) ? 'ok' : 'no';
  }
  if (v[0] === "'") {
    const m = SQ.exec(v);
    return m && restIsComment(v.slice(m[0].length)) ? 'ok' : 'no';
  }
  if (v.startsWith('[]') || v.startsWith('{}')) return restIsComment(v.slice(2)) ? 'ok' : 'no';
  return plainOk(v) ? 'ok' : 'no';
}

/**
 * Whether a YAML text is in the subset both parsers read identically: block mappings and
 * sequences indented with spaces, plain keys, one-line values (plain, single- or double-quoted
 * with common escapes, empty `[]`/`{}`) and block scalars (`|`, `>`).
 */
export function inFastSubset(yamlText: string): boolean {
  if (ODD.test(yamlText)) return false;
  const lines = yamlText.split('\n');
  let blockParent = -1; // indentation of the line that opened a block scalar (-1: none)
  let blockIndent = -1; // indentation of the block scalar's content (-1: not known yet)
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (blockParent >= 0) {
      if (line.trim() === '') {
        if (line !== '') return false; // more-indented empty lines: the two disagree
        continue;
      }
      if (/^ *\t/.test(line)) return false;
      if (indent > blockParent) {
        if (blockIndent < 0) blockIndent = indent;
        else if (indent < blockIndent) return false;
        continue;
      }
      blockParent = -1;
      blockIndent = -1;
    }
    if (line.trim() === '') {
      if (line !== '') return false;
      continue;
    }
    if (line.includes('\t')) return false;
    let rest = line.slice(indent);
    if (rest.startsWith('#')) continue;
    if (rest === '---' || rest === '...' || rest.startsWith('%')) return false;
    let depth = indent;
    while (rest.startsWith('- ') || rest === '-') {
      rest = rest === '-' ? '' : rest.slice(2);
      depth += 2;
      if (rest.startsWith(' ')) return false;
    }
    if (rest === '') continue;
    const colon = rest.indexOf(':');
    const keyPart = colon > 0 ? rest.slice(0, colon) : '';
    if (colon > 0 && KEY.test(keyPart) && (rest.length === colon + 1 || rest[colon + 1] === ' ')) {
      if (SPECIAL_KEY.test(keyPart)) return false;
      const value = rest.slice(colon + 1).replace(/^ +/, '');
      const kind = value.startsWith('#') ? 'ok' : valueKind(withoutComment(value));
      if (kind === 'no') return false;
      if (kind === 'block') blockParent = depth;
      continue;
    }
    // A sequence item's scalar.
    if (depth === indent) return false; // a bare scalar line outside a sequence
    const kind = valueKind(withoutComment(rest));
    if (kind === 'no') return false;
    if (kind === 'block') blockParent = depth - 2;
  }
  return true;
}

/** Deepest nesting a record's YAML may have (records need a handful of levels). */
export const MAX_YAML_DEPTH = 64;

/**
 * Where a YAML text first nests deeper than `max` levels (block indentation, sequence dashes
 * and flow brackets together), as a 0-based offset; undefined when it does not. Linear, and
 * independent of the stack, so every path refuses the same documents at the same place.
 */
export function tooDeepAt(yamlText: string, max = MAX_YAML_DEPTH): number | undefined {
  const stack: number[] = []; // indentation of the open block levels
  let base = 0; // block depth where the current flow collection sits
  let flow = 0;
  let quote = ''; // the quote of a string still open at the end of the last line
  let blockParent = -1; // indentation of a line that opened a block scalar (its content is text)
  let offset = 0;
  for (const line of yamlText.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    let i = 0;
    if (!quote && flow === 0) {
      const indent = line.length - line.trimStart().length;
      if (blockParent >= 0 && (line.trim() === '' || indent > blockParent)) continue;
      blockParent = -1;
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      while (stack.length && stack[stack.length - 1]! >= indent) stack.pop();
      stack.push(indent);
      i = indent;
      let dashes = 0;
      while (line.startsWith('- ', i) || line.startsWith('? ', i)) {
        i += 2;
        dashes += 1;
        while (line[i] === ' ') i += 1;
      }
      base = stack.length + dashes;
      if (base > max) return start + indent;
      const rest = line.slice(i);
      if (/(?:^|[\s:])[|>][-+0-9]*\s*(?:#.*)?$/.test(rest) && !/["']/.test(rest)) blockParent = indent;
    }
    for (; i < line.length; i++) {
      const c = line[i]!;
      // A quote opens a string only where a scalar starts (an apostrophe in `it's` does not).
      if (quote || ((c === '"' || c === "'") && /^$|[:\-[{,?]$/.test(line.slice(0, i).trimEnd().slice(-1)))) {
        const q = quote || c;
        i = closingQuote(line, quote ? i : i + 1, q);
        quote = i < line.length ? '' : q;
        continue;
      }
      if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
      if (c === '[' || c === '{') {
        flow += 1;
        if (base + flow > max) return start + i;
      } else if ((c === ']' || c === '}') && flow > 0) flow -= 1;
    }
  }
  return undefined;
}

/** Index of the quote `q` that closes a string going on at `from`, or line.length when it does not close on this line. */
function closingQuote(line: string, from: number, q: string): number {
  for (let j = from; j < line.length; j++) {
    if (q === '"' && line[j] === '\\') {
      j += 1;
      continue;
    }
    if (line[j] === q) {
      if (q === "'" && line[j + 1] === "'") {
        j += 1;
        continue;
      }
      return j;
    }
  }
  return line.length;
}
