import { CardsFacade } from '@contexts/cards';
import { CommandExecutor, type BatchOptions, type CommandResult } from '@onecard/engine';
import type { TerminalIdentity } from '@onecard/platform';
import { RuleBook } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { CardHolders } from '../infrastructure/card-holders.js';
import { CirculationRepository } from '../infrastructure/circulation.repository.js';
import { LibraryDirectory } from '../infrastructure/library-directory.js';
import { LibraryLedgerAccounts } from '../infrastructure/library-ledger-accounts.js';
import { balance, desk, DESKS, issueCard, LIBS, setUpLibraries, topUpBank } from '../testing/fixtures.js';
import { LendItemCommand } from './lend-item/lend-item.command.js';
import { LendItemHandler } from './lend-item/lend-item.handler.js';
import { PayFinesCommand } from './pay-fines/pay-fines.command.js';
import { PayFinesHandler } from './pay-fines/pay-fines.handler.js';
import { RenewLoanCommand } from './renew-loan/renew-loan.command.js';
import { RenewLoanHandler } from './renew-loan/renew-loan.handler.js';
import { ReturnItemCommand } from './return-item/return-item.command.js';
import { ReturnItemHandler } from './return-item/return-item.handler.js';

const LENT = '2026-03-01T10:00:00+08:00'; // Tianjin: due 2026-03-31
const TIANJIN_DESK: TerminalIdentity = {
  terminalId: DESKS.TIANJIN,
  kind: 'LIBRARY_DESK',
  venueId: LIBS.TIANJIN,
  region: '12',
  direction: null,
  enabled: true,
  cardNo: null,
};
const HEBEI_DESK: TerminalIdentity = {
  terminalId: DESKS.HEBEI,
  kind: 'LIBRARY_DESK',
  venueId: LIBS.HEBEI,
  region: '13',
  direction: null,
  enabled: true,
  cardNo: null,
};

/**
 * Circulation commands under group commit: commands of different items and holders share one
 * transaction; one item's or one holder's commands never do; and across instances (executors that
 * share no batch keys) the row locks keep one loan per item and the loan limits.
 */
describe('circulation commands in batches (real PostgreSQL)', () => {
  let t: TestApp;
  let items = 0;
  let holds = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await setUpLibraries(t, { TJ: 0, HP: 0, BJ: 0, CY: 0, HB: 0 });
  });
  afterAll(() => t?.close());

  /** A new item of `libraryId`; answers its barcode. */
  async function item(libraryId: string = LIBS.TIANJIN): Promise<string> {
    const code = `BT-${++items}`;
    expect((await t.operator.post('/v1/admin/libraries/items', { barcode: code, libraryId, title: `batched ${items}` })).status).toBe(201);
    return code;
  }

  /** A new Tianjin item lent to `cardNo` on LENT through the service; answers its barcode. */
  async function lent(cardNo: string): Promise<string> {
    const code = await item();
    expect((await desk(t, DESKS.TIANJIN).lend(`loan-${code}`, cardNo, code, LENT)).body.decision).toBe('ALLOW');
    return code;
  }

  /** The circulation handlers on an executor of their own: another instance of the service, as far as batching goes. */
  function instance(groupCommit: Partial<BatchOptions> = {}) {
    const executor = new CommandExecutor(t.dataSource, t.clock, { groupCommit: { enabled: true, maxBatch: 32, maxConcurrentBatches: 4, ...groupCommit } });
    const repository = t.get<CirculationRepository>(CirculationRepository);
    const libraries = t.get<LibraryDirectory>(LibraryDirectory);
    const holders = new CardHolders(t.get<CardsFacade>(CardsFacade));
    const rules = t.get<RuleBook>(RuleBook);
    const handlers = {
      lend: new LendItemHandler(executor, repository, libraries, holders, rules),
      ret: new ReturnItemHandler(executor, repository, libraries, t.get<LibraryLedgerAccounts>(LibraryLedgerAccounts), rules),
      renew: new RenewLoanHandler(executor, repository, holders, rules),
      pay: new PayFinesHandler(executor, repository, holders),
    };
    return {
      executor,
      lend: (loanId: string, cardNo: string, code: string, at = LENT, terminal = TIANJIN_DESK) =>
        handlers.lend.execute(new LendItemCommand(loanId, cardNo, code, at, terminal)),
      ret: (returnId: string, code: string, at: string) => handlers.ret.execute(new ReturnItemCommand(returnId, code, at, TIANJIN_DESK)),
      renew: (renewalId: string, cardNo: string, code: string, at: string) =>
        handlers.renew.execute(new RenewLoanCommand(renewalId, cardNo, code, at, TIANJIN_DESK)),
      pay: (paymentId: string, cardNo: string, at: string, amountFen: number | null = null) =>
        handlers.pay.execute(new PayFinesCommand(paymentId, cardNo, amountFen, at, TIANJIN_DESK)),
    };
  }

  /**
   * Runs `commands` queued behind a command that holds the executor's only batch slot, so that
   * they are scheduled together once it lets go (after `meanwhile`, once they are all planned).
   */
  async function queuedTogether(
    executor: CommandExecutor,
    commands: () => Promise<CommandResult<any>>[],
    meanwhile?: () => Promise<void>,
  ): Promise<CommandResult<any>[]> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holder = executor.run({
      envelope: { type: 'test.hold', id: `hold-${++holds}`, context: 'test', payload: {} },
      batchKeys: ['hold'],
      decide: async () => {
        await gate;
        return { decision: 'ALLOW', response: {} };
      },
    });
    const runs = commands();
    while (executor.queued < runs.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await meanwhile?.();
    release();
    await holder;
    return Promise.all(runs);
  }

  const openLoans = async (cardNo: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.loans WHERE card_no = $1 AND returned_at IS NULL`, [cardNo]))[0].n);

  it('commits a loan, returns with and without a fine, a renewal and a fine payment of different items and holders in one transaction', async () => {
    const [lender, second, returner, finedCard, renewer, payer] = [
      await issueCard(t, '12'),
      await issueCard(t, '11'),
      await issueCard(t, '12'),
      await issueCard(t, '12', 1_000),
      await issueCard(t, '12'),
      await issueCard(t, '12'),
    ];
    const [toLend, toLendToo] = [await item(), await item()];
    const onTime = await lent(returner);
    const late = await lent(finedCard);
    const toRenew = await lent(renewer);
    // The payer owes 100 fen: 5 days late with an empty bank, then tops up.
    const owed = await lent(payer);
    expect((await desk(t, DESKS.TIANJIN).return(`ret-${owed}`, owed, '2026-04-05T10:00:00+08:00')).body).toMatchObject({ fineOutstandingFen: 100 });
    await topUpBank(t, payer, 500);

    const x = instance({ maxConcurrentBatches: 1 });
    const answers = await queuedTogether(x.executor, () => [
      x.lend('bt-lend-1', lender, toLend, '2026-03-20T10:00:00+08:00'),
      x.lend('bt-lend-2', second, toLendToo, '2026-03-20T10:00:00+08:00'),
      x.ret('bt-ret-ontime', onTime, '2026-03-20T10:00:00+08:00'),
      x.ret('bt-ret-late', late, '2026-04-03T10:00:00+08:00'),
      x.renew('bt-renew', renewer, toRenew, '2026-03-20T10:00:00+08:00'),
      x.pay('bt-pay', payer, '2026-04-06T10:00:00+08:00'),
    ]);
    expect(x.executor.stats).toMatchObject({ batches: 1, commands: 6, fallbacks: 0, refusals: 0 });
    expect(answers.map((a) => a.decision)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW', 'ALLOW']);
    expect(answers[0]!.response).toMatchObject({ dueDate: '2026-04-19', loansOutstanding: 1, finesOutstandingFen: 0 });
    expect(answers[3]!.response).toMatchObject({ overdueDays: 3, fineFen: 60, fineChargedFen: 60, fineOutstandingFen: 0, finesOutstandingFen: 0 });
    expect(answers[4]!.response).toMatchObject({ renewalsUsed: 1, dueDate: '2026-04-19' });
    expect(answers[5]!.response).toMatchObject({ amountFen: 100, finesOutstandingFen: 0, balanceFen: 400 });

    // Each one's effect, as the service's own handlers would have left it.
    expect(await openLoans(lender)).toBe(1);
    expect(await openLoans(second)).toBe(1);
    expect(await openLoans(returner)).toBe(0);
    expect(await openLoans(finedCard)).toBe(0);
    expect(await balance(t, `card:${finedCard}:bank`)).toBe(940);
    expect(await balance(t, `card:${payer}:bank`)).toBe(400);
    const patrons = await t.dataSource.query(
      `SELECT p.fines_outstanding_fen::int AS owed FROM libraries.patrons p JOIN libraries.loans l ON l.holder_id = p.holder_id WHERE l.card_no = ANY($1) GROUP BY p.holder_id, p.fines_outstanding_fen`,
      [[lender, second, payer]],
    );
    expect(patrons).toEqual([{ owed: 0 }, { owed: 0 }, { owed: 0 }]);
    const [renewed] = await t.dataSource.query(`SELECT renewals, due_date FROM libraries.loans WHERE loan_id = $1`, [`loan-${toRenew}`]);
    expect(renewed).toEqual({ renewals: 1, due_date: '2026-04-19' });
    for (const [type, id] of [
      ['libraries.loan', 'bt-lend-1'],
      ['libraries.return', 'bt-ret-late'],
      ['libraries.renewal', 'bt-renew'],
      ['libraries.fine-payment', 'bt-pay'],
    ]) {
      expect((await t.auditor.post(`/v1/admin/decisions/${id}/replay?type=${type}`, undefined)).body).toMatchObject({ match: true });
    }
    expect((await t.auditor.get('/v1/admin/ledger/verification')).body.ok).toBe(true);
  });

  it("never batches one item's or one holder's commands together: one loan per item, the limit kept, no batch falls back", async () => {
    const full = await issueCard(t, '12'); // Tianjin holder: 5 books from the network
    for (let i = 0; i < 4; i++) await lent(full);
    const [a, b] = [await issueCard(t, '12'), await issueCard(t, '12')];
    const [i1, i2, i3, shared] = [await item(), await item(), await item(), await item()];

    const x = instance({ maxConcurrentBatches: 1 });
    const answers = await queuedTogether(x.executor, () => [
      x.lend('bt-full-1', full, i1),
      x.lend('bt-full-2', full, i2),
      x.lend('bt-full-3', full, i3),
      x.lend('bt-shared-a', a, shared),
      x.lend('bt-shared-b', b, shared),
    ]);
    const byHolder = answers.slice(0, 3);
    expect(byHolder.filter((r) => r.decision === 'ALLOW')).toHaveLength(1);
    expect(byHolder.filter((r) => r.reasonCode === 'LOAN_LIMIT_REACHED')).toHaveLength(2);
    expect(
      answers
        .slice(3)
        .map((r) => r.reasonCode ?? r.decision)
        .sort(),
    ).toEqual(['ALLOW', 'ITEM_ALREADY_ON_LOAN']);
    expect(await openLoans(full)).toBe(5);
    // They did share transactions where their keys allowed, and none failed for a conflict.
    expect(x.executor.stats.batches).toBeGreaterThan(0);
    expect(x.executor.stats.commands).toBeGreaterThan(x.executor.stats.batches);
    expect(x.executor.stats.fallbacks).toBe(0);

    // Two returns of one book, and its renewal, queued together: it comes back once, fined once.
    const book = await lent(a);
    const racing = await queuedTogether(x.executor, () => [
      x.ret('bt-twice-1', book, '2026-04-02T10:00:00+08:00'),
      x.renew('bt-twice-renew', a, book, '2026-04-02T10:00:00+08:00'),
      x.ret('bt-twice-2', book, '2026-04-02T10:00:00+08:00'),
    ]);
    expect(racing.map((r) => r.reasonCode ?? r.decision).sort()).toEqual([
      'ALLOW',
      'ITEM_NOT_ON_LOAN',
      expect.stringMatching(/^(ITEM_NOT_ON_LOAN|LOAN_OVERDUE)$/),
    ]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.fines WHERE loan_id = $1`, [`loan-${book}`]);
    expect(n).toBe(1);
    expect(x.executor.stats.fallbacks).toBe(0);
  });

  it("keeps a card's bank exact when a return's fine and its holder's fine payment are queued together", async () => {
    const cardNo = await issueCard(t, '12');
    const first = await lent(cardNo);
    const second = await lent(cardNo);
    expect((await desk(t, DESKS.TIANJIN).return(`ret-${first}`, first, '2026-04-05T10:00:00+08:00')).body).toMatchObject({ fineOutstandingFen: 100 });
    await topUpBank(t, cardNo, 150);

    const x = instance({ maxConcurrentBatches: 1 });
    const [payment, back] = await queuedTogether(x.executor, () => [
      x.pay('bt-bank-pay', cardNo, '2026-04-03T11:00:00+08:00'),
      x.ret('bt-bank-ret', second, '2026-04-03T11:00:00+08:00'), // 3 days: 60 fen
    ]);
    // Whichever went first, the other saw what it left: never a refusal at commit, never below zero.
    const paid = payment!.decision === 'ALLOW' ? 100 : 0;
    const charged = (back!.response as { fineChargedFen: number }).fineChargedFen;
    expect(charged).toBe(paid === 100 ? 50 : 60);
    expect(await balance(t, `card:${cardNo}:bank`)).toBe(150 - paid - charged);
    expect(x.executor.stats).toMatchObject({ refusals: 0, fallbacks: 0 });
    // What the holder still owes, fine by fine and in the patron's total.
    const [{ owed }] = await t.dataSource.query(`SELECT sum(outstanding_fen)::int AS owed FROM libraries.fines WHERE card_no = $1`, [cardNo]);
    const [{ total }] = await t.dataSource.query(
      `SELECT p.fines_outstanding_fen::int AS total FROM libraries.patrons p WHERE p.holder_id = (SELECT holder_id FROM libraries.loans WHERE card_no = $1 LIMIT 1)`,
      [cardNo],
    );
    expect([owed, total]).toEqual([160 - paid - charged, 160 - paid - charged]);
  });

  it('keeps the loan limit and one loan per item across instances, from the very first loan of a holder', async () => {
    // Shijiazhuang lends 2 books to anyone. A new holder, three desks on three instances at once.
    const cardNo = await issueCard(t, '13');
    const books = [await item(LIBS.HEBEI), await item(LIBS.HEBEI), await item(LIBS.HEBEI)];
    const instances = [instance(), instance(), instance()];
    const answers = await Promise.all(books.map((code, i) => instances[i]!.lend(`bt-first-${i}`, cardNo, code, LENT, HEBEI_DESK)));
    expect(answers.filter((r) => r.decision === 'ALLOW')).toHaveLength(2);
    expect(answers.filter((r) => r.reasonCode === 'LOAN_LIMIT_REACHED')).toHaveLength(1);
    expect(await openLoans(cardNo)).toBe(2);

    // A holder at 4 of 5, three instances at once: one more.
    const almost = await issueCard(t, '12');
    for (let i = 0; i < 4; i++) await lent(almost);
    const more = [await item(), await item(), await item()];
    const last = await Promise.all(more.map((code, i) => instances[i]!.lend(`bt-last-${i}`, almost, code)));
    expect(last.map((r) => r.reasonCode ?? r.decision).sort()).toEqual(['ALLOW', 'LOAN_LIMIT_REACHED', 'LOAN_LIMIT_REACHED']);
    expect(await openLoans(almost)).toBe(5);

    // One item, two holders, two instances: one loan.
    const [a, b] = [await issueCard(t, '12'), await issueCard(t, '12')];
    for (let round = 0; round < 3; round++) {
      const code = await item();
      const race = await Promise.all([instances[0]!.lend(`bt-item-${round}-a`, a, code), instances[1]!.lend(`bt-item-${round}-b`, b, code)]);
      expect(race.map((r) => r.reasonCode ?? r.decision).sort()).toEqual(['ALLOW', 'ITEM_ALREADY_ON_LOAN']);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM libraries.loans WHERE barcode = $1`, [code]);
      expect(n).toBe(1);
    }
  });

  it('plans a return again when its item came back and went out again between planning and running', async () => {
    const [first, next] = [await issueCard(t, '12'), await issueCard(t, '12', 100)];
    const book = await item();
    const tianjin = desk(t, DESKS.TIANJIN);
    expect((await tianjin.lend('bt-stale-1', first, book, '2026-03-20T10:00:00+08:00')).body.decision).toBe('ALLOW'); // due 19 April

    // Planned for the first loan (no fine foreseen), held; meanwhile another instance takes the book back and lends it again.
    const x = instance({ maxConcurrentBatches: 1 });
    const [back] = await queuedTogether(
      x.executor,
      () => [x.ret('bt-stale-ret', book, '2026-04-03T10:00:00+08:00')],
      async () => {
        expect((await tianjin.return('bt-stale-between', book, '2026-03-21T10:00:00+08:00')).body.decision).toBe('ALLOW');
        expect((await tianjin.lend('bt-stale-2', next, book, LENT)).body.decision).toBe('ALLOW'); // due 31 March
      },
    );
    // It closed the loan it found, fining the card that loan was made with.
    expect(back).toMatchObject({ decision: 'ALLOW', response: { loanId: 'bt-stale-2', cardNo: next, overdueDays: 3, fineFen: 60, fineChargedFen: 60 } });
    expect(await balance(t, `card:${next}:bank`)).toBe(40);
    expect(await openLoans(next)).toBe(0);
  });
});
