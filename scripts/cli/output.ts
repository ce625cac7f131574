/**
 * Output formatting for diagnostics and results: pretty (colours only on a TTY and never with
 * NO_COLOR), JSON (one document on stdout), and GitHub workflow annotations.
 */
import { countBySeverity, sortDiagnostics, type Diagnostic } from '../core/diagnostics/diagnostic.js';
import { ruleDocLink } from '../core/diagnostics/catalog.js';
import type { CliIo } from './io.js';

/** Diagnostic output formats. */
export type DiagnosticFormat = 'pretty' | 'json' | 'github';

/** Whether to colour output. */
export function useColor(io: CliIo, flag?: boolean): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** `path:line:col` of a diagnostic. */
export function location(d: Diagnostic): string {
  return `${d.file}${d.line !== undefined ? `:${d.line}` : ''}${d.column !== undefined ? `:${d.column}` : ''}`;
}

/** Pretty text: `path:line:col  error  message  rule`, then the hint indented. */
export function formatPretty(list: readonly Diagnostic[], color: boolean): string {
  const lines: string[] = [];
  for (const d of sortDiagnostics(list)) {
    const sev = d.severity === 'error' ? paint(color, '31', 'error') : d.severity === 'warning' ? paint(color, '33', 'warning') : paint(color, '36', 'info');
    lines.push(`${paint(color, '1', location(d))}  ${sev}  ${d.message}  ${paint(color, '2', d.rule)}`);
    if (d.hint) for (const h of d.hint.split('\n')) lines.push(`    ${paint(color, '2', h)}`);
  }
  const c = countBySeverity(list);
  if (list.length) lines.push('', `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProp(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`). */
export function formatGithub(list: readonly Diagnostic[]): string {
  return sortDiagnostics(list)
    .map((d) => {
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [`file=${escapeProp(d.file)}`];
      if (d.line !== undefined) props.push(`line=${d.line}`);
      if (d.column !== undefined) props.push(`col=${d.column}`);
      props.push(`title=${escapeProp(d.rule)}`);
      const msg = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${level} ${props.join(',')}::${escapeData(msg)}\n`;
    })
    .join('');
}

/** Writes one JSON document (stable 2-space formatting) to stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Diagnostics as plain JSON objects (stable field order). */
export function diagnosticsJson(list: readonly Diagnostic[]): DiagnosticJson[] {
  return sortDiagnostics(list).map((d) => {
    const o: DiagnosticJson = { severity: d.severity, rule: d.rule, file: d.file, message: d.message, docs: ruleDocLink(d.rule) };
    if (d.line !== undefined) o.line = d.line;
    if (d.column !== undefined) o.column = d.column;
    if (d.hint !== undefined) o.hint = d.hint;
    return o;
  });
}

/** A diagnostic as JSON output prints it: with `docs`, the link to its rule's entry in docs/errors.md. */
export type DiagnosticJson = Diagnostic & { docs: string };

/** Prints diagnostics to stderr in pretty form (used by commands whose stdout is an answer). */
export function reportToStderr(io: CliIo, list: readonly Diagnostic[], color: boolean): void {
  if (list.length) io.stderr.write(formatPretty(list, color));
}
