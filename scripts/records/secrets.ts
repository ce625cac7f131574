/**
 * Secret detection for record text: well-known credential shapes (after the rule sets used by
 * secret scanners such as secretlint and gitleaks). A record with a secret is refused before
 * anything is written or committed, with the location and how to redact it.
 */
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';

/** One secret rule. */
export interface SecretRule {
  id: string;
  title: string;
  pattern: RegExp;
}

/** The built-in rules. Patterns are anchored on distinctive prefixes to keep false alarms rare. */
export const SECRET_RULES: SecretRule[] = [
  { id: 'private-key', title: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'aws-access-key', title: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { id: 'aws-secret-key', title: 'AWS secret access key', pattern: /aws_?secret_?access_?key\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/i },
  { id: 'github-token', title: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { id: 'gitlab-token', title: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { id: 'slack-token', title: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { id: 'slack-webhook', title: 'Slack webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/ },
  { id: 'openai-key', title: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-proj-[A-Za-z0-9_-]{40,}\b/ },
  { id: 'anthropic-key', title: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}\b/ },
  { id: 'google-api-key', title: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { id: 'stripe-key', title: 'Stripe secret key', pattern: /\b(?:sk|rk)_live_[0-9a-zA-Z]{24,}\b/ },
  { id: 'square-token', title: 'Square access token', pattern: /\b(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43})\b/ },
  { id: 'npm-token', title: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { id: 'jwt', title: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/ },
  { id: 'basic-auth-url', title: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s:/@]{3,}@[^\s/]+/i },
  {
    id: 'generic-secret',
    title: 'secret assignment',
    pattern: /\b(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\b["']?\s*[:=]\s*["']?(?!<|\$\{|\{\{|xxx|\*\*\*|redacted|changeme|example|placeholder)[A-Za-z0-9_\-+/=!@#$%^&*.]{12,}/i,
  },
];

/** Scans text for secrets. Returns one diagnostic per finding, with line and column. */
export function scanSecrets(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    for (const rule of SECRET_RULES) {
      const m = rule.pattern.exec(line);
      if (!m) continue;
      out.push(
        diag('secret/detected', file, `Line ${i + 1} contains what looks like a ${rule.title} (${rule.id}).`, {
          line: i + 1,
          column: m.index + 1,
          hint: `Remove it and rotate the credential; write \`<REDACTED>\` or the name of the environment variable that holds it (e.g. \`$SQUARE_ACCESS_TOKEN\`) instead.`,
        }),
      );
      break;
    }
  });
  return out;
}
