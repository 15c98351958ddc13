import { CardsFacade } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { LedgerReads } from '@onecard/ledger';
import type { Reason } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandPlan, type CommandOutcome } from '@onecard/engine';
import { unusedSlips } from '../../domain/tap.rule.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TransitRepository } from '../../infrastructure/transit.repository.js';
import { ClearTransitLockCommand, type LockClearanceAnswer } from './clear-transit-lock.command.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

/**
 * Clears the card's unused slips (trains gone, never used): they stop counting toward the transit
 * lock, which is derived from them, so the card may book and ride again. Nothing to clear is a DENY.
 */
@CommandHandler(ClearTransitLockCommand)
export class ClearTransitLockHandler extends PlannedCommandHandler<ClearTransitLockCommand, LockClearanceAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
  ) {
    super(executor);
  }

  protected plan(c: ClearTransitLockCommand): CommandPlan<LockClearanceAnswer> {
    return {
      envelope: { type: TRANSIT_COMMANDS.lockClearance, id: c.clearanceId, context: 'transit', actor: c.actor, payload: { cardNo: c.cardNo } },
      decide: async (_, tx): Promise<CommandOutcome<LockClearanceAnswer>> => {
        const input = { clearanceId: c.clearanceId, cardNo: c.cardNo, now: tx.now.toISOString() };
        const deny = (reason: Reason, facts: Record<string, unknown>, rule: string): CommandOutcome<LockClearanceAnswer> => ({
          decision: 'DENY',
          reason,
          subject: c.cardNo,
          details: { input, facts, outcome: { decision: 'DENY', reason: reason.code }, rule },
          response: { decision: 'DENY', reason, clearanceId: c.clearanceId, cardNo: c.cardNo, clearedReservations: [] },
        });
        const card = await tx.read(this.cards.cardRead(c.cardNo));
        if (!card) return deny(transitReason('CARD_UNKNOWN'), { card: null }, 'card.status');
        if (card.accounts.transit) await tx.read(LedgerReads.lockedBalances([card.accounts.transit]));
        const unused = unusedSlips(await this.repository.liveSlips(tx, c.cardNo), tx.now);
        const facts = { unusedSlips: unused.map((s) => s.reservationId) };
        if (unused.length === 0) return deny(transitReason('NO_UNUSED_SLIPS'), facts, 'seat-first.unused-slips-lock');
        const cleared = await this.repository.clearUnusedSlips(tx, c.cardNo, tx.now);
        return {
          decision: 'ALLOW',
          subject: c.cardNo,
          details: { input, facts, outcome: { decision: 'ALLOW', cleared: cleared.length }, rule: 'seat-first.unused-slips-lock' },
          response: { decision: 'ALLOW', clearanceId: c.clearanceId, cardNo: c.cardNo, clearedReservations: cleared },
        };
      },
    };
  }
}
