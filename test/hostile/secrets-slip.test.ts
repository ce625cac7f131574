/**
 * Secrets that used to slip through: CR-only and CRLF line endings, a token wrapped onto the
 * next (bullet) line, escaped line breaks, a private key whose BEGIN line a stderr tail cut off
 * (or whose body is all that is left), and records committed past the hook: `validate` and
 * `build` report them (`secret/detected`), every writer refuses them, and `redactSecrets` takes
 * them out of a text that is otherwise kept. Fake credentials are assembled at run time.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, runCli, writeFiles } from '../helpers/repo.js';
import { controlHistory } from '../../tools/examples/generate-history.js';
import { repoWith } from '../learn/kb.js';
import { findSecrets, redactSecrets, REDACTED, scanSecrets } from '../../scripts/core/records/secrets.js';

afterAll(cleanupTemp);

let calls = 0;
function chars(n: number, alphabet = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYzCi'): string {
  calls += 1;
  let out = '';
  for (let i = 0; out.length < n; i += 1) {
    for (const byte of createHash('sha256').update(`slip:${calls}:${i}`).digest()) if (out.length < n) out += alphabet[byte % alphabet.length];
  }
  return out;
}
const j = (...parts: string[]): string => parts.join('');
const ghp = (): string => j('gh', 'p_', chars(36));
const akia = (): string => j('AK', 'IA', chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'));
/** The body lines of a fake PEM private key (64 base64 characters per line, the last shorter). */
function keyBody(lines: number): string[] {
  const b64 = createHash('sha512').update(`key:${calls++}`).digest('base64');
  const out: string[] = [];
  let pool = '';
  for (let i = 0; out.length < lines; i++) {
    pool += createHash('sha512').update(`${b64}:${i}`).digest('base64').replace(/=+$/, '');
    while (pool.length >= 64 && out.length < lines) {
      out.push(pool.slice(0, 64));
      pool = pool.slice(64);
    }
  }
  out[out.length - 1] = `${out[out.length - 1]!.slice(0, 40)}==`;
  return out;
}
const BEGIN = j('-----BEGIN ', 'PRIVATE KEY-----');
const END = j('-----END ', 'PRIVATE KEY-----');

/** Every file under a folder, with its text. */
function texts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...texts(abs));
    else out.push(readFileSync(abs, 'utf8'));
  }
  return out;
}

describe('findSecrets on normalised text', () => {
  it('any line ending: LF, CRLF, CR alone, Unicode separators', () => {
    for (const nl of ['\n', '\r\n', '\r', '\u2028']) {
      const text = ['# Notes', '- first', `- use ${ghp()} for the API`, `- key ${akia()}`].join(nl);
      expect(
        scanSecrets('n.md', text).map((d) => d.line),
        JSON.stringify(nl),
      ).toEqual(nl === '\u2028' ? [1] : [3, 4]);
      expect(findSecrets(text).map((f) => f.rule)).toEqual(['github-token', 'aws-access-key']);
    }
  });

  it('a token wrapped onto the next line or the next bullet, with markers and indentation between', () => {
    const t = ghp();
    for (const [a, b] of [
      [`- token ${t.slice(0, 20)}`, `  ${t.slice(20)} for CI`],
      [`- token ${t.slice(0, 20)}`, `- ${t.slice(20)} for CI`],
      [`> ${t.slice(0, 10)}`, `> ${t.slice(10)}`],
      [`# token = "${t.slice(0, 25)}\\`, `# ${t.slice(25)}"`],
    ]) {
      const found = findSecrets(`intro\n${a}\n${b}\nend\n`);
      expect(found, `${a} / ${b}`).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: 'github-token', line: 2, endLine: 3 });
    }
    // Three lines.
    const three = findSecrets(`x ${t.slice(0, 12)}\n  ${t.slice(12, 24)}\n  ${t.slice(24)}\n`);
    expect(three).toMatchObject([{ rule: 'github-token', line: 1, endLine: 3 }]);
  });

  it('escaped line breaks inside a quoted string (JSON, YAML double quotes)', () => {
    const body = keyBody(6);
    const json = JSON.stringify({ errors: [[...body.slice(2), END].join('\n')] });
    expect(findSecrets(json).map((f) => f.rule)).toEqual(['private-key']);
    const t = ghp();
    expect(findSecrets(`"line one\\n${t.slice(0, 18)}\\n${t.slice(18)}"`).map((f) => f.rule)).toEqual(['github-token']);
  });

  it('private keys: whole block, BEGIN cut off, BEGIN cut mid-line, body only; a certificate is not a key', () => {
    const body = keyBody(12);
    const whole = findSecrets(['log', BEGIN, ...body, END, 'after'].join('\n'));
    expect(whole).toMatchObject([{ rule: 'private-key', line: 2, endLine: 15 }]);
    expect(findSecrets(['log', ...body.slice(3), END].join('\n'))).toMatchObject([{ rule: 'private-key', line: 2, endLine: 11 }]);
    expect(findSecrets([`ATE KEY-----`, ...body.slice(0, 4)].join('\n'))).toMatchObject([{ rule: 'private-key', line: 1 }]);
    expect(findSecrets(['stderr:', ...body.slice(0, 5), 'exit 1'].join('\n'))).toMatchObject([{ rule: 'private-key', line: 2, endLine: 6 }]);
    expect(findSecrets(['  - "' + body[0] + '",', '  - "' + body[1] + '",', '  - "' + body[2] + '",'].join('\n'))).toHaveLength(1);
    // Public material and ordinary long strings are left alone.
    const cert = [j('-----BEGIN ', 'CERTIFICATE-----'), ...keyBody(8), j('-----END ', 'CERTIFICATE-----')].join('\n');
    expect(findSecrets(cert)).toEqual([]);
    const hashes = Array.from({ length: 5 }, (_, i) => createHash('sha256').update(String(i)).digest('hex')).join('\n');
    expect(findSecrets(hashes)).toEqual([]);
    expect(findSecrets(['two lines only:', ...body.slice(0, 2)].join('\n'))).toEqual([]);
  });

  it('redactSecrets keeps the rest of the text and leaves nothing to find', () => {
    const body = keyBody(10);
    const t = ghp();
    const tail = ['npm ERR! deploy failed', ...body.slice(1), END, `token ${t.slice(0, 20)}`, `  ${t.slice(20)} rejected`, 'password: Zx9c8V7b6N5m4A3s2D1f', 'done'].join('\r\n');
    const r = redactSecrets(tail);
    expect(r.found.map((f) => f.rule)).toEqual(['private-key', 'github-token', 'generic-secret']);
    expect(r.text).toBe(['npm ERR! deploy failed', REDACTED, `token ${REDACTED} rejected`, `password: ${REDACTED}`, 'done'].join('\n'));
    expect(findSecrets(r.text)).toEqual([]);
    expect(redactSecrets(r.text)).toEqual({ text: r.text, found: [] });
    expect(redactSecrets('nothing here\r\n')).toEqual({ text: 'nothing here\n', found: [] });
  });
});

describe('every path refuses or reports them', () => {
  it('import: CR-only and CRLF files, and a secret wrapped onto the next bullet, import nothing secret', async () => {
    const dir = repoWith(controlHistory(3));
    const t = ghp();
    const k = akia();
    const lines = [
      '# Rules',
      '',
      '- Always run the linter before pushing.',
      `- Use the token ${t} for the registry.`,
      `- The deploy key is ${k} in CI.`,
      `- Rotate the credential ${ghp().slice(0, 21)}`,
      `- ${chars(19)} every month.`,
      '',
    ];
    writeFiles(dir, { 'cr/AGENTS.md': lines.join('\r'), 'crlf/AGENTS.md': lines.join('\r\n') });
    for (const src of ['cr/AGENTS.md', 'crlf/AGENTS.md']) {
      const r = await runCli(dir, ['import', 'agents-md', src, '--json']);
      const out = JSON.parse(r.stdout);
      expect(out.skipped_secrets, `${src}: ${r.stdout.slice(0, 1500)}`).toBe(4);
      expect(out.diagnostics.filter((d: { rule: string }) => d.rule === 'secret/detected').map((d: { line: number }) => d.line)).toEqual([4, 5, 6]);
    }
    const all = texts(join(dir, 'learning-loop')).join('\n');
    expect(all).not.toContain(t);
    expect(all).not.toContain(k);
    expect(all).toContain('Always run the linter');
  });

  it('validate and build report a secret in a committed record (past the hook) and leave the record out', async () => {
    const dir = repoWith(controlHistory(3));
    const body = keyBody(9);
    writeFiles(dir, {
      'learning-loop/rules/rule-leaky.md': `---\nkind: rule\nid: rule-leaky\ncreated_at: 2026-11-01T00:00:00Z\nstatus: accepted\nstatement: Deploy with the CI token.\n---\n\nThe token is ${ghp()}.\n`,
      'learning-loop/rules/rule-key.md': `---\nkind: rule\nid: rule-key\ncreated_at: 2026-11-01T00:00:00Z\nstatus: accepted\nstatement: Keep the key safe.\n---\n\nstderr tail:\n\n${[...body, END].join('\n')}\n`,
    });
    const v = await runCli(dir, ['validate', '--json']);
    expect(v.code).toBe(1);
    const list = JSON.parse(v.stdout).diagnostics as Array<{ rule: string; file: string; line: number }>;
    expect(list.map((d) => [d.rule, d.file, d.line])).toEqual([
      ['secret/detected', 'learning-loop/rules/rule-key.md', 11],
      ['secret/detected', 'learning-loop/rules/rule-leaky.md', 9],
    ]);
    const b = await runCli(dir, ['build', '--json']);
    expect(b.code).toBe(1);
    expect(JSON.parse(b.stdout).diagnostics).toEqual(JSON.parse(v.stdout).diagnostics);
    const exp = await runCli(dir, ['export', '--to', 'agents-md', '--json']);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).not.toContain('CI token');
    expect(exp.code).not.toBe(70);
  });

  it('run: a private key in the stderr tail (its BEGIN line cut off) is never recorded', async () => {
    const dir = repoWith(controlHistory(3));
    const body = keyBody(25);
    // The key comes from a file: the command line itself (recorded too) must not hold it.
    writeFiles(dir, { 'deploy.log': [BEGIN, ...body, END, ''].join('\n') });
    const script = `require('fs').writeSync(2, require('fs').readFileSync('deploy.log')); process.exitCode = 3;`;
    const r = await runCli(dir, ['run', '--type', 'deploy', '--json', '--', process.execPath, '-e', script]);
    // `run` passes the command's exit code through.
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).exit_code).toBe(3);
    const all = texts(join(dir, 'learning-loop')).join('\n');
    for (const line of body.slice(-9)) expect(all).not.toContain(line);
    expect(all).not.toContain(END);
  });

  it('accept/reject: a secret in --reason is refused', async () => {
    const dir = repoWith([...controlHistory(3), { kind: 'rule', id: 'rule-a', created_at: '2026-10-01T00:00:00Z', status: 'proposed', statement: 'A rule.' } as never]);
    const r = await runCli(dir, ['reject', 'rule-a', '--reason', `leaked ${ghp()}`, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics[0].rule).toBe('secret/detected');
    expect(readFileSync(join(dir, 'learning-loop/rules/rule-a.md'), 'utf8')).toContain('status: proposed');
  });
});
