import { checkFamily, checkPublication, type Candidate } from './publication.js';

const candidate = (version: number, effectiveFrom: string, effectiveTo: string | null = null): Candidate => ({
  id: 'transit.jingjin',
  context: 'transit',
  kind: 'network',
  region: 'ALL',
  version,
  effectiveFrom,
  effectiveTo,
});
const published = [
  { version: 1, effectiveFrom: '2026-01-01', effectiveTo: null },
  { version: 2, effectiveFrom: '2027-01-01', effectiveTo: null },
];

describe('checkPublication', () => {
  it('accepts the next version starting in the future after every published start', () => {
    expect(checkPublication(candidate(3, '2027-02-01'), published, '2026-03-02')).toBeNull();
  });

  it('refuses a version that is not exactly the next number (409)', () => {
    expect(checkPublication(candidate(2, '2027-02-01'), published, '2026-03-02')).toMatchObject({ status: 409, code: 'VERSION_NOT_NEXT', pointer: '/version' });
    expect(checkPublication(candidate(4, '2027-02-01'), published, '2026-03-02')?.detail).toMatch(/next version of transit.jingjin is 3, not 4/);
    expect(checkPublication(candidate(1, '2027-02-01'), [], null)).toBeNull();
  });

  it('refuses an effectiveFrom of today or earlier (400), by the Asia/Shanghai business date', () => {
    expect(checkPublication(candidate(3, '2026-03-02'), published, '2026-03-02')).toMatchObject({ status: 400, code: 'NOT_IN_FUTURE', pointer: '/effectiveFrom' });
    expect(checkPublication(candidate(3, '2026-03-01'), published, '2026-03-02')?.code).toBe('NOT_IN_FUTURE');
    expect(checkPublication(candidate(3, '2026-03-03'), [{ version: 1, effectiveFrom: '2026-01-01', effectiveTo: null }, { version: 2, effectiveFrom: '2026-02-01', effectiveTo: null }], '2026-03-02')).toBeNull();
  });

  it('refuses an open-ended version that starts before a scheduled later version (409)', () => {
    const refusal = checkPublication(candidate(3, '2026-06-01'), published, '2026-03-02');
    expect(refusal).toMatchObject({ status: 409, code: 'OVERLAPS_LATER_VERSION' });
    expect(refusal?.detail).toMatch(/version 2 of transit.jingjin takes effect on 2027-01-01/);
  });

  it('accepts a window that ends before the scheduled version starts, and a same-day replacement', () => {
    expect(checkPublication(candidate(3, '2026-06-01', '2026-12-31'), published, '2026-03-02')).toBeNull();
    expect(checkPublication(candidate(3, '2026-06-01', '2027-01-01'), published, '2026-03-02')?.code).toBe('OVERLAPS_LATER_VERSION');
    expect(checkPublication(candidate(3, '2027-01-01'), published, '2026-03-02')).toBeNull();
  });

  it('does not hold files (today = null) to the future rule', () => {
    expect(checkPublication(candidate(1, '2020-01-01'), [], null)).toBeNull();
  });
});

describe('checkFamily', () => {
  const families = [{ id: 'transit.jingjin', context: 'transit', kind: 'network', region: 'ALL' }];

  it('keeps one family id per (context, kind, region)', () => {
    expect(checkFamily(candidate(3, '2027-02-01'), families)).toBeNull();
    expect(checkFamily({ ...candidate(1, '2027-02-01'), id: 'transit.other' }, families)).toMatchObject({ code: 'FAMILY_TAKEN', status: 409 });
    expect(checkFamily({ ...candidate(3, '2027-02-01'), region: '12' }, families)).toMatchObject({ code: 'FAMILY_MISMATCH', status: 409 });
  });
});
