import { nestsDeeperThan } from './json-body.js';

describe('JSON nesting depth', () => {
  const arrays = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

  it('counts the body object as level 1', () => {
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: {} }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [1, 2, { b: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, 2, { b: [] }] }, 3)).toBe(true);
  });

  it('ignores scalars, however many', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: 'two', c: null, d: true }, 1)).toBe(false);
  });

  it('finds the deep branch among wide shallow ones', () => {
    const body = { items: Array.from({ length: 1000 }, (_, i) => ({ code: `c${i}` })), deep: arrays(40) };
    expect(nestsDeeperThan(body, 32)).toBe(true);
    expect(nestsDeeperThan({ items: body.items }, 32)).toBe(false);
  });

  it('walks 100,000 levels without recursion', () => {
    expect(nestsDeeperThan(arrays(100_000), 32)).toBe(true);
    expect(nestsDeeperThan(arrays(32), 32)).toBe(false);
    expect(nestsDeeperThan(arrays(33), 32)).toBe(true);
  });
});
