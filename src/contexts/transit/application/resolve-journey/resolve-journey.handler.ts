import { CardsFacade } from '@contexts/cards';
import { CommandHandler } from '@nestjs/cqrs';
import { LedgerReads } from '@onecard/ledger';
import { businessDateOf, Problems, type Reason } from '@onecard/kernel';
import { CommandExecutor, PlannedCommandHandler, type CommandPlan, commandKey, type CommandOutcome } from '@onecard/engine';
import { RuleBook, TransitNetworkRules } from '@onecard/rules';
import { RAIL_REVENUE_ACCOUNT } from '../../domain/accounts.js';
import { exitFare } from '../../domain/fare.rule.js';
import { stationOf } from '../../domain/network.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TransitRepository } from '../../infrastructure/transit.repository.js';
import { ResolveJourneyCommand, type ResolutionAnswer } from './resolve-journey.command.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

/**
 * Resolution at a window: the journey closes as if the holder had tapped out at `exitStation` now,
 * priced by the rule version in force at entry (the same-station window included). The wallet
 * must cover the fare (no overdraft): otherwise a DENY, and the holder tops up first.
 */
@CommandHandler(ResolveJourneyCommand)
export class ResolveJourneyHandler extends PlannedCommandHandler<ResolveJourneyCommand, ResolutionAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: ResolveJourneyCommand): CommandPlan<ResolutionAnswer> {
    return {
      envelope: {
        type: TRANSIT_COMMANDS.journeyResolution,
        id: c.resolutionId,
        context: 'transit',
        actor: c.actor,
        payload: { journeyId: c.journeyId, exitStation: c.exitStation },
      },
      decide: async (_, tx): Promise<CommandOutcome<ResolutionAnswer>> => {
        const found = await this.repository.findJourney(tx, c.journeyId);
        if (!found) throw Problems.notFound(`No journey ${c.journeyId}.`);
        const entryNetwork = this.rules.byRef(TransitNetworkRules, found.ruleSet);
        if (!stationOf(entryNetwork.parameters, c.exitStation)) {
          throw Problems.validation([{ pointer: '/exitStation', detail: `unknown station ${c.exitStation}` }]);
        }
        const card = await tx.read(this.cards.cardRead(found.cardNo));
        const wallet = card?.accounts.transit ?? null;
        const balanceFen = wallet ? ((await tx.read(LedgerReads.lockedBalances([wallet]))).get(wallet) ?? 0) : null;
        // Read again under the wallet lock: a tap may have closed it meanwhile.
        const journey = (await this.repository.findJourney(tx, c.journeyId, { lock: true }))!;
        const input = { resolutionId: c.resolutionId, journeyId: c.journeyId, exitStation: c.exitStation, at: tx.now.toISOString() };
        const facts = { status: journey.status, entryStation: journey.entryStation, entryAt: journey.entryAt, balanceFen };
        const answer = (reason: Reason | null, fareFen: number, balance: number | null): ResolutionAnswer => ({
          decision: reason ? 'DENY' : 'ALLOW',
          ...(reason ? { reason } : {}),
          resolutionId: c.resolutionId,
          journeyId: c.journeyId,
          exitStation: c.exitStation,
          fareFen,
          balanceFen: balance,
        });
        const deny = (reason: Reason, rule: string): CommandOutcome<ResolutionAnswer> => ({
          decision: 'DENY',
          reason,
          ruleSet: journey.ruleSet,
          subject: journey.cardNo,
          details: { input, facts, outcome: { decision: 'DENY', reason: reason.code }, rule },
          response: answer(reason, 0, balanceFen),
        });
        if (journey.status !== 'OPEN') return deny(transitReason('JOURNEY_NOT_OPEN'), 'journey.open');
        const fare = exitFare(
          entryNetwork.parameters,
          { station: journey.entryStation, at: new Date(journey.entryAt) },
          { station: c.exitStation, at: tx.now },
        );
        if ((balanceFen ?? 0) < fare.fareFen) {
          return deny(
            transitReason('INSUFFICIENT_BALANCE', `The fare is ${fare.fareFen} fen; the balance is ${balanceFen ?? 0} fen.`),
            'exit.balance-below-fare',
          );
        }
        await this.repository.closeJourney(tx, journey.journeyId, {
          status: 'RESOLVED',
          exitStation: c.exitStation,
          exitGate: null,
          exitTapId: null,
          exitAt: tx.now,
          fareFen: fare.fareFen,
          chargedFen: fare.fareFen,
          closedBy: 'OPERATOR',
          closedCommand: commandKey(TRANSIT_COMMANDS.journeyResolution, c.resolutionId),
          closedDate: businessDateOf(tx.now),
        });
        return {
          decision: 'ALLOW',
          ruleSet: journey.ruleSet,
          subject: journey.cardNo,
          details: { input, facts, outcome: { decision: 'ALLOW', fareFen: fare.fareFen, fareRule: fare.rule }, rule: fare.rule },
          transfers: fare.fareFen > 0 ? [{ from: wallet!, to: RAIL_REVENUE_ACCOUNT, amount: fare.fareFen }] : [],
          response: answer(null, fare.fareFen, balanceFen! - fare.fareFen),
        };
      },
    };
  }
}
