/**
 * Secret detection for record text: well-known credential shapes (after the rule sets used by
 * secret scanners such as secretlint and gitleaks). A record with a secret is refused before
 * anything is written or committed, and `validate` reports it, with the location and how to
 * redact it; `redactSecrets` replaces what is found instead (for text such as a command's stderr
 * whose rest is worth keeping).
 *
 * Rules are anchored on distinctive prefixes or key names so false alarms stay rare; the
 * generic "key = value" rule also requires a value that looks random (letters and digits,
 * enough entropy) and skips placeholders. A line containing `secret-scan:allow` is skipped,
 * for the rare documented false positive.
 *
 * The text is scanned as a reader would see it, not only line by line as stored: any line
 * ending (LF, CRLF, CR alone), line breaks written as escapes inside quoted strings (`\n`) or as
 * Unicode separators, a token wrapped onto the next line (or the next bullet), and private keys
 * whose BEGIN line was cut off (a command's stderr tail keeps only the last lines: base64 lines
 * and an END line are still a key) or whose body is all that is left.
 *
 * Why our own rules rather than secretlint's preset: secretlint is an asynchronous engine that
 * loads rule packages from configuration and lints files; this scan must be synchronous and pure
 * (it runs in the core on every write: record, import, a command's stderr in `run`, and in
 * `validate`), see the normalised text above rather than the stored lines, and redact as well as
 * report. The rules follow the credential shapes of secretlint's and gitleaks' rule sets.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { normaliseText } from './parse.js';

/** One secret rule. */
export interface SecretRule {
  id: string;
  title: string;
  pattern: RegExp;
  /** Extra check on the match (e.g. entropy), to keep false positives down. */
  accept?: (match: RegExpExecArray) => boolean;
}

/** Values that are obviously not secrets. */
const PLACEHOLDER =
  /^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*\}\}|%[A-Za-z_]+%|x{3,}|\*{3,}|\.{3,})$|redacted|changeme|change_me|example|placeholder|your[_-]?|dummy|sample|fake|not[_-]?a[_-]?secret|secret_?here|<|\$\{/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A value that looks machine-generated: letters and digits, long enough, varied enough. */
function looksRandom(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  if (!/[A-Za-z]/.test(value) || !/\d/.test(value)) return false;
  return value.length >= 16 && entropy(value) >= 3.2;
}

/** The built-in rules, most specific first (the first match on a line is reported). */
export const SECRET_RULES: SecretRule[] = [
  // Any part of a BEGIN or END line of a private key (a cut-off line too); whole blocks, and bodies
  // without either line, are found by the PEM pass below.
  { id: 'private-key', title: 'private key', pattern: /PRIVATE KEY(?: BLOCK)?-----|-----(?:BEGIN|END) (?:[A-Z0-9]+ )*PRIVATE KEY/ },
  { id: 'aws-access-key', title: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { id: 'aws-secret-key', title: 'AWS secret access key', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i, accept: (m) => looksRandom(m[1] ?? '') },
  { id: 'github-token', title: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { id: 'gitlab-token', title: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { id: 'slack-token', title: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { id: 'slack-webhook', title: 'Slack webhook URL', pattern: /hooks\.slack\.com\/(?:services|workflows)\/T[A-Za-z0-9_]+\/[AB][A-Za-z0-9_]+\/[A-Za-z0-9_]+/ },
  { id: 'discord-webhook', title: 'Discord webhook URL', pattern: /discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{30,}/ },
  { id: 'anthropic-key', title: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  {
    id: 'openai-key',
    title: 'OpenAI API key',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{48}\b/,
  },
  { id: 'google-api-key', title: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { id: 'google-oauth-secret', title: 'Google OAuth client secret', pattern: /\bGOCSPX-[A-Za-z0-9_-]{28}\b/ },
  { id: 'stripe-key', title: 'Stripe secret key', pattern: /\b(?:sk|rk)_(?:live|test)_[0-9a-zA-Z]{24,}\b/ },
  { id: 'square-token', title: 'Square access token', pattern: /\b(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})\b/ },
  { id: 'npm-token', title: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { id: 'pypi-token', title: 'PyPI token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/ },
  { id: 'huggingface-token', title: 'Hugging Face token', pattern: /\bhf_[A-Za-z]{34}\b/ },
  { id: 'sendgrid-key', title: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { id: 'twilio-key', title: 'Twilio API key', pattern: /\bSK[0-9a-f]{32}\b/ },
  { id: 'mailgun-key', title: 'Mailgun API key', pattern: /\bkey-[0-9a-f]{32}\b/ },
  { id: 'shopify-token', title: 'Shopify access token', pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/ },
  { id: 'digitalocean-token', title: 'DigitalOcean token', pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
  { id: 'databricks-token', title: 'Databricks token', pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/ },
  { id: 'postman-key', title: 'Postman API key', pattern: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/ },
  { id: 'azure-storage-key', title: 'Azure storage account key', pattern: /AccountKey=[A-Za-z0-9+/]{86}==/ },
  { id: 'linear-key', title: 'Linear API key', pattern: /\blin_api_[A-Za-z0-9]{40}\b/ },
  { id: 'onepassword-token', title: '1Password service account token', pattern: /\bops_eyJ[A-Za-z0-9+/_-]{100,}={0,3}/ },
  { id: 'telegram-bot-token', title: 'Telegram bot token', pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/ },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
  },
  {
    id: 'basic-auth-url',
    title: 'password in a URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s:/@]{3,})@[^\s/]+/i,
    accept: (m) => !PLACEHOLDER.test(m[1] ?? '') && !/^(?:pass(?:word)?|pwd|secret|token)$/i.test(m[1] ?? ''),
  },
  {
    id: 'generic-secret',
    title: 'secret assignment',
    pattern:
      /\b(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bearer|client[_-]?secret|private[_-]?key)\b["']?\s*[:=]\s*["']?([A-Za-z0-9_\-+/=!@#$%^&*.~]{12,})/i,
    accept: (m) => looksRandom(m[1] ?? ''),
  },
  {
    id: 'bearer-header',
    title: 'bearer token in an Authorization header',
    pattern: /\bAuthorization:\s*Bearer\s+([A-Za-z0-9_\-.=+/]{20,})/i,
    accept: (m) => looksRandom(m[1] ?? ''),
  },
];

/** Lines carrying this marker are not scanned (documented false positives). */
export const ALLOW_MARKER = 'secret-scan:allow';

/** One secret found in a text. Offsets are into the text with its line endings normalised to LF. */
export interface SecretFinding {
  /** The rule that matched (`github-token`, `private-key`, ...). */
  rule: string;
  title: string;
  /** Where the match starts (a key name, a prefix, a BEGIN line): what a diagnostic points at. */
  at: number;
  /** The secret itself, `[start, end)`: what redaction replaces (a whole PEM block for a key). */
  start: number;
  end: number;
  /** 1-based line and column of `at`. */
  line: number;
  column: number;
  /** 1-based line the secret ends on (a wrapped token or a key block spans lines). */
  endLine: number;
}

/** What replaces a secret in redacted text (a placeholder the scanner itself leaves alone). */
export const REDACTED = '<REDACTED>';

/**
 * Literal parts every match of a rule contains (`lower`: found in the lower-cased text, for the
 * case-insensitive rules; a leading `^` means "at the start of a word", as the rule's `\b`).
 * A line without any of a rule's anchors cannot match it, so most lines run no rule at all. The
 * positive example of every rule (tests) guards these lists.
 */
const ANCHORS = new Map<string, { cased?: string[]; lower?: string[] }>([
  ['private-key', { cased: ['PRIVATE KEY'] }],
  ['aws-access-key', { cased: ['^AKIA', '^ASIA', '^ABIA', '^ACCA'] }],
  ['aws-secret-key', { lower: ['aws'] }],
  ['github-token', { cased: ['^ghp_', '^gho_', '^ghu_', '^ghs_', '^ghr_', '^github_pat_'] }],
  ['gitlab-token', { cased: ['^glpat-'] }],
  ['slack-token', { cased: ['^xox'] }],
  ['slack-webhook', { cased: ['hooks.slack.com'] }],
  ['discord-webhook', { cased: ['discord'] }],
  ['anthropic-key', { cased: ['^sk-ant-'] }],
  ['openai-key', { cased: ['^sk-'] }],
  ['google-api-key', { cased: ['^AIza'] }],
  ['google-oauth-secret', { cased: ['^GOCSPX-'] }],
  ['stripe-key', { cased: ['_live_', '_test_'] }],
  ['square-token', { cased: ['^EAAA', '^sq0atp-', '^sq0csp-'] }],
  ['npm-token', { cased: ['^npm_'] }],
  ['pypi-token', { cased: ['^pypi-'] }],
  ['huggingface-token', { cased: ['^hf_'] }],
  ['sendgrid-key', { cased: ['^SG.'] }],
  ['twilio-key', { cased: ['^SK'] }],
  ['mailgun-key', { cased: ['^key-'] }],
  ['shopify-token', { cased: ['^shpat_', '^shpca_', '^shppa_', '^shpss_'] }],
  ['digitalocean-token', { cased: ['_v1_'] }],
  ['databricks-token', { cased: ['^dapi'] }],
  ['postman-key', { cased: ['^PMAK-'] }],
  ['azure-storage-key', { cased: ['AccountKey='] }],
  ['linear-key', { cased: ['^lin_api_'] }],
  ['onepassword-token', { cased: ['^ops_eyJ'] }],
  ['telegram-bot-token', { cased: [':AA'] }],
  ['jwt', { cased: ['^eyJ'] }],
  ['basic-auth-url', { cased: ['://'] }],
  [
    'generic-secret',
    {
      lower: [
        'passw',
        'pwd',
        'secret',
        'api_key',
        'api-key',
        'apikey',
        'access_token',
        'access-token',
        'accesstoken',
        'auth_token',
        'auth-token',
        'authtoken',
        'bearer',
        'private_key',
        'private-key',
        'privatekey',
      ],
    },
  ],
  ['bearer-header', { lower: ['bearer'] }],
]);

/** Anchor (without `^`) -> the rules it is an anchor of, per case. */
const ANCHOR_RULES = { cased: new Map<string, number[]>(), lower: new Map<string, number[]>() };
/** Anchors that must start a word. */
const WORD_START = new Set<string>();
SECRET_RULES.forEach((rule, r) => {
  const a = ANCHORS.get(rule.id) ?? {};
  for (const kind of ['cased', 'lower'] as const) {
    for (const raw of a[kind] ?? []) {
      const x = raw.startsWith('^') ? raw.slice(1) : raw;
      if (raw.startsWith('^')) WORD_START.add(`${kind}:${x}`);
      const list = ANCHOR_RULES[kind].get(x) ?? [];
      list.push(r);
      ANCHOR_RULES[kind].set(x, list);
    }
  }
});
// A rule without anchors would be skipped everywhere: fail loudly instead.
for (const rule of SECRET_RULES) if (!ANCHORS.has(rule.id)) throw new Error(`secret rule ${rule.id} has no anchors`);
// The regexes below report the longest anchor at a place (`sk-ant-`, not `sk-`): an anchor wakes
// the rules of every anchor it starts with too.
for (const map of [ANCHOR_RULES.cased, ANCHOR_RULES.lower]) {
  const own = new Map([...map].map(([k, v]) => [k, [...v]]));
  for (const [x, rules] of map) for (const [y, others] of own) if (y !== x && x.startsWith(y)) rules.push(...others.filter((r) => !rules.includes(r)));
}

// All anchors in two regexes (one pass each; a case-insensitive alternation is much slower).
const alternation = (list: Iterable<string>) =>
  new RegExp(
    [...list]
      .sort((a, b) => b.length - a.length)
      .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
const CASED = alternation(ANCHOR_RULES.cased.keys());
const LOWER = alternation(ANCHOR_RULES.lower.keys());
const WORD = /[A-Za-z0-9_]/;

/** Where anchors are in `text`, and which rules each wakes (empty for most texts: no rule can match). */
function anchorHits(text: string): Array<{ offset: number; rules: readonly number[] }> {
  const out: Array<{ offset: number; rules: readonly number[] }> = [];
  for (const [kind, re, t] of [
    ['cased', CASED, text],
    ['lower', LOWER, text.toLowerCase()],
  ] as const) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t))) {
      re.lastIndex = m.index + 1; // anchors may overlap (`ops_eyJ` holds `eyJ`)
      // (An escape such as `\n` before it ends a word too.)
      if (WORD_START.has(`${kind}:${m[0]}`) && m.index > 0 && WORD.test(t[m.index - 1]!) && !(m.index > 1 && t[m.index - 2] === '\\')) continue; // `task-` is not `sk-`
      out.push({ offset: m.index, rules: ANCHOR_RULES[kind].get(m[0])! });
    }
  }
  return out;
}

const BASE64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64[c.charCodeAt(0)] = 1;

/** Whether `text` has a run of 40 base64 characters (a line of a PEM body could be there). */
function hasBase64Run(text: string): boolean {
  // Look at every 40th character only: a run of 40 covers one of them, then check around it.
  for (let i = 39; i < text.length; i += 40) {
    const c = text.charCodeAt(i);
    if (c >= 128 || !BASE64[c]) continue;
    let from = i;
    while (from > 0 && from > i - 40 && isB64(text.charCodeAt(from - 1))) from -= 1;
    let to = i + 1;
    while (to < text.length && to - from < 40 && isB64(text.charCodeAt(to))) to += 1;
    if (to - from >= 40) return true;
  }
  return false;
}

function isB64(c: number): boolean {
  return c < 128 && BASE64[c] === 1;
}

// A line break hidden inside a line.
const HIDDEN_BREAK = /\\[nr]|[\u2028\u2029\u0085\v\f]/;

/** One line of a view of the text, with the offset of each of its characters in the text. */
interface ViewLine {
  text: string;
  /** Offset in the normalised text of `text[i]` is `at(i)`. */
  at: (i: number) => number;
  allowed: boolean;
}

const compiled = new Map<SecretRule, RegExp>();
function globalOf(rule: SecretRule): RegExp {
  let re = compiled.get(rule);
  if (!re) compiled.set(rule, (re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`)));
  return re;
}

/**
 * Every accepted match of the rules woken in one string (by its anchors, or the given rules):
 * `[ruleIndex, match start, secret start, secret end]`.
 */
function matchRules(text: string, woken?: ReadonlySet<number>): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  const rules = woken ?? new Set(anchorHits(text).flatMap((h) => h.rules));
  if (!rules.size) return out;
  SECRET_RULES.forEach((rule, r) => {
    if (!rules.has(r)) return;
    const re = globalOf(rule);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) {
        re.lastIndex += 1;
        continue;
      }
      if (rule.accept && !rule.accept(m)) continue;
      // The secret is the captured value when the rule has one (`password: <value>`), else the match.
      const group = m[1] !== undefined ? m[0].indexOf(m[1]) : -1;
      const start = group >= 0 ? m.index + group : m.index;
      out.push([r, m.index, start, group >= 0 ? start + m[1]!.length : m.index + m[0].length]);
    }
  });
  return out;
}

/** The physical lines of the normalised text. */
function physicalLines(norm: string): ViewLine[] {
  const out: ViewLine[] = [];
  let from = 0;
  for (;;) {
    const nl = norm.indexOf('\n', from);
    const text = norm.slice(from, nl === -1 ? norm.length : nl);
    const base = from;
    out.push({ text, at: (i) => base + i, allowed: text.includes(ALLOW_MARKER) });
    if (nl === -1) return out;
    from = nl + 1;
  }
}

/**
 * The lines hidden inside one physical line: split at escaped line breaks (`\n`, `\r\n`, `\r`
 * inside a quoted string) and at Unicode line separators, each mapped back to the line.
 */
function hiddenLines(line: ViewLine): ViewLine[] {
  const out: ViewLine[] = [];
  const re = /\\r\\n|\\[nr]|[\u2028\u2029\u0085\v\f]/g;
  let from = 0;
  let m: RegExpExecArray | null;
  const push = (a: number, b: number) => out.push({ text: line.text.slice(a, b), at: (i) => line.at(a + i), allowed: line.allowed });
  while ((m = re.exec(line.text))) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, line.text.length);
  return out;
}

// What a wrapped line may start with before the token goes on: indentation, list and quote
// markers, comment leaders, an opening quote.
const LEAD = /^(?:[ \t]*(?:[-*+>|#]|\/\/|\d{1,3}[.)])(?=[ \t]))*[ \t]*["'`]?/;
const TRAIL = /[ \t\\"'`,]*$/;
const TOKEN_END = /[A-Za-z0-9_+/=.-]$/;
const TOKEN_START = /^[A-Za-z0-9_+/=-]/;

/** The part of a line that may continue a token wrapped from the line before (start index, text). */
function content(line: ViewLine): { from: number; text: string } {
  const from = LEAD.exec(line.text)![0].length;
  const trail = TRAIL.exec(line.text.slice(from))!;
  return { from, text: line.text.slice(from, from + trail.index) };
}

const MAX_JOIN_LINES = 8;
const MAX_JOIN_CHARS = 4000;

/**
 * Secrets wrapped over lines: from each line that may hold the start of one (it has an anchor),
 * the lines after it are joined while one ends inside a token and the next goes on with one
 * (markers, quotes and indentation dropped) and scanned; matches that start on that line and
 * cross a line break are kept.
 */
function wrappedFindings(lines: readonly ViewLine[], starts: Iterable<number>, found: ReadonlySet<number>, add: (rule: number, at: number, start: number, end: number) => void): void {
  for (const i of starts) {
    if (i >= lines.length - 1 || lines[i]!.allowed) continue;
    const parts = [content(lines[i]!)];
    const width = lines[i]!.text.length;
    let length = parts[0]!.text.length;
    for (let j = i + 1; j < lines.length && j - i < MAX_JOIN_LINES && length < MAX_JOIN_CHARS && !lines[j]!.allowed; j++) {
      const next = content(lines[j]!);
      if (!TOKEN_END.test(parts[parts.length - 1]!.text) || !TOKEN_START.test(next.text)) break;
      parts.push(next);
      length += next.text.length;
      // The wrap ends on a line with a space in it, or on one shorter or longer than the first
      // (only the lines in the middle of a wrap are as wide as the first).
      if (/\s/.test(next.text) || Math.abs(lines[j]!.text.length - width) > Math.max(2, width / 10)) break;
    }
    if (parts.length < 2) continue;
    const joined = parts.map((p) => p.text).join('');
    const firstEnd = parts[0]!.text.length;
    const offsetOf = (x: number): number => {
      let k = 0;
      let before = 0;
      while (k < parts.length - 1 && x >= before + parts[k]!.text.length) before += parts[k++]!.text.length;
      return lines[i + k]!.at(parts[k]!.from + (x - before));
    };
    for (const [r, at, start, end] of matchRules(joined)) {
      if (at >= firstEnd || end <= firstEnd) continue; // starts further on, or within the first line
      if (found.has(offsetOf(at))) continue; // whole on its line already: the line break ends it
      add(r, offsetOf(at), offsetOf(start), offsetOf(end - 1) + 1);
    }
  }
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;
const PEM_END = /-----END ([A-Z0-9 ]+)-----/;
const BODY = /^[A-Za-z0-9+/]{40,100}={0,2}$/;
const CUT_BEGIN = /^[A-Z ]*KEY(?: BLOCK)?-----$/;
const PRIVATE_KEY = SECRET_RULES.findIndex((r) => r.id === 'private-key');

function isBody(line: ViewLine): boolean {
  const t = content(line).text;
  return BODY.test(t) && entropy(t) >= 4.5;
}

/**
 * Private keys as blocks: from a BEGIN line (or, when it was cut off, the first base64 line) to
 * the END line (or the last base64 line), so a key body is found with or without its marker
 * lines and redaction takes the whole block. Bodies inside a BEGIN block of something public
 * (a certificate, a public key) are left alone.
 */
function pemFindings(lines: readonly ViewLine[], add: (rule: number, at: number, start: number, end: number) => void): void {
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.allowed) {
      i += 1;
      continue;
    }
    const begin = PEM_BEGIN.exec(line.text);
    if (begin && !begin[1]!.includes('PRIVATE KEY')) {
      // A public block: skip to its end.
      let j = i + 1;
      while (j < lines.length && !PEM_END.test(lines[j]!.text) && j - i < 200) j += 1;
      i = j + 1;
      continue;
    }
    // A BEGIN line cut off at its start (a tail kept by characters): `...ATE KEY-----` before a body.
    const cut = !begin && CUT_BEGIN.test(content(line).text) && i + 1 < lines.length && isBody(lines[i + 1]!);
    const startsBlock = Boolean(begin) || cut;
    let j = startsBlock ? i + 1 : i;
    let bodies = 0;
    while (j < lines.length && !lines[j]!.allowed && isBody(lines[j]!)) {
      bodies += 1;
      j += 1;
    }
    const end = j < lines.length && !lines[j]!.allowed ? PEM_END.exec(lines[j]!.text) : null;
    const privateEnd = end && end[1]!.includes('PRIVATE KEY');
    if (startsBlock || privateEnd || bodies >= 3) {
      const first = startsBlock ? line : lines[i]!;
      const last = privateEnd ? lines[j]! : lines[Math.max(i, j - 1)]!;
      const from = begin ? first.at(begin.index) : first.at(LEAD.exec(first.text)![0].length);
      const to = privateEnd ? last.at(end!.index + end![0].length - 1) + 1 : last.at(Math.max(0, last.text.length - 1)) + 1;
      if (bodies > 0 || startsBlock || privateEnd) add(PRIVATE_KEY, from, from, to);
      i = privateEnd ? j + 1 : Math.max(j, i + 1);
      continue;
    }
    i += 1;
  }
}

/** Line and column (1-based) of an offset, from the sorted line starts. */
function lineColumn(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** A secret as found: rule index, offset of what identified it, start and end offsets. */
type RawFinding = [number, number, number, number];
/** Collects a raw finding. */
type AddFinding = (rule: number, at: number, start: number, end: number) => void;

/** Line index -> the rules the anchors on that line wake. */
function wokenLines(hits: ReturnType<typeof anchorHits>, starts: readonly number[]): Map<number, Set<number>> {
  const woken = new Map<number, Set<number>>();
  for (const h of hits) {
    const n = lineColumn(starts, h.offset).line - 1;
    const set = woken.get(n) ?? new Set<number>();
    for (const r of h.rules) set.add(r);
    woken.set(n, set);
  }
  return woken;
}

/**
 * Each line as stored, scanned with the rules its anchors wake (only the lines with an anchor can
 * match); `whole` gets the offset of each find. Returns those lines, in order.
 */
function anchoredFindings(lines: readonly ViewLine[], woken: ReadonlyMap<number, ReadonlySet<number>>, whole: Set<number>, add: AddFinding): number[] {
  const candidates = [...woken.keys()].sort((a, b) => a - b);
  for (const n of candidates) {
    const line = lines[n]!;
    if (line.allowed) continue;
    for (const [r, at, start, end] of matchRules(line.text, woken.get(n))) {
      add(r, line.at(at), line.at(start), line.at(end - 1) + 1);
      whole.add(line.at(at));
    }
  }
  return candidates;
}

/** Lines hidden inside a line (escaped breaks in a quoted string, Unicode separators), scanned as lines, wrapped tokens and key blocks of their own. */
function hiddenFindings(lines: readonly ViewLine[], whole: Set<number>, add: AddFinding): void {
  for (const line of lines) {
    if (line.allowed || !HIDDEN_BREAK.test(line.text)) continue;
    const hidden = hiddenLines(line);
    for (const h of hidden) {
      for (const [r, at, start, end] of matchRules(h.text)) {
        add(r, h.at(at), h.at(start), h.at(end - 1) + 1);
        whole.add(h.at(at));
      }
    }
    wrappedFindings(
      hidden,
      hidden.map((_, k) => k),
      whole,
      add,
    );
    pemFindings(hidden, add);
  }
}

/** The findings in order of their start, each overlapping one merged into the first, with line and column. */
function mergeFindings(raw: RawFinding[], starts: readonly number[]): SecretFinding[] {
  raw.sort((a, b) => a[2] - b[2] || b[3] - a[3] || a[0] - b[0]);
  const out: SecretFinding[] = [];
  for (const [r, at, start, end] of raw) {
    const prev = out[out.length - 1];
    if (prev && start < prev.end) {
      prev.end = Math.max(prev.end, end);
      continue;
    }
    const rule = SECRET_RULES[r]!;
    out.push({ rule: rule.id, title: rule.title, at: Math.min(at, start), start, end, ...lineColumn(starts, Math.min(at, start)), endLine: 0 });
  }
  for (const f of out) f.endLine = lineColumn(starts, Math.max(f.start, f.end - 1)).line;
  return out;
}

/**
 * Every secret in a text, in order, overlapping finds merged into the first (a PEM block and its
 * END line are one secret). Offsets are into `normaliseText(text)` (LF line endings, no BOM).
 */
export function findSecrets(text: string): SecretFinding[] {
  const norm = normaliseText(text);
  const hits = anchorHits(norm);
  const bodies = hasBase64Run(norm);
  const hidden = HIDDEN_BREAK.test(norm);
  if (!hits.length && !bodies && !hidden) return [];
  const raw: RawFinding[] = [];
  const add: AddFinding = (r, at, start, end) => raw.push([r, at, start, end]);
  const lines = physicalLines(norm);
  const starts = lines.map((l) => l.at(0));
  const whole = new Set<number>();
  // 1. Each line as stored; 2. tokens wrapped onto the next line, and private keys as blocks;
  // 3. lines hidden inside a line.
  const candidates = anchoredFindings(lines, wokenLines(hits, starts), whole, add);
  wrappedFindings(lines, candidates, whole, add);
  if (bodies || norm.includes('PRIVATE KEY')) pemFindings(lines, add);
  if (hidden) hiddenFindings(lines, whole, add);
  if (!raw.length) return [];
  return mergeFindings(raw, starts);
}

/**
 * Scans text for secrets. Returns one diagnostic per line a secret starts on, with line and
 * column (line endings of any kind count as line breaks).
 */
export function scanSecrets(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let lastLine = 0;
  for (const f of findSecrets(text)) {
    if (f.line === lastLine) continue;
    lastLine = f.line;
    out.push(secretDiagnostic(file, f));
  }
  return out;
}

/** The `secret/detected` diagnostic for one finding. */
export function secretDiagnostic(file: string, f: SecretFinding): Diagnostic {
  const where = f.endLine > f.line ? `Lines ${f.line}-${f.endLine} contain` : `Line ${f.line} contains`;
  return diag('secret/detected', file, `${where} what looks like a ${f.title} (${f.rule}).`, {
    line: f.line,
    column: f.column,
    hint: `Remove it and rotate the credential; write \`${REDACTED}\` or the name of the environment variable that holds it (e.g. \`$SQUARE_ACCESS_TOKEN\`) instead. A documented false positive can be kept by adding \`${ALLOW_MARKER}\` to the line.`,
  });
}

/**
 * Replaces every secret in a text with `<REDACTED>` (a private key's whole block, a wrapped
 * token with its line break) and says what was found. The result has LF line endings; scanning
 * it again finds nothing. For callers that keep the rest of a text (e.g. a command's stderr).
 */
export function redactSecrets(text: string): { text: string; found: SecretFinding[] } {
  const found = findSecrets(text);
  if (!found.length) return { text: normaliseText(text), found };
  const norm = normaliseText(text);
  let out = '';
  let from = 0;
  for (const f of found) {
    out += norm.slice(from, f.start) + REDACTED;
    from = f.end;
  }
  return { text: out + norm.slice(from), found };
}
