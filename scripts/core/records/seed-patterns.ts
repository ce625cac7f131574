/**
 * The seed's Step 4 initial patterns, as the memory the `LearningOrchestrator` starts with and
 * as pattern records `init --example` / `saveMemory()` write.
 */
import { slugify } from './ids.js';
import type { PatternRecord } from './kinds.js';

/** The seed's memory sections (`LearningOrchestrator.memory`). */
export interface SeedMemory {
  /** Domain-specific learnings. */
  reiki_patterns: string[];
  /** Payment integration learnings. */
  square_api: string[];
  /** Reusable UI components. */
  component_library: string[];
  /** Which agents are most effective (derived from executions; not written as patterns). */
  agent_performance: Record<string, unknown>;
}

/** The seed's Step 4 `initial_patterns`, verbatim. */
export const SEED_PATTERNS: Pick<SeedMemory, 'reiki_patterns' | 'square_api'> = {
  reiki_patterns: ['Use soft color palette for healing context', 'Booking flow must be maximum 3 steps', 'Include practitioner bio prominently'],
  square_api: ['Always validate webhook signatures', 'Cache payment methods for returning clients', 'Handle timezone conversions for appointments'],
};

/** Memory section -> pattern category and domain. */
const SECTION: Record<'reiki_patterns' | 'square_api' | 'component_library', { category: PatternRecord['category']; domain: string }> = {
  reiki_patterns: { category: 'component-pattern', domain: 'reiki_patterns' },
  square_api: { category: 'integration-gotcha', domain: 'square_api' },
  component_library: { category: 'component-pattern', domain: 'component_library' },
};

/** Stable id of a memory statement: `pat-<domain>-<slug>` (re-saving never duplicates). */
export function memoryPatternId(domain: string, statement: string): string {
  return `pat-${slugify(domain.replace(/_/g, '-'), 20)}-${slugify(statement, 60)}`;
}

/**
 * Turns memory sections into pattern records (status `accepted`: the seed's patterns are the
 * team's agreed starting point). `createdAt` is passed in so output stays deterministic.
 */
export function memoryToPatterns(memory: Partial<SeedMemory>, createdAt: string): PatternRecord[] {
  const out: PatternRecord[] = [];
  for (const section of ['reiki_patterns', 'square_api', 'component_library'] as const) {
    for (const statement of memory[section] ?? []) {
      const { category, domain } = SECTION[section];
      out.push({
        kind: 'pattern',
        id: memoryPatternId(domain, statement),
        created_at: createdAt,
        title: statement,
        pattern_type: 'seed',
        category,
        domain,
        domains: [domain],
        status: 'accepted',
        statement,
        provenance: { source: 'seed: learning-orchestrator-enhancement Step 4', format: 'seed' },
      });
    }
  }
  return out;
}
