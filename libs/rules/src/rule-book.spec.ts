import { z } from 'zod';
import { RuleBook } from './rule-book.js';
import { defineRuleKind, RuleSetNotFoundError, type PublishedRuleSet, type RuleRegion } from './rule-set.js';
import { RuleSnapshot } from './rule-snapshot.js';
import type { RuleStore } from './rule-store.js';

const Fares = defineRuleKind('transit', 'fares', z.strictObject({ fen: z.int() }));
const Other = defineRuleKind('transit', 'other', z.strictObject({ fen: z.int() }));

function rs(id: string, version: number, region: RuleRegion, effectiveFrom: string, effectiveTo: string | null, fen: number, kind = 'fares'): PublishedRuleSet {
  return {
    id,
    version,
    context: 'transit',
    kind,
    region,
    effectiveFrom,
    effectiveTo,
    parameters: { fen },
    sources: { '': 'E' },
    ref: { id, version },
    contentSha256: '0'.repeat(64),
    publishedAt: '2026-01-01T00:00:00.000Z',
    publishedBy: 'test',
    sourceFile: null,
  };
}

function book(...sets: PublishedRuleSet[]): RuleBook {
  return new RuleBook({ snapshot: new RuleSnapshot(sets, sets.length) } as unknown as RuleStore);
}

const at = (iso: string) => new Date(iso);

describe('RuleBook resolution (days in Asia/Shanghai)', () => {
  const rules = book(
    rs('transit.all', 1, 'ALL', '2026-01-01', null, 100),
    rs('transit.all', 2, 'ALL', '2027-01-01', null, 200),
    rs('transit.tj', 1, '12', '2026-06-01', '2026-06-30', 120),
  );

  it('switches to a version at 00:00:00+08:00 of its first day, not a millisecond before', () => {
    expect(rules.resolve(Fares, 'ALL', at('2026-12-31T23:59:59.999+08:00')).version).toBe(1);
    expect(rules.resolve(Fares, 'ALL', at('2027-01-01T00:00:00+08:00')).version).toBe(2);
  });

  it('counts a UTC instant that is already the next day in Beijing as that next day', () => {
    // 2026-12-31T16:00Z is 2027-01-01 00:00 in Beijing; 15:59:59Z is still 2026-12-31.
    expect(rules.resolve(Fares, 'ALL', at('2026-12-31T16:00:00Z')).version).toBe(2);
    expect(rules.resolve(Fares, 'ALL', at('2026-12-31T15:59:59Z')).version).toBe(1);
  });

  it('keeps a version with effectiveTo in force through 23:59:59.999+08:00 of its last day, then falls back', () => {
    expect(rules.resolve(Fares, '12', at('2026-05-31T23:59:59+08:00')).ref).toEqual({ id: 'transit.all', version: 1 });
    expect(rules.resolve(Fares, '12', at('2026-06-01T00:00:00+08:00')).ref).toEqual({ id: 'transit.tj', version: 1 });
    expect(rules.resolve(Fares, '12', at('2026-06-30T23:59:59.999+08:00')).parameters.fen).toBe(120);
    expect(rules.resolve(Fares, '12', at('2026-06-30T16:00:00Z')).ref.id).toBe('transit.all'); // 07-01 in Beijing
  });

  it('prefers the exact region and falls back to ALL for the others', () => {
    expect(rules.resolve(Fares, '12', at('2026-06-15T12:00:00+08:00')).region).toBe('12');
    expect(rules.resolve(Fares, '11', at('2026-06-15T12:00:00+08:00')).region).toBe('ALL');
    expect(rules.resolve(Fares, 'ALL', at('2026-06-15T12:00:00+08:00')).region).toBe('ALL');
  });

  it('answers null / throws RuleSetNotFoundError before anything is in force or for an unknown kind', () => {
    expect(rules.find(Fares, '11', at('2025-12-31T23:59:59+08:00'))).toBeNull();
    expect(() => rules.resolve(Fares, '11', at('2025-12-31T23:59:59+08:00'))).toThrow(RuleSetNotFoundError);
    expect(() => rules.resolve(Other, '11', at('2026-06-15T12:00:00+08:00'))).toThrow(/transit\/other for region 11 on 2026-06-15/);
    expect(() => rules.resolve(Fares, '11', new Date('nonsense'))).toThrow(TypeError);
  });

  it('finds an exact version by reference, checking its kind', () => {
    expect(rules.byRef(Fares, { id: 'transit.all', version: 1 }).parameters.fen).toBe(100);
    expect(() => rules.byRef(Fares, { id: 'transit.all', version: 9 })).toThrow(/not published/);
    expect(() => rules.byRef(Other, { id: 'transit.all', version: 1 })).toThrow(/not transit\/other/);
  });

  it('resolves the pinned version whatever the date in a pinned view, other kinds as usual', () => {
    const both = book(rs('transit.all', 1, 'ALL', '2026-01-01', null, 100), rs('transit.all', 2, 'ALL', '2027-01-01', null, 200), rs('transit.other', 1, 'ALL', '2026-01-01', null, 7, 'other'));
    const pinned = both.pinnedTo({ id: 'transit.all', version: 1 });
    expect(pinned.resolve(Fares, '12', at('2027-06-01T00:00:00+08:00')).version).toBe(1);
    expect(both.resolve(Fares, '12', at('2027-06-01T00:00:00+08:00')).version).toBe(2);
    expect(pinned.resolve(Other, '12', at('2027-06-01T00:00:00+08:00')).parameters.fen).toBe(7);
  });

  it('lists by context, kind and region', () => {
    expect(rules.list({ region: '12' }).map((r) => r.id)).toEqual(['transit.tj']);
    expect(rules.list({ context: 'transit', kind: 'fares' }).map((r) => `${r.id}@${r.version}`)).toEqual(['transit.tj@1', 'transit.all@1', 'transit.all@2']);
  });
});
