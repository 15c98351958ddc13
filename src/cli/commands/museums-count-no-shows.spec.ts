import { parseNoShowAsOf } from './museums-count-no-shows.js';

describe('museums:count-no-shows --as-of', () => {
  it('reads a date as the end of that business day in Asia/Shanghai, an instant as it is', () => {
    expect(parseNoShowAsOf('2026-03-10').toISOString()).toBe('2026-03-10T16:00:00.000Z');
    expect(parseNoShowAsOf('2026-03-10T17:00:00+08:00').toISOString()).toBe('2026-03-10T09:00:00.000Z');
  });
  it('refuses anything else', () => {
    expect(() => parseNoShowAsOf('2026-03-10T17:00')).toThrow(/--as-of/);
  });
});
