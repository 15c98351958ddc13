import { LEDGER_REASONS, LedgerReads } from '@onecard/ledger';
import { balanceOf, createTestDatabase, openDataSource, openTestAccounts, testClock, transfer, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { CommandExecutor } from './command-executor.js';
import { commandKey, type CommandOutcome } from './command.js';

const CARD = 'card:T00000001:transit';
const BANK = 'external:test-bank';
const RAIL = 'operator:test-rail:revenue';
const FUND = 'fund:12:test-pool';
const CLINIC = 'institution:TEST001:receivable';

type Answer = { decision: string; code?: string; legs?: number };

describe('Reversals (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let executor: CommandExecutor;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url, { asAppRole: true });
    executor = new CommandExecutor(ds, testClock());
    await openTestAccounts(executor);
    await transfer(executor, 'fund-card', [{ from: BANK, to: CARD, amount: 10_000 }]);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** The way a context reverses: declare the reversal read, post the legs it gives, name the original. */
  const reverse = (id: string, originalType: string, originalId: string) =>
    executor.run({
      envelope: { type: 'test.reverse', id, context: 'test', payload: { originalType, originalId } },
      reads: { reversal: LedgerReads.reversal(originalType, originalId) },
      batchKeys: [`reverse:${originalType}:${originalId}:${id}`],
      decide: ({ reversal }): CommandOutcome<Answer> => {
        const legs = reversal?.legs;
        if (!legs)
          return {
            decision: 'DENY',
            reason: { code: 'UNKNOWN_COMMAND', message: 'nothing to reverse' },
            response: { decision: 'DENY', code: 'UNKNOWN_COMMAND' },
          };
        const deny = (code: string) => ({
          decision: 'DENY' as const,
          reason: { code, message: code },
          response: { decision: 'DENY', code },
          reverses: commandKey(originalType, originalId),
        });
        return {
          decision: 'ALLOW',
          response: { decision: 'ALLOW', legs: legs.length },
          transfers: legs,
          reverses: commandKey(originalType, originalId),
          onLedgerRefusal: (r) => deny(r.code),
          onAlreadyReversed: (r) => deny(r.code),
        };
      },
    });

  it('undoes a three-leg settlement with swapped legs that reference the original, and refuses a second reversal', async () => {
    await transfer(executor, 'settle-1', [
      { from: FUND, to: CLINIC, amount: 7_000 },
      { from: CARD, to: CLINIC, amount: 2_000 },
      { from: BANK, to: CLINIC, amount: 1_000 },
    ]);
    expect(await balanceOf(ds, CARD)).toBe(8_000);

    const undone = await reverse('rev-1', 'test.transfer', 'settle-1');
    expect(undone).toMatchObject({ decision: 'ALLOW', response: { decision: 'ALLOW', legs: 3 } });
    expect(await balanceOf(ds, CARD)).toBe(10_000);
    expect(await balanceOf(ds, CLINIC)).toBe(0);
    const legs: { leg: number; account_code: string; amount: string }[] = await ds.query(
      `SELECT leg, account_code, amount::text FROM ledger.entry_journal e WHERE command_id = 'rev-1' ORDER BY e.seq`,
    );
    // Last leg first, each swapped.
    expect(legs.map((l) => [l.leg, l.account_code, Number(l.amount)])).toEqual([
      [0, CLINIC, -1000],
      [0, BANK, 1000],
      [1, CLINIC, -2000],
      [1, CARD, 2000],
      [2, CLINIC, -7000],
      [2, FUND, 7000],
    ]);
    const [j] = await ds.query(`SELECT reverses FROM ledger.journal WHERE command_id = 'rev-1'`);
    expect(j.reverses).toBe('test.transfer:settle-1');

    const twice = await reverse('rev-2', 'test.transfer', 'settle-1');
    expect(twice).toMatchObject({ decision: 'DENY', reasonCode: 'ALREADY_REVERSED' });
    expect(await balanceOf(ds, CARD)).toBe(10_000);
    // The refused reversal is journaled (naming the group) and a retry answers the same.
    const [d] = await ds.query(`SELECT decision, reason_code, reverses, legs FROM ledger.journal WHERE command_id = 'rev-2'`);
    expect(d).toEqual({ decision: 'DENY', reason_code: 'ALREADY_REVERSED', reverses: 'test.transfer:settle-1', legs: 0 });
    expect(await reverse('rev-2', 'test.transfer', 'settle-1')).toMatchObject({ replayed: true, reasonCode: 'ALREADY_REVERSED' });
    expect(LEDGER_REASONS.ALREADY_REVERSED).toMatch(/already been reversed/);
  });

  it('lets exactly one of several racing reversals through', async () => {
    await transfer(executor, 'tap-race', [{ from: CARD, to: RAIL, amount: 300 }]);
    const before = await balanceOf(ds, CARD);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => reverse(`rev-race-${i}`, 'test.transfer', 'tap-race')));
    expect(results.filter((r) => r.decision === 'ALLOW')).toHaveLength(1);
    expect(results.filter((r) => r.reasonCode === 'ALREADY_REVERSED')).toHaveLength(5);
    expect(await balanceOf(ds, CARD)).toBe(before + 300);
  });

  it('follows the balance rules: taking back money a card has already spent is refused (DENY), a refund into a card is fine', async () => {
    await executor.run({
      envelope: { type: 'test.open', id: 'open-spender', context: 'test', payload: {} },
      decide: (_, tx) => {
        tx.ledger.openAccounts([{ code: 'card:SPEND001:transit', region: '12', kind: 'CARD_TRANSIT', balanceRule: 'NON_NEGATIVE' }]);
        return { decision: 'ALLOW', response: {} };
      },
    });
    await transfer(executor, 'top-up-spender', [{ from: BANK, to: 'card:SPEND001:transit', amount: 500 }]);
    await transfer(executor, 'spend-all', [{ from: 'card:SPEND001:transit', to: RAIL, amount: 500 }]);

    const takeBack = await reverse('rev-top-up', 'test.transfer', 'top-up-spender');
    expect(takeBack).toMatchObject({ decision: 'DENY', reasonCode: 'INSUFFICIENT_BALANCE' });
    expect(await balanceOf(ds, 'card:SPEND001:transit')).toBe(0);

    // The refused reversal did not count: the fare can still be refunded, and then the top-up undone.
    const refund = await reverse('rev-fare', 'test.transfer', 'spend-all');
    expect(refund.decision).toBe('ALLOW');
    expect(await balanceOf(ds, 'card:SPEND001:transit')).toBe(500);
    expect((await reverse('rev-top-up-2', 'test.transfer', 'top-up-spender')).decision).toBe('ALLOW');
    expect(await balanceOf(ds, 'card:SPEND001:transit')).toBe(0);
  });

  it('answers null for an unknown command, and no legs for one that moved no money', async () => {
    expect((await reverse('rev-unknown', 'test.transfer', 'no-such-command')).reasonCode).toBe('UNKNOWN_COMMAND');
    await executor.run({
      envelope: { type: 'test.deny', id: 'deny-1', context: 'test', payload: {} },
      decide: () => ({ decision: 'DENY', reason: { code: 'CARD_LOST', message: 'lost' }, response: {} }),
    });
    await executor.run({
      envelope: { type: 'test.peek', id: 'peek-1', context: 'test', payload: {} },
      reads: {
        denied: LedgerReads.reversal('test.deny', 'deny-1'),
        unknown: LedgerReads.reversal('test.transfer', 'nope'),
        settled: LedgerReads.reversal('test.transfer', 'settle-1'),
        spent: LedgerReads.reversal('test.transfer', 'spend-all'),
      },
      decide: (f) => {
        expect(f.denied).toEqual({ legs: [], reversedBy: null });
        expect(f.unknown).toBeNull();
        expect(f.settled?.reversedBy).toBe('test.reverse:rev-1');
        expect(f.spent?.reversedBy).toBe('test.reverse:rev-fare');
        return { decision: 'ALLOW', response: {} };
      },
    });
  });

  it('without an onAlreadyReversed outcome, a second reversal is a 409 problem and writes nothing', async () => {
    await expect(
      executor.run({
        envelope: { type: 'test.reverse-bare', id: 'bare-1', context: 'test', payload: {} },
        reads: { reversal: LedgerReads.reversal('test.transfer', 'settle-1') },
        decide: ({ reversal }) => ({
          decision: 'ALLOW',
          response: {},
          transfers: reversal!.legs,
          reverses: commandKey('test.transfer', 'settle-1'),
        }),
      }),
    ).rejects.toMatchObject({ problem: { status: 409, type: '/problems/already-reversed' } });
    expect(await ds.query(`SELECT 1 FROM ledger.journal WHERE command_id = 'bare-1'`)).toEqual([]);
  });
});
