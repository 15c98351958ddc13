import { CardsFacade } from '@contexts/cards';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, commandKey, type CommandOutcome } from '@onecard/engine';
import { businessDateOf, CLOCK, formatBusinessInstant, Problems, type Clock } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import { RuleBook, TransitNetworkRules } from '@onecard/rules';
import { RAIL_REVENUE_ACCOUNT } from '../../domain/accounts.js';
import { incompleteChargeDueAt, incompleteJourneyCharge } from '../../domain/fare.rule.js';
import { transitReason } from '../../domain/transit-reasons.js';
import { TransitRepository, type JourneyRow } from '../../infrastructure/transit.repository.js';
import { ChargeIncompleteJourneysCommand, type IncompleteCharge, type IncompleteChargeRun } from './charge-incomplete-journeys.command.js';
import { TRANSIT_COMMANDS } from '../../domain/transit-commands.js';

const PAGE = 500;
/** The rule a charge records (before issue 12 it was `missing-tap-out.farthest-station`). */
export const INCOMPLETE_CHARGE_RULE = 'missing-tap-out.train-terminus';
const DAY_MS = 86_400_000;

type ChargeAnswer = Omit<IncompleteCharge, 'replayed'>;

/**
 * The missing tap-out job (REFERENCE.md §1): a journey open `chargeAfterDays` (rule version at
 * entry) is charged the fare to the terminus of the train it entered for — what entry checked the
 * balance against — as much of it as the wallet holds. Run hourly in-process and from the CLI with
 * a given date; never as of a time the service clock has not reached (the 7 days would not be up).
 */
@CommandHandler(ChargeIncompleteJourneysCommand)
export class ChargeIncompleteJourneysHandler implements ICommandHandler<ChargeIncompleteJourneysCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly repository: TransitRepository,
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(c: ChargeIncompleteJourneysCommand): Promise<IncompleteChargeRun> {
    const now = this.clock.now();
    if (c.asOf.getTime() > now.getTime()) {
      throw Problems.validation([{ pointer: '/asOf', detail: `asOf must not be after the service clock (${formatBusinessInstant(now)})` }]);
    }
    const charges: IncompleteCharge[] = [];
    let examined = 0;
    // No rule version charges before a day has passed: older journeys are the only candidates.
    const enteredBefore = new Date(c.asOf.getTime() - DAY_MS);
    let after: { entryAt: Date; journeyId: string } | null = null;
    for (;;) {
      const page = await this.repository.openJourneysEnteredBefore(enteredBefore, after, PAGE);
      for (const journey of page) {
        examined++;
        const network = this.rules.byRef(TransitNetworkRules, journey.ruleSet);
        const due = incompleteChargeDueAt(network.parameters, new Date(journey.entryAt));
        if (due.getTime() > c.asOf.getTime()) continue;
        charges.push(await this.charge(journey, due, c.actor));
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      after = { entryAt: new Date(last.entryAt), journeyId: last.journeyId };
    }
    return { asOf: c.asOf.toISOString(), examined, charges };
  }

  private async charge(journey: JourneyRow, due: Date, actor: string): Promise<IncompleteCharge> {
    const result = await this.executor.run({
      envelope: {
        type: TRANSIT_COMMANDS.incompleteCharge,
        id: journey.journeyId,
        context: 'transit',
        actor,
        payload: { journeyId: journey.journeyId },
        eventTime: due,
      },
      decide: async (_, tx): Promise<CommandOutcome<ChargeAnswer>> => {
        const network = this.rules.byRef(TransitNetworkRules, journey.ruleSet);
        const card = await tx.read(this.cards.cardRead(journey.cardNo));
        const wallet = card?.accounts.transit ?? null;
        const balanceFen = wallet ? ((await tx.read(LedgerReads.lockedBalances([wallet]))).get(wallet) ?? 0) : 0;
        const current = (await this.repository.findJourney(tx, journey.journeyId, { lock: true }))!;
        const input = { journeyId: journey.journeyId, dueAt: due.toISOString() };
        const facts = { status: current.status, entryStation: current.entryStation, entryAt: current.entryAt, terminus: current.terminus, balanceFen };
        const base = { journeyId: journey.journeyId, cardNo: journey.cardNo };
        if (current.status !== 'OPEN') {
          const reason = transitReason('JOURNEY_NOT_OPEN');
          return {
            decision: 'DENY',
            reason,
            ruleSet: journey.ruleSet,
            subject: journey.cardNo,
            details: { input, facts, outcome: { decision: 'DENY', reason: reason.code }, rule: 'journey.open' },
            response: { ...base, decision: 'DENY', reasonCode: reason.code, terminus: null, fareFen: 0, chargedFen: 0, shortfallFen: 0 },
          };
        }
        const { terminus, fareFen } = incompleteJourneyCharge(network.parameters, current);
        const chargedFen = Math.min(fareFen, balanceFen);
        await this.repository.closeJourney(tx, journey.journeyId, {
          status: 'INCOMPLETE_CHARGED',
          // Not an exit: the station the fare is charged to (reports mark these journeys INCOMPLETE_CHARGED).
          exitStation: terminus,
          exitGate: null,
          exitTapId: null,
          exitAt: due,
          fareFen,
          chargedFen,
          closedBy: 'INCOMPLETE_CHARGE',
          closedCommand: commandKey(TRANSIT_COMMANDS.incompleteCharge, journey.journeyId),
          closedDate: businessDateOf(due),
        });
        return {
          decision: 'ALLOW',
          ruleSet: journey.ruleSet,
          subject: journey.cardNo,
          details: { input, facts, outcome: { decision: 'ALLOW', terminus, fareFen, chargedFen }, rule: INCOMPLETE_CHARGE_RULE },
          transfers: chargedFen > 0 ? [{ from: wallet!, to: RAIL_REVENUE_ACCOUNT, amount: chargedFen }] : [],
          response: { ...base, decision: 'ALLOW', reasonCode: null, terminus, fareFen, chargedFen, shortfallFen: fareFen - chargedFen },
        };
      },
    });
    return { ...result.response, replayed: result.replayed };
  }
}
