import { describe, expect, it } from 'vitest';
import { axisUsd, isoDay } from '../../src/dashboard/app/format.js';

describe('dashboard formatting', () => {
  it('y-axis labels never repeat on small values: as many decimals as the tick step needs', () => {
    for (const [step, count] of [[0.0025, 6], [0.002, 6], [0.0005, 8], [0.25, 5], [5, 5], [250, 5]] as const) {
      const ticks = Array.from({ length: count }, (_, i) => Number((i * step).toPrecision(12)));
      const labels = ticks.map((v) => axisUsd(v, step));
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
    expect([0, 0.0025, 0.005, 0.0075, 0.01].map((v) => axisUsd(v, 0.0025))).toEqual(['$0', '$0.0025', '$0.0050', '$0.0075', '$0.0100']);
    expect([0.25, 0.5].map((v) => axisUsd(v, 0.25))).toEqual(['$0.25', '$0.50']);
    expect([5, 10].map((v) => axisUsd(v, 5))).toEqual(['$5', '$10']);
  });

  it('Costs period dates are ISO days in the period time zone', () => {
    expect(isoDay('2026-12-03T05:00:00.000Z', 'UTC')).toBe('2026-12-03');
    expect(isoDay('2026-12-03T05:00:00.000Z', 'America/New_York')).toBe('2026-12-03');
    expect(isoDay('2026-12-03T04:59:59.000Z', 'America/New_York')).toBe('2026-12-02');
  });
});
