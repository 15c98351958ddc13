import { medicalFundAccount } from '@contexts/medical';
import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import {
  addBusinessDays,
  CLOCK,
  formatBusinessInstant,
  Problems,
  sha256Hex,
  startOfBusinessDay,
  type BusinessDate,
  type Clock,
  type Region,
} from '@onecard/kernel';
import { CommandExecutor, commandKey, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { LedgerReads, type Leg } from '@onecard/ledger';
import { ClearingPrepaymentRules, RuleBook } from '@onecard/rules';
import { prepaymentAccount, regionClearingAccount } from '../../domain/clearing-accounts.js';
import { crossRegionPairs, prepaymentMovement, type PrepaymentMovement } from '../../domain/prepayment.rule.js';
import { buildStatement, type ServiceLine } from '../../domain/statement.js';
import { STATEMENT_GENESIS, statementHash, type StatementRecord } from '../../domain/statement-chain.js';
import { ClearingRepository } from '../../infrastructure/clearing.repository.js';
import { monthFigures } from '../month-figures.js';
import { toClosedStatement, type ClosedStatement, type DayStatementBody, type MonthStatementBody } from '../statement-view.js';
import { CLEARING_COMMANDS } from '../../domain/clearing-commands.js';
import { CloseDayCommand } from './close-day.command.js';

/** One close at a time: closes are sequential by day and each extends the statement chain. */
const CLOSE_LOCK = 1_717_000_015;

class AlreadyClosed extends Error {}

interface CloseAnswer {
  statementId: string;
  hash: string;
  monthStatementId: string | null;
}

/**
 * Closes a business day (REFERENCE.md §6, ADR 0015), in one ledger command: the day's statement
 * (every leg not yet cleared dated that day or, late, earlier) is frozen on the statement chain;
 * the daily lines' bilateral nets move between region clearing accounts; the medical lines are
 * drawn from each home region's prepayment to the treatment region's clearing account, after the
 * month's first close has topped the prepayments up; a top-up is called under the threshold. The
 * last day of a month also freezes the month's medical statement. A second close answers the first.
 * It runs alone (it takes the close lock and reads the open items inside its transaction).
 */
@CommandHandler(CloseDayCommand)
export class CloseDayHandler extends PlannedCommandHandler<CloseDayCommand, CloseAnswer, { statement: ClosedStatement; replayed: boolean }> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: ClearingRepository,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(executor);
  }

  protected plan(c: CloseDayCommand): CommandPlan<CloseAnswer> {
    const endsAt = startOfBusinessDay(addBusinessDays(c.date, 1));
    if (this.clock.now().getTime() < endsAt.getTime()) {
      throw Problems.conflict(`Business day ${c.date} has not ended (it ends at ${formatBusinessInstant(endsAt)}); only an ended day can be closed.`, {
        code: 'DAY_NOT_ENDED',
      });
    }
    return {
      envelope: { type: CLEARING_COMMANDS.closeDay, id: c.date, context: 'clearing', actor: c.actor, payload: { date: c.date } },
      decide: (_, tx) => this.close(tx, c.date),
    };
  }

  /** The statement as closed, whether this close or an earlier one froze it. */
  override async execute(c: CloseDayCommand): Promise<{ statement: ClosedStatement; replayed: boolean }> {
    const stored = await this.closed(c.date);
    if (stored) return { statement: stored, replayed: true };
    let replayed: boolean;
    try {
      // A twin that committed first meets this one on the journal key: the engine replays it.
      replayed = (await this.executor.run(this.plan(c))).replayed;
    } catch (error) {
      // A twin that committed while this one waited for the close lock.
      if (!(error instanceof AlreadyClosed)) throw error;
      replayed = true;
    }
    const statement = await this.closed(c.date);
    if (!statement) throw new Error(`close of ${c.date} committed no statement`);
    return { statement, replayed };
  }

  private async closed(date: BusinessDate) {
    const r = await this.repository.statement(`D-${date}`);
    return r ? toClosedStatement(r, await this.repository.settlements(r.statementId), null) : null;
  }

  private async close(tx: CommandTx, date: BusinessDate): Promise<CommandOutcome<CloseAnswer>> {
    await tx.query(`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`);
    if (await this.repository.statement(`D-${date}`, tx)) throw new AlreadyClosed();
    const lastClosed = await this.repository.lastClosedDay(tx);
    if (lastClosed !== null && lastClosed > date) {
      throw Problems.conflict(`Business day ${date} lies before the last closed day ${lastClosed}: its legs were cleared there as late items.`, {
        code: 'DAY_BEFORE_CLEARING',
      });
    }
    const previous = addBusinessDays(date, -1);
    if (lastClosed !== null ? lastClosed !== previous : await this.repository.unclearedBefore(date, tx)) {
      const open = lastClosed !== null ? addBusinessDays(lastClosed, 1) : 'an earlier day';
      throw Problems.conflict(`Business day ${date} follows an open day (${open}); close the days in order.`, { code: 'PREVIOUS_DAY_OPEN', openDay: open });
    }

    const lines = await this.repository.serviceLines(tx);
    const items = await this.repository.pendingItems(date, tx);
    const figures = buildStatement(items, lines);
    const month = date.slice(0, 7);
    const firstCloseOfMonth = lastClosed === null || lastClosed.slice(0, 7) !== month;
    const openCalls = await this.repository.topUpCalls({ open: true }, tx);
    // Locked: a top-up paid while this close decides waits for it, so the movement holds.
    const balances = await tx.read(LedgerReads.lockedBalances(crossRegionPairs().map((p) => prepaymentAccount(p.home, p.treatment).code)));
    const prepayments = crossRegionPairs().map(({ home, treatment }) => {
      const set = this.rules.find(ClearingPrepaymentRules, home, startOfBusinessDay(date));
      const terms = {
        home,
        treatment,
        prepaymentFen: set?.parameters.prepayments[treatment] ?? 0,
        thresholdPercent: set?.parameters.topUpThresholdPercent ?? 100,
      };
      return prepaymentMovement({
        terms,
        balanceFen: balances.get(prepaymentAccount(home, treatment).code) ?? 0,
        drawFen: figures.monthly.find((m) => m.home === home && m.treatment === treatment)?.amountFen ?? 0,
        firstCloseOfMonth,
        openCall: openCalls.some((o) => o.home === home && o.treatment === treatment),
      });
    });

    const transfers = closeTransfers(figures.daily.bilateral, prepayments);
    tx.ledger.openAccounts([
      ...(['11', '12', '13'] as const).flatMap((r) => [regionClearingAccount(r), medicalFundAccount(r)]),
      ...crossRegionPairs().map((p) => prepaymentAccount(p.home, p.treatment)),
    ]);

    const head = await this.repository.head(tx);
    const closedAt = tx.now.toISOString();
    const statementId = `D-${date}`;
    const topUpCalls = prepayments
      .filter((p) => p.callFen !== null)
      .map((p) => ({ callId: `${statementId}:${p.home}-${p.treatment}`, home: p.home, treatment: p.treatment, amountFen: p.callFen! }));
    const body: DayStatementBody = {
      statementId,
      kind: 'DAY',
      date,
      closedAt,
      figures,
      prepayments,
      topUpCalls,
      transfers: transfers.map((t) => ({ from: t.from, to: t.to, amountFen: t.amount })),
    };
    const day = sealed(head, { statementId, kind: 'DAY', period: date, closedAt, closeCommand: commandKey(CLEARING_COMMANDS.closeDay, date) }, body);
    await this.repository.insertStatement(day, tx);
    await this.repository.insertItems(day.seq, items, tx);
    for (const call of topUpCalls) {
      const p = prepayments.find((m) => m.home === call.home && m.treatment === call.treatment)!;
      await this.repository.insertTopUpCall(
        { ...call, statementId, month, prepaymentFen: p.prepaymentFen, thresholdFen: p.thresholdFen, balanceFen: p.balanceAfterFen, calledAt: closedAt },
        tx,
      );
    }
    let monthId: string | null = null;
    if (addBusinessDays(date, 1).slice(0, 7) !== month) {
      const monthRecord = await this.closeMonth(tx, month, day, lines);
      monthId = monthRecord.statementId;
    }

    return {
      decision: 'ALLOW' as const,
      response: { statementId, hash: day.hash, monthStatementId: monthId },
      transfers,
      details: {
        input: { date },
        facts: { lastClosed, items: items.length, lateItems: figures.totals.lateCount, adjustments: figures.totals.adjustmentCount },
        outcome: { statementId, hash: day.hash, transfers: transfers.length, topUpCalls: topUpCalls.length },
        rule: 'clearing.prepayment',
      },
    };
  }

  /** The month's medical statement, frozen with its last day: obligations, netting and each prepayment's month. */
  private async closeMonth(tx: CommandTx, month: string, lastDay: StatementRecord, lines: ServiceLine[]): Promise<StatementRecord> {
    const m = await monthFigures(this.repository, month, lines, tx);
    const statementId = `M-${month}`;
    const body: MonthStatementBody = { statementId, kind: 'MONTH', month, closedAt: lastDay.closedAt, ...m };
    const record = sealed(lastDay, { statementId, kind: 'MONTH', period: month, closedAt: lastDay.closedAt, closeCommand: lastDay.closeCommand }, body);
    await this.repository.insertStatement(record, tx);
    return record;
  }
}

function closeTransfers(dailyNets: { payer: Region; payee: Region; amountFen: number }[], prepayments: PrepaymentMovement[]): Leg[] {
  const legs: Leg[] = [];
  for (const p of prepayments) {
    const account = prepaymentAccount(p.home, p.treatment).code;
    if (p.topUpFen > 0) legs.push({ from: medicalFundAccount(p.home).code, to: account, amount: p.topUpFen });
    if (p.drawFen > 0) legs.push({ from: account, to: regionClearingAccount(p.treatment).code, amount: p.drawFen });
    if (p.drawFen < 0) legs.push({ from: regionClearingAccount(p.treatment).code, to: account, amount: -p.drawFen });
  }
  for (const n of dailyNets) legs.push({ from: regionClearingAccount(n.payer).code, to: regionClearingAccount(n.payee).code, amount: n.amountFen });
  return legs;
}

function sealed(
  head: { seq: number; hash: string } | null,
  r: Pick<StatementRecord, 'statementId' | 'kind' | 'period' | 'closedAt' | 'closeCommand'>,
  body: object,
): StatementRecord {
  const text = JSON.stringify(body);
  const fields = { ...r, seq: (head?.seq ?? 0) + 1, body: text, bodyHash: sha256Hex(text), prevHash: head?.hash ?? STATEMENT_GENESIS };
  return { ...fields, hash: statementHash(fields) };
}
