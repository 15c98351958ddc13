import { parseAsOf } from './transit-charge-incomplete.js';

describe('transit:charge-incomplete --as-of', () => {
  it('reads a date as the end of that business day in Asia/Shanghai', () => {
    expect(parseAsOf('2026-03-10').toISOString()).toBe('2026-03-10T16:00:00.000Z');
  });
  it('takes an instant with offset as it is', () => {
    expect(parseAsOf('2026-03-10T08:00:00+08:00').toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });
  it('refuses anything else', () => {
    expect(() => parseAsOf('2026-03-10T08:00:00')).toThrow(/--as-of/);
    expect(() => parseAsOf('tomorrow')).toThrow(/--as-of/);
  });
});
