import { businessDateOf } from '@onecard/kernel';
import { dueDateOf, finesFen, isOverdue, itemFineFen, overdueDays, renewedDueDate, settleFine } from './circulation.rule.js';

const day = (instant: string) => businessDateOf(new Date(instant));
const TJ = { finePerDayPerItemFen: 20, fineCapPerItemFen: null };

describe('due dates and overdue days (Asia/Shanghai business days)', () => {
  it('is due loan days after the loan date, across month and year ends', () => {
    expect(dueDateOf('2026-03-01', 30)).toBe('2026-03-31');
    expect(dueDateOf('2026-02-01', 42)).toBe('2026-03-15');
    expect(dueDateOf('2026-12-15', 30)).toBe('2027-01-14');
    expect(dueDateOf('2028-02-01', 28)).toBe('2028-02-29');
  });

  it('takes the loan date in UTC+8: 23:59 UTC on 28 Feb is already 1 March in Shanghai', () => {
    expect(dueDateOf(day('2026-02-28T23:59:00Z'), 30)).toBe('2026-03-31');
    expect(dueDateOf(day('2026-02-28T15:59:59Z'), 30)).toBe('2026-03-30');
  });

  it('counts a loan due 2026-03-31 returned at 2026-04-01 00:00:01+08:00 as 1 day overdue, and at 23:59:59 the day before as 0', () => {
    expect(overdueDays('2026-03-31', day('2026-04-01T00:00:01+08:00'))).toBe(1);
    expect(overdueDays('2026-03-31', day('2026-03-31T23:59:59.999+08:00'))).toBe(0);
    // The same instants written in UTC
    expect(overdueDays('2026-03-31', day('2026-03-31T16:00:00Z'))).toBe(1);
    expect(overdueDays('2026-03-31', day('2026-03-31T15:59:59Z'))).toBe(0);
    expect(isOverdue('2026-03-31', '2026-04-01')).toBe(true);
    expect(isOverdue('2026-03-31', '2026-03-31')).toBe(false);
  });

  it('never counts negative days (returned early)', () => {
    expect(overdueDays('2026-03-31', '2026-03-01')).toBe(0);
    expect(overdueDays('2026-03-31', '2026-05-01')).toBe(31);
  });
});

describe('overdue fines (integer fen)', () => {
  it('is days × fen per day for one item', () => {
    expect(itemFineFen(0, TJ)).toBe(0);
    expect(itemFineFen(1, TJ)).toBe(20);
    expect(itemFineFen(31, TJ)).toBe(620);
  });

  it('is days × fen per day × items for several items, each counted on its own days', () => {
    expect(finesFen([3, 3], TJ)).toBe(120); // two books, 3 days, 0.20 yuan/day/book
    expect(finesFen([1, 10, 0], TJ)).toBe(220);
    expect(finesFen([], TJ)).toBe(0);
  });

  it("caps each item at the rule's cap when there is one, not the total", () => {
    const capped = { finePerDayPerItemFen: 20, fineCapPerItemFen: 500 };
    expect(itemFineFen(24, capped)).toBe(480);
    expect(itemFineFen(25, capped)).toBe(500);
    expect(itemFineFen(26, capped)).toBe(500);
    expect(itemFineFen(1000, capped)).toBe(500);
    expect(finesFen([30, 30, 2], capped)).toBe(1040);
    expect(itemFineFen(5, { finePerDayPerItemFen: 20, fineCapPerItemFen: 0 })).toBe(0);
  });

  it('is zero with a zero rate, and refuses impossible day counts', () => {
    expect(itemFineFen(400, { finePerDayPerItemFen: 0, fineCapPerItemFen: null })).toBe(0);
    expect(() => itemFineFen(-1, TJ)).toThrow(RangeError);
    expect(() => itemFineFen(1.5, TJ)).toThrow(RangeError);
  });
});

describe('renewed due dates', () => {
  it('adds the renewal days from the renewal day', () => {
    expect(renewedDueDate('2026-04-12', '2026-04-10', 28)).toBe('2026-05-08');
  });

  it('never moves the due date earlier when renewing early', () => {
    expect(renewedDueDate('2026-04-12', '2026-03-02', 28)).toBe('2026-04-12');
    expect(renewedDueDate('2026-04-12', '2026-03-15', 28)).toBe('2026-04-12');
    expect(renewedDueDate('2026-04-12', '2026-03-16', 28)).toBe('2026-04-13');
  });
});

describe('settling a fine at return', () => {
  it('charges it all when the balance covers it', () => {
    expect(settleFine(620, 10_000, true)).toEqual({ chargedFen: 620, outstandingFen: 0 });
    expect(settleFine(620, 620, true)).toEqual({ chargedFen: 620, outstandingFen: 0 });
  });

  it('charges what the balance has and leaves the rest owed', () => {
    expect(settleFine(620, 500, true)).toEqual({ chargedFen: 500, outstandingFen: 120 });
    expect(settleFine(620, 0, true)).toEqual({ chargedFen: 0, outstandingFen: 620 });
  });

  it('charges nothing to a card that may not be used (lost, replaced): all owed', () => {
    expect(settleFine(620, 10_000, false)).toEqual({ chargedFen: 0, outstandingFen: 620 });
  });
});
