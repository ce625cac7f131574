/** `learning-loop reject <id> [--reason] [--by] [--at] [--json]`: reject a proposal for good. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerReview } from './accept.js';

/** Registers `reject`. */
export function register(program: Command, ctx: CliContext): void {
  registerReview(program, ctx, 'rejected');
}
