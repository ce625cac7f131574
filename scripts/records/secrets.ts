/**
 * Secret detection for record text: well-known credential shapes (after the rule sets used by
 * secret scanners such as secretlint and gitleaks). A record with a secret is refused before
 * anything is written or committed, with the location and how to redact it.
 *
 * Rules are anchored on distinctive prefixes or key names so false alarms stay rare; the
 * generic "key = value" rule also requires a value that looks random (letters and digits,
 * enough entropy) and skips placeholders. A line containing `secret-scan:allow` is skipped,
 * for the rare documented false positive.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';

/** One secret rule. */
export interface SecretRule {
  id: string;
  title: string;
  pattern: RegExp;
  /** Extra check on the match (e.g. entropy), to keep false positives down. */
  accept?: (match: RegExpExecArray) => boolean;
}

/** Values that are obviously not secrets. */
const PLACEHOLDER = /^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*\}\}|%[A-Za-z_]+%|x{3,}|\*{3,}|\.{3,})$|redacted|changeme|change_me|example|placeholder|your[_-]?|dummy|sample|fake|not[_-]?a[_-]?secret|secret_?here|<|\$\{/i;

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
  { id: 'private-key', title: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'aws-access-key', title: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { id: 'aws-secret-key', title: 'AWS secret access key', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i, accept: (m) => looksRandom(m[1] ?? '') },
  { id: 'github-token', title: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { id: 'gitlab-token', title: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { id: 'slack-token', title: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { id: 'slack-webhook', title: 'Slack webhook URL', pattern: /hooks\.slack\.com\/(?:services|workflows)\/T[A-Za-z0-9_]+\/[AB][A-Za-z0-9_]+\/[A-Za-z0-9_]+/ },
  { id: 'discord-webhook', title: 'Discord webhook URL', pattern: /discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{30,}/ },
  { id: 'anthropic-key', title: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  { id: 'openai-key', title: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{48}\b/ },
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
    pattern: /\b(?:password|passwd|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|bearer|client[_-]?secret|private[_-]?key)\b["']?\s*[:=]\s*["']?([A-Za-z0-9_\-+/=!@#$%^&*.~]{12,})/i,
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

/** Scans text for secrets. Returns one diagnostic per finding line, with line and column. */
export function scanSecrets(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.includes(ALLOW_MARKER)) return;
    for (const rule of SECRET_RULES) {
      const re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
      let m: RegExpExecArray | null;
      let found: RegExpExecArray | undefined;
      while ((m = re.exec(line))) {
        if (!rule.accept || rule.accept(m)) {
          found = m;
          break;
        }
        if (m[0].length === 0) re.lastIndex += 1;
      }
      if (!found) continue;
      out.push(
        diag('secret/detected', file, `Line ${i + 1} contains what looks like a ${rule.title} (${rule.id}).`, {
          line: i + 1,
          column: found.index + 1,
          hint: `Remove it and rotate the credential; write \`<REDACTED>\` or the name of the environment variable that holds it (e.g. \`$SQUARE_ACCESS_TOKEN\`) instead. A documented false positive can be kept by adding \`${ALLOW_MARKER}\` to the line.`,
        }),
      );
      break;
    }
  });
  return out;
}

/** What a redacted secret is replaced with (a placeholder the rules above never flag). */
export const REDACTED = '<REDACTED>';

/**
 * Replaces every secret the rules find with {@link REDACTED} (the captured value when a rule
 * captures one, e.g. the password of a URL, else the whole match), so text that must be kept —
 * a command's error output — can be recorded without the credential. Lines carrying the allow
 * marker are left as they are.
 */
export function redactSecrets(text: string): string {
  return text
    .split(/(\r?\n)/)
    .map((line) => {
      if (line.includes(ALLOW_MARKER)) return line;
      let out = line;
      for (const rule of SECRET_RULES) {
        const re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
        out = out.replace(re, (...args: unknown[]) => {
          const m = args.slice(0, -2) as string[] & { index?: number };
          const match = Object.assign([...m], { index: args[args.length - 2] as number, input: out }) as unknown as RegExpExecArray;
          if (rule.accept && !rule.accept(match)) return m[0]!;
          const value = m[1];
          return value ? m[0]!.replace(value, REDACTED) : REDACTED;
        });
      }
      return out;
    })
    .join('');
}
