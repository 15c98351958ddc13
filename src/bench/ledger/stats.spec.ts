import { median, medianRun, percentile } from './stats.js';

describe('bench stats', () => {
  it('takes nearest-rank percentiles', () => {
    const s = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the median and the median run', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianRun([{ perSecond: 9 }, { perSecond: 1 }, { perSecond: 5 }])).toEqual({ perSecond: 5 });
  });
});
