/**
 * Every record kind, one line each. A kind is one module in this folder (see contract.ts);
 * adding one means writing that module, adding its line here and running `npm run gen` (which
 * writes its schema file, type and validator).
 */
import { assumption } from './assumption.js';
import { execution } from './execution.js';
import { metrics } from './metrics.js';
import { pattern } from './pattern.js';
import { reflection } from './reflection.js';
import { rule } from './rule.js';
import { synthesis } from './synthesis.js';
import { template } from './template.js';

/** The registered kinds, in the order the product lists them. */
export const KIND_MODULES = [execution, reflection, pattern, template, rule, assumption, synthesis, metrics] as const;
