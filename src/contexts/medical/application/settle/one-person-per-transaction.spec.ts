import { OnePersonPerTransaction, SamePersonInTransactionError } from './one-person-per-transaction.js';

describe('one settlement of a person per transaction', () => {
  it('refuses a second settlement of one person in the same transaction', () => {
    const persons = new OnePersonPerTransaction();
    persons.claim('900', 'holder-a', 'st-1');
    expect(() => persons.claim('900', 'holder-a', 'st-2')).toThrow(SamePersonInTransactionError);
  });

  it('lets other persons share the transaction, and the same person settle again in another one', () => {
    const persons = new OnePersonPerTransaction();
    persons.claim('900', 'holder-a', 'st-1');
    expect(() => persons.claim('900', 'holder-b', 'st-2')).not.toThrow();
    expect(() => persons.claim('901', 'holder-a', 'st-3')).not.toThrow();
    // The same settlement deciding again (its transaction's claim is its own).
    expect(() => persons.claim('900', 'holder-a', 'st-1')).not.toThrow();
  });

  it('forgets the oldest transactions first, keeping the recent ones', () => {
    const persons = new OnePersonPerTransaction();
    persons.claim('1', 'holder-a', 'st-old');
    for (let i = 0; i < 5000; i++) persons.claim(`t${i}`, 'holder-x', `st-${i}`);
    expect(() => persons.claim('1', 'holder-a', 'st-new')).not.toThrow();
    expect(() => persons.claim('t4999', 'holder-x', 'st-other')).toThrow(SamePersonInTransactionError);
  });
});
