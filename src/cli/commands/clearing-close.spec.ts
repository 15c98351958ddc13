import { parseDate } from './clearing-close.js';

describe('clearing:close --date', () => {
  it('takes a calendar date', () => {
    expect(parseDate('2026-03-02')).toBe('2026-03-02');
  });
  it('refuses anything else, naming the option', () => {
    expect(() => parseDate('2026-02-30')).toThrow(/--date/);
    expect(() => parseDate('yesterday')).toThrow(/--date/);
  });
});
