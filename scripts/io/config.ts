/**
 * Reads `config/triggers.yaml` from the knowledge base; parsing and defaults are core/config.ts.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { diag } from '../core/diagnostics/diagnostic.js';
import { DEFAULT_CONFIG, parseConfig, type ConfigResult } from '../core/config.js';

/** Reads `<kbRoot>/config/triggers.yaml`. A missing file yields defaults and an info diagnostic. */
export function loadConfig(kbRoot: string, displayPrefix = ''): ConfigResult {
  const abs = join(kbRoot, 'config', 'triggers.yaml');
  const file = `${displayPrefix}config/triggers.yaml`;
  if (!existsSync(abs)) {
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: [diag('config/missing', file, 'config/triggers.yaml was not found; using the defaults.')], file, exists: false };
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    return { config: structuredClone(DEFAULT_CONFIG), diagnostics: [diag('file/unreadable', file, String((error as Error).message))], file, exists: true };
  }
  return { ...parseConfig(text, file), file, exists: true };
}
