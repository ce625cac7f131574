import { describe, expect, it } from 'vitest';
import { completeScores, computeOverall, decideTrigger, efficiencyFrom } from '../../scripts/core/score/formulas.js';
import { ExecutionScoreCard } from '../../scripts/core/score/scorecard.js';

describe('score formulas', () => {
  it('follows the seed trigger order and thresholds', () => {
    expect(decideTrigger({ accuracy: 40, efficiency: 50, reusability: 50, surprise: 90 }).action).toBe('mandatory_reflection');
    expect(decideTrigger({ accuracy: 95, efficiency: 95, reusability: 95, surprise: 95 }).action).toBe('extract_template');
    expect(decideTrigger({ accuracy: 80, efficiency: 80, reusability: 60, surprise: 75 }).action).toBe('update_architecture');
    expect(decideTrigger({ accuracy: 80, efficiency: 80, reusability: 60, surprise: 70 }).action).toBeNull();
    // Boundaries are strict, as in the seed: exactly 60 and exactly 90 trigger nothing.
    expect(decideTrigger({ accuracy: 60, efficiency: 60, reusability: 60, surprise: 60 }).action).toBeNull();
    expect(decideTrigger({ accuracy: 100, efficiency: 95, reusability: 95, surprise: 70 }).action).toBeNull();
  });

  it('keeps given scores and computes the rest', () => {
    const { scores, computed } = completeScores({ accuracy: 77 }, { outcome: 'success', duration_s: 100, reused: ['a'], discoveries: ['d'] });
    expect(scores).toEqual({ accuracy: 77, efficiency: 70, reusability: 70, surprise: 50 });
    expect(computed).toEqual(['efficiency', 'reusability', 'surprise']);
  });

  it('a routine success reporting nothing else does not trigger a reflection; a failure does', () => {
    const ok = completeScores({}, { outcome: 'success', duration_s: 100 }).scores;
    expect(computeOverall(ok)).toBe(60);
    expect(decideTrigger(ok).action).toBeNull();
    const bad = completeScores({}, { outcome: 'failure', duration_s: 100 }).scores;
    expect(decideTrigger(bad).action).toBe('mandatory_reflection');
  });

  it('overall is the mean of the four, rounded to two decimals; decimal scores are kept', () => {
    expect(computeOverall({ accuracy: 35.6, efficiency: 70, reusability: 50, surprise: 33.35 })).toBe(47.24); // 47.2375
    expect(computeOverall({ accuracy: 33.33, efficiency: 33.33, reusability: 33.34, surprise: 0 })).toBe(25);
    expect(computeOverall({ accuracy: 0.01, efficiency: 0, reusability: 0, surprise: 0 })).toBe(0); // 0.0025
    expect(computeOverall({ accuracy: 0.02, efficiency: 0, reusability: 0, surprise: 0 })).toBe(0.01); // 0.005
    // 4.02 / 4 = 1.005 rounds half up to 1.01 (taken naively in binary it is 1.00499… -> 1).
    expect(computeOverall({ accuracy: 1.01, efficiency: 1, reusability: 1, surprise: 1.01 })).toBe(1.01);
    expect(computeOverall({ accuracy: 35.6, efficiency: 70, reusability: 50, surprise: 33.42 })).toBe(47.26);
    expect(completeScores({ accuracy: 35.6 }, { outcome: 'partial', duration_s: 100 }).scores.accuracy).toBe(35.6);
  });

  it('a score nothing measures is left out: overall is the mean of those present, the thresholds unchanged', () => {
    // An imported run whose source records no reuse, no surprises and no comparable run.
    const { scores, computed } = completeScores({ accuracy: 61.7 }, { outcome: 'success', duration_s: 30000 }, 70, ['efficiency', 'reusability', 'surprise']);
    expect(scores).toEqual({ accuracy: 61.7 });
    expect(computed).toEqual([]);
    expect(computeOverall(scores)).toBe(61.7);
    expect(decideTrigger(scores).action).toBeNull();
    expect(decideTrigger({ accuracy: 59.9 }).action).toBe('mandatory_reflection');
    expect(decideTrigger({ accuracy: 95, efficiency: 90 }).action).toBe('extract_template'); // 92.5
    // Half up in hundredths over 3 scores: (35.6 + 23 + 12.25) / 3 = 23.6167.
    expect(computeOverall({ accuracy: 35.6, efficiency: 23, surprise: 12.25 })).toBe(23.62);
    // Surprise that was not measured cannot call for an architecture update; measured, it can.
    expect(decideTrigger({ accuracy: 80 }).action).toBeNull();
    expect(decideTrigger({ accuracy: 80, surprise: 75 }).action).toBe('update_architecture');
    // A given score is kept even when its evidence is not measured; unmeasured ones are computed elsewhere as before.
    expect(completeScores({ reusability: 40 }, { outcome: 'failure', duration_s: 10, comparableDurations: [10] }, 70, ['reusability', 'surprise']).scores).toEqual({
      accuracy: 20,
      efficiency: 70,
      reusability: 40,
    });
  });

  it('scores efficiency against the median of comparable durations', () => {
    expect(efficiencyFrom({ outcome: 'success', duration_s: 100, comparableDurations: [50, 100, 400] })).toBe(70);
    expect(efficiencyFrom({ outcome: 'success', duration_s: 200, comparableDurations: [100] })).toBe(35);
    expect(efficiencyFrom({ outcome: 'success', duration_s: 10, comparableDurations: [100] })).toBe(100);
  });

  it('ExecutionScoreCard mirrors the seed class', () => {
    const card = new ExecutionScoreCard('test-001');
    card.scores = { accuracy: 95, efficiency: 90, reusability: 92, surprise: 88 };
    expect(card.calculateOverallScore()).toBe(91.25);
    expect(card.triggerReflection()).toEqual(['extract_template', 'High performance - extract as best practice']);
    card.scores = { accuracy: 70, efficiency: 70, reusability: 70, surprise: 70 };
    expect(card.triggerReflection()).toEqual([null, null]);
  });
});
