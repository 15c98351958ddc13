import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import { MUSEUMS_COMMANDS } from '../../domain/museums-commands.js';
import { NoShowReasons } from '../../domain/museum-reasons.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { CountNoShowCommand, type NoShowAnswer } from './count-no-show.command.js';
import { banStartedBy, type NoShowFacts } from './no-show-outcome.js';

/** The actor journaled for the job's commands. */
const NO_SHOW_JOB_ACTOR = 'job:museums.no-shows';

/**
 * Counts one reservation as a no-show once its slot has ended unused. The command id is the
 * reservation id, so however often (and on however many instances) the job runs, a reservation is
 * counted once. The answer says whether this no-show starts a booking ban (rule data noShowBan).
 * It runs alone (a job): the reservation is marked in its transaction, then its holder's
 * no-shows are counted with it.
 */
@CommandHandler(CountNoShowCommand)
export class CountNoShowHandler extends PlannedCommandHandler<CountNoShowCommand, NoShowAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: MuseumsRepository,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(c: CountNoShowCommand): CommandPlan<NoShowAnswer> {
    const { reservationId, slotEndsAt } = c;
    return {
      envelope: {
        type: MUSEUMS_COMMANDS.countNoShow,
        id: reservationId,
        context: 'museums',
        actor: NO_SHOW_JOB_ACTOR,
        payload: { reservationId },
        eventTime: slotEndsAt,
      },
      decide: (_, tx) => this.count(tx, c),
    };
  }

  /** Still booked and its slot ended by the job's "as of": a no-show, and maybe the start of a ban. */
  private async count(tx: CommandTx, c: CountNoShowCommand): Promise<CommandOutcome<NoShowAnswer>> {
    const { reservationId, asOf } = c;
    const counted = await this.repository.markNoShow(reservationId, asOf, tx.now, tx);
    if (!counted) {
      const current = await this.repository.findReservation(reservationId, tx);
      const reason = { code: 'NOT_A_NO_SHOW', message: NoShowReasons.NOT_A_NO_SHOW };
      return {
        decision: 'DENY',
        reason,
        response: { decision: 'DENY', reason, reservationId },
        subject: current?.cardNo ?? null,
        details: { input: { reservationId }, facts: { status: current?.status ?? null }, outcome: { ban: null }, rule: 'museums.no-show' },
      };
    }
    const museum = await this.repository.findMuseum(counted.museumId, tx);
    const ruleSet = museum ? this.rules.find(MuseumBookingRules, museum.region, counted.slotEndsAt) : null;
    const facts: NoShowFacts & { museumRegion: string | null } = {
      museumId: counted.museumId,
      museumRegion: museum?.region ?? null,
      visitDate: counted.visitDate,
      noShowDates: await this.repository.noShowDates(counted.holderId, counted.museumId, tx),
    };
    const ban = banStartedBy(ruleSet?.parameters ?? null, facts);
    return {
      decision: 'ALLOW',
      ruleSet: ruleSet?.ref ?? null,
      response: { decision: 'ALLOW', reservationId, status: 'NO_SHOW', ban },
      subject: counted.cardNo,
      regions: museum ? [museum.region] : [],
      details: { input: { reservationId }, facts: { ...facts }, outcome: { ban }, rule: 'museums.no-show' },
    };
  }
}
