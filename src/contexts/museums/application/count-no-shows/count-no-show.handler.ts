import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { MuseumBookingRules, RuleBook } from '@onecard/rules';
import { NoShowReasons } from '../../domain/museum-reasons.js';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { CountNoShowCommand, type NoShowAnswer } from './count-no-show.command.js';
import { banStartedBy, type NoShowFacts } from './no-show-outcome.js';

export const MUSEUMS_COUNT_NO_SHOW = 'museums.count-no-show';
export const NO_SHOW_JOB_ACTOR = 'job:museums.no-shows';

/**
 * Counts one reservation as a no-show once its slot has ended unused. The command id is the
 * reservation id, so however often (and on however many instances) the job runs, a reservation is
 * counted once. The answer says whether this no-show starts a booking ban (rule data noShowBan).
 */
@CommandHandler(CountNoShowCommand)
export class CountNoShowHandler implements ICommandHandler<CountNoShowCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: MuseumsRepository,
    private readonly rules: RuleBook,
  ) {}

  execute(command: CountNoShowCommand): Promise<CommandResult<NoShowAnswer>> {
    const { reservationId, asOf, slotEndsAt } = command;
    return this.executor.execute<NoShowAnswer>(
      { type: MUSEUMS_COUNT_NO_SHOW, id: reservationId, context: 'museums', actor: NO_SHOW_JOB_ACTOR, payload: { reservationId }, eventTime: slotEndsAt },
      async (tx): Promise<CommandOutcome<NoShowAnswer>> => {
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
      },
    );
  }
}
