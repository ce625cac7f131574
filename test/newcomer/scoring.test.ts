/** Issue 16: scores a newcomer meets on day one (efficiency at any duration). */
import { describe, expect, it } from 'vitest';
import { completeScores, computeOverall, decideTrigger, efficiencyFrom } from '../../scripts/core/score/formulas.js';

const eff = (d: number, peers: number[]): number => efficiencyFrom({ outcome: 'success', duration_s: d, comparableDurations: peers });

describe('efficiency compares like with like at any duration', () => {
  it('a run as fast as its peers scores the neutral 70, sub-second included', () => {
    for (const d of [0, 0.05, 0.1, 0.11, 1, 10, 600]) expect(eff(d, [d, d, d]), `duration ${d}`).toBe(70);
  });

  it('the issue: --duration 0.11 vs 1 vs 10 against a 0.11 s peer', () => {
    // Within a second of the median is "as fast"; ten seconds against a tenth of one is slow.
    expect([eff(0.11, [0.11]), eff(1, [0.11]), eff(10, [0.11])]).toEqual([70, 70, 8]);
  });

  it('never scores a faster run below a slower one', () => {
    const peers = [0.3, 2, 45];
    let last = Infinity;
    for (const d of [0, 0.1, 0.5, 1, 1.5, 2, 2.9, 3, 3.1, 5, 30, 300]) {
      const v = eff(d, peers);
      expect(v, `duration ${d}`).toBeLessThanOrEqual(last);
      last = v;
    }
  });

  it('a second identical quick test run gets no mandatory reflection, jitter included', () => {
    for (const d of [0.1, 0.14, 0.4]) {
      const { scores } = completeScores({}, { outcome: 'success', duration_s: d, comparableDurations: [0.1] });
      expect(scores.efficiency).toBe(70);
      expect(computeOverall(scores)).toBe(60);
      expect(decideTrigger(scores).action).toBeNull();
    }
  });

  it('runs of minutes still compare as ratios against the median', () => {
    expect(eff(600, [300])).toBe(35);
    expect(eff(150, [300])).toBe(100);
    expect(eff(300.5, [300])).toBe(70);
  });
});
