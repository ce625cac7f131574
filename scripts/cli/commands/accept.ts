/** `learning-loop accept <id> [--reason] [--by] [--at] [--json]`: record a review decision. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerReview } from '../../learn/review-command.js';

/** Registers `accept`. */
export function register(program: Command, ctx: CliContext): void {
  registerReview(program, ctx, 'accepted');
}
