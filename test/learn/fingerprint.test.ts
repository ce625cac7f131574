/** Error fingerprints: the same error with different details is one error; different errors stay apart. */
import { describe, expect, it } from 'vitest';
import { fingerprint, normalizeError } from '../../scripts/core/learn/fingerprint.js';

describe('fingerprint', () => {
  it.each([
    ['Timeout after 3000ms calling https://a.example/v2/payments/p-1', 'Timeout after 800ms calling https://b.example/v2/x'],
    ['Cannot find module "foo" from /home/a/src/app.ts', "Cannot find module 'bar' from /srv/b/lib/index.ts"],
    ['Webhook signature mismatch for event evt_123 at 2026-11-02T10:00:00Z', 'Webhook signature mismatch for event evt_999 at 2026-12-24T23:59:59Z'],
    ['Request 550e8400-e29b-41d4-a716-446655440000 failed with 502', 'Request 6ba7b810-9dad-11d1-80b4-00c04fd430c8 failed with 503'],
  ])('%s ≡ %s', (a, b) => {
    expect(fingerprint(a).id).toBe(fingerprint(b).id);
  });

  it('keeps different errors apart and uses the first line only', () => {
    expect(fingerprint('Timeout calling the payment API').id).not.toBe(fingerprint('Signature mismatch on webhook').id);
    expect(normalizeError('TypeError: x is undefined\n    at foo (a.js:1:2)')).toBe('typeerror: x is undefined');
    expect(fingerprint('x').id).toMatch(/^fp-[0-9a-f]{10}$/);
  });
});
