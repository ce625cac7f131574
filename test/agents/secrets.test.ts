/**
 * Secret scanning: real-looking fake credentials of every kind are caught with their position;
 * ids, hashes, placeholders and ordinary prose are not. Fake tokens are assembled at run time
 * so this file itself never contains a credential-shaped string.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entropy, scanSecrets, SECRET_RULES } from '../../scripts/core/records/secrets.js';

/** Deterministic pseudo-random characters from an alphabet (varied per call). */
let calls = 0;
function chars(n: number, alphabet = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYzCi'): string {
  calls += 1;
  let out = '';
  for (let i = 0; out.length < n; i += 1) {
    for (const byte of createHash('sha256').update(`${calls}:${i}`).digest()) if (out.length < n) out += alphabet[byte % alphabet.length];
  }
  return out;
}
const hex = (n: number): string => chars(n, '0123456789abcdef');
const upper = (n: number): string => chars(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
const letters = (n: number): string => chars(n, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
const j = (...parts: string[]): string => parts.join('');

const POSITIVES: Array<[string, string]> = [
  ['private-key', j('-----BEGIN ', 'RSA PRIVATE KEY-----')],
  ['private-key', j('-----BEGIN ', 'OPENSSH PRIVATE KEY-----')],
  ['aws-access-key', j('AK', 'IA', upper(16))],
  ['aws-secret-key', j('aws_secret_access_key = ', chars(36), 'Zx9/')],
  ['github-token', j('gh', 'p_', chars(36))],
  ['github-token', j('github', '_pat_', chars(22), '_', chars(59))],
  ['gitlab-token', j('gl', 'pat-', chars(20))],
  ['slack-token', j('xo', 'xb-', '123456789012-', chars(24))],
  ['slack-webhook', j('https://hooks.slack', '.com/services/T0', upper(8), '/B0', upper(8), '/', chars(24))],
  ['discord-webhook', j('https://discord', '.com/api/webhooks/123456789012345678/', chars(68))],
  ['anthropic-key', j('sk-', 'ant-api03-', chars(93), 'AA')],
  ['openai-key', j('sk-', 'proj-', chars(48))],
  ['openai-key', j('sk-', chars(20), 'T3Blbk', 'FJ', chars(20))],
  ['google-api-key', j('AI', 'za', chars(35))],
  ['google-oauth-secret', j('GOC', 'SPX-', chars(28))],
  ['stripe-key', j('sk', '_live_', chars(24))],
  ['square-token', j('EA', 'AA', chars(60))],
  ['square-token', j('sq0', 'atp-', chars(22))],
  ['npm-token', j('np', 'm_', chars(36))],
  ['pypi-token', j('pypi-', 'AgEIcHlwaS5vcmc', chars(60))],
  ['huggingface-token', j('h', 'f_', letters(34))],
  ['sendgrid-key', j('S', 'G.', chars(22), '.', chars(43))],
  ['twilio-key', j('S', 'K', hex(32))],
  ['mailgun-key', j('ke', 'y-', hex(32))],
  ['shopify-token', j('shp', 'at_', hex(32))],
  ['digitalocean-token', j('do', 'p_v1_', hex(64))],
  ['databricks-token', j('da', 'pi', hex(32))],
  ['postman-key', j('PM', 'AK-', hex(24), '-', hex(34))],
  ['azure-storage-key', j('DefaultEndpointsProtocol=https;AccountName=x;Account', 'Key=', chars(86), '==')],
  ['telegram-bot-token', j('123456789:', 'AA', chars(33))],
  ['linear-key', j('lin', '_api_', chars(40))],
  ['onepassword-token', j('op', 's_eyJ', chars(160))],
  ['jwt', j('ey', 'JhbGciOiJIUzI1NiJ9', '.ey', 'JzdWIiOiIxMjM0NTY3ODkwIn0', '.', chars(43))],
  ['basic-auth-url', j('postgres://admin:', 'Tr0ub4dor', '&3x@db.internal:5432/app')],
  ['generic-secret', j('password: ', chars(20))],
  ['generic-secret', j('"client_secret": "', chars(32), '"')],
  ['bearer-header', j('Authorization: Bearer ', chars(40))],
];

describe('scanSecrets catches', () => {
  it('has a positive example for every rule', () => {
    expect(new Set(POSITIVES.map(([id]) => id))).toEqual(new Set(SECRET_RULES.map((r) => r.id)));
  });

  it.each(POSITIVES)('%s', (id, secret) => {
    const text = `---\nkind: execution\n---\nWhile debugging I used ${secret} to call it.\n`;
    const found = scanSecrets('rec.md', text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'secret/detected', severity: 'error', file: 'rec.md', line: 4 });
    expect(found[0]!.message).toContain(`(${id})`);
    const start = text.split('\n')[3]!.indexOf(secret) + 1;
    expect(found[0]!.column).toBeGreaterThanOrEqual(start);
    expect(found[0]!.column).toBeLessThan(start + secret.length);
    expect(found[0]!.hint).toContain('<REDACTED>');
  });
});

const NEGATIVES: Array<[string, string]> = [
  ['ULID ids', 'id: ex-01JD3Z6T0M2K8W7Q9A1B2C3D4E\nrecalled: [rule-01JD3Z6T0M2K8W7Q9A1B2C3D4F, pat-failure-booking-form-3f9a1c]'],
  ['git commit hashes', `commit: ${hex(40)}\nfixed in ${hex(7)} and ${hex(64)}`],
  ['blob ids in a sentence', `the cache key is sha256:${hex(64)}`],
  ['placeholders', 'password: <REDACTED>\napi_key: ${SQUARE_ACCESS_TOKEN}\ntoken = "your-api-key-here"\nsecret: changeme1234567\naccess_token: xxxxxxxxxxxxxxxxxxxx'],
  ['environment variable names', 'export SQUARE_ACCESS_TOKEN=$SQUARE_ACCESS_TOKEN\napi_key: $API_KEY'],
  ['prose about secrets', 'The password field must be at least 12 characters; the API key rotates monthly.\nNever paste a secret into a record.'],
  ['URLs without passwords', 'see https://example.com/docs and ssh://git@github.com/org/repo.git'],
  ['URL with a placeholder password', 'postgres://user:password@localhost:5432/db'],
  ['a word password then a plain word', 'password: correcthorsebatterystaple'],
  ['UUIDs', 'request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed'],
  ['base64 of plain data', 'payload: eyJmb28iOiJiYXIifQ== was logged'],
  ['allow marker', `${j('gh', 'p_', chars(36))} <!-- secret-scan:allow (revoked test token) -->`],
];

describe('scanSecrets leaves alone', () => {
  it.each(NEGATIVES)('%s', (_name, text) => {
    expect(scanSecrets('rec.md', text)).toEqual([]);
  });
});

describe('details', () => {
  it('reports each offending line once, in order', () => {
    const text = [j('gh', 'p_', chars(36)), 'ok', `${j('AK', 'IA', upper(16))} and ${j('np', 'm_', chars(36))}`].join('\n');
    expect(scanSecrets('f.md', text).map((d) => d.line)).toEqual([1, 3]);
  });
  it('measures entropy', () => {
    expect(entropy('aaaaaaaa')).toBe(0);
    expect(entropy('abcdefgh')).toBe(3);
  });
});
