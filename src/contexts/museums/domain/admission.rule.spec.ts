import { decideAdmission, type DayReservation } from './admission.rule.js';

const policy = { closedWeekdays: [1], closedDates: [] as string[], earlyEntryMinutes: 30 };
const at = (hhmm: string) => new Date(`2026-03-03T${hhmm}:00+08:00`); // a Tuesday
const r = (slotStart: string, slotEnd: string, status: DayReservation['status'] = 'BOOKED', reservationId = `r-${slotStart}`): DayReservation => ({
  reservationId,
  slotStart,
  slotEnd,
  status,
});
const code = (v: ReturnType<typeof decideAdmission>) => (v.decision === 'DENY' ? v.reason.code : `ALLOW ${v.reservation.reservationId}`);

describe('museum gate admission', () => {
  it('admits from 30 minutes before the slot until it ends', () => {
    const morning = [r('09:00', '11:00')];
    expect(code(decideAdmission(policy, '2026-03-03', at('08:29'), morning))).toBe('TOO_EARLY');
    expect(code(decideAdmission(policy, '2026-03-03', at('08:30'), morning))).toBe('ALLOW r-09:00');
    expect(code(decideAdmission(policy, '2026-03-03', at('10:59'), morning))).toBe('ALLOW r-09:00');
    expect(code(decideAdmission(policy, '2026-03-03', at('11:00'), morning))).toBe('TOO_LATE');
  });

  it('refuses on closed days, without a reservation, and a second entry', () => {
    expect(code(decideAdmission(policy, '2026-03-02', new Date('2026-03-02T10:00:00+08:00'), [r('09:00', '11:00')]))).toBe('MUSEUM_CLOSED');
    expect(code(decideAdmission(policy, '2026-03-03', at('10:00'), []))).toBe('NO_RESERVATION');
    expect(code(decideAdmission(policy, '2026-03-03', at('10:00'), [r('09:00', '11:00', 'ADMITTED')]))).toBe('ALREADY_ADMITTED');
    expect(code(decideAdmission(policy, '2026-03-03', at('15:00'), [r('09:00', '11:00', 'ADMITTED')]))).toBe('ALREADY_ADMITTED');
  });

  it('counts a no-show as too late', () => {
    expect(code(decideAdmission(policy, '2026-03-03', at('12:00'), [r('09:00', '11:00', 'NO_SHOW')]))).toBe('TOO_LATE');
  });

  it('picks the open slot among several reservations of the day', () => {
    const two = [r('13:00', '16:30'), r('09:00', '11:00', 'ADMITTED')];
    expect(code(decideAdmission(policy, '2026-03-03', at('10:00'), two))).toBe('ALREADY_ADMITTED');
    expect(code(decideAdmission(policy, '2026-03-03', at('11:30'), two))).toBe('TOO_EARLY');
    expect(code(decideAdmission(policy, '2026-03-03', at('12:45'), two))).toBe('ALLOW r-13:00');
  });

  it("lets the next slot's early entry overlap the end of the previous slot", () => {
    const back = [r('09:00', '11:00', 'ADMITTED'), r('11:00', '13:00')];
    expect(code(decideAdmission(policy, '2026-03-03', at('10:40'), back))).toBe('ALLOW r-11:00');
  });
});
