import { decodeCursor, encodeCursor, likePrefix } from './cursor.js';

describe('audit cursors', () => {
  it('round-trips a position', () => {
    const p = { atMs: 1772409600123, a: 15, b: 987654321 };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
  });

  it.each(['', 'abc', '1.2', '1.2.3.4', '-1.2.3', '1.2.x', '1234567890123456.1.1', '1.12345.1'])('refuses %p', (c) => {
    expect(decodeCursor(c)).toBeNull();
  });

  it('takes LIKE wildcards in a prefix literally', () => {
    expect(likePrefix('card:T00000018:')).toBe('card:T00000018:%');
    expect(likePrefix('fund:1_%\\')).toBe('fund:1\\_\\%\\\\%');
  });
});
