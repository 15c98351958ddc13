import { versionInForce } from './resolution.js';

describe('versionInForce: the highest version covering the day', () => {
  const v = (version: number, effectiveFrom: string, effectiveTo: string | null = null) => ({ version, effectiveFrom, effectiveTo });

  it('lets a later open-ended version end an earlier one by starting', () => {
    const versions = [v(1, '2026-01-01'), v(2, '2027-01-01')];
    expect(versionInForce(versions, '2026-12-31')?.version).toBe(1);
    expect(versionInForce(versions, '2027-01-01')?.version).toBe(2);
    expect(versionInForce(versions, '2025-12-31')).toBeNull();
  });

  it('treats a version with effectiveTo as a window after which the earlier version applies again', () => {
    const versions = [v(1, '2026-01-01'), v(2, '2026-10-01', '2026-10-07')];
    expect(versionInForce(versions, '2026-09-30')?.version).toBe(1);
    expect(versionInForce(versions, '2026-10-01')?.version).toBe(2);
    expect(versionInForce(versions, '2026-10-07')?.version).toBe(2);
    expect(versionInForce(versions, '2026-10-08')?.version).toBe(1);
  });

  it('leaves a gap when the only version has ended', () => {
    expect(versionInForce([v(1, '2026-01-01', '2026-01-31')], '2026-02-01')).toBeNull();
  });

  it('does not depend on the order versions are given in', () => {
    expect(versionInForce([v(3, '2026-03-01'), v(1, '2026-01-01'), v(2, '2026-02-01')], '2026-02-15')?.version).toBe(2);
  });
});
