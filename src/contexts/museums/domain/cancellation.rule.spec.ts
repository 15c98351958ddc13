import { decideCancellation } from './cancellation.rule.js';

const at = '2026-03-03T10:00:00.000Z';
const starts = '2026-03-03T11:00:00.000Z';
const code = (v: ReturnType<typeof decideCancellation>) => (v.decision === 'DENY' ? v.reason.code : 'ALLOW');

describe('cancelling a reservation', () => {
  it('is allowed for a booked reservation until its slot starts', () => {
    expect(code(decideCancellation({ found: true, status: 'BOOKED', slotStartsAt: starts, at }))).toBe('ALLOW');
    expect(code(decideCancellation({ found: true, status: 'BOOKED', slotStartsAt: starts, at: starts }))).toBe('CANCELLATION_TOO_LATE');
  });

  it.each([
    [false, null, 'RESERVATION_UNKNOWN'],
    [true, 'CANCELLED', 'ALREADY_CANCELLED'],
    [true, 'ADMITTED', 'ALREADY_ADMITTED'],
    [true, 'NO_SHOW', 'CANCELLATION_TOO_LATE'],
  ] as const)('found %s, status %s: %s', (found, status, expected) => {
    expect(code(decideCancellation({ found, status, slotStartsAt: found ? starts : null, at }))).toBe(expected);
  });
});
