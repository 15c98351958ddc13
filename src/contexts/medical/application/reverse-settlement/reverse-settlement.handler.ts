import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Problems, type Reason, type Region } from '@onecard/kernel';
import { CommandExecutor, commandKey, type CommandOutcome, type CommandResult } from '@onecard/engine';
import { JournalReader } from '@onecard/ledger';
import { medicalReason } from '../../domain/medical-reasons.js';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { SETTLE_COMMAND_TYPE } from '../settle/settle.handler.js';
import { decideReversal, reversalOutcome, type ReversalFacts } from './reversal-decision.js';
import { ReverseSettlementCommand, type ReversalAnswer } from './reverse-settlement.command.js';

export const REVERSE_COMMAND_TYPE = 'medical.reverse-settlement';

/**
 * Undoes a whole settlement (冲正), idempotent by reversalId: the reversing legs of the
 * settlement's ledger group (each leg swapped), its accumulation subtracted from the person's year
 * and its results dropped, in one transaction. Only the institution that settled may reverse; a
 * group is reversed at most once (ALREADY_REVERSED, also when two reversals race: the ledger's
 * unique index decides). Unknown settlement: 404.
 */
@CommandHandler(ReverseSettlementCommand)
export class ReverseSettlementHandler implements ICommandHandler<ReverseSettlementCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: MedicalRepository,
    private readonly journal: JournalReader,
    private readonly clinics: ClinicTerminals,
  ) {}

  async execute(command: ReverseSettlementCommand): Promise<CommandResult<ReversalAnswer>> {
    const { settlementId, reversalId, reason, terminal } = command;
    const institution = await this.clinics.institutionOf(terminal);
    const reverses = commandKey(SETTLE_COMMAND_TYPE, settlementId);
    const input = { settlementId, reason };
    return this.executor.execute<ReversalAnswer>(
      { type: REVERSE_COMMAND_TYPE, id: reversalId, context: 'medical', terminalId: terminal.terminalId, payload: input },
      async (tx): Promise<CommandOutcome<ReversalAnswer>> => {
        const settlement = await this.repository.findSettlement(settlementId, tx, { lock: true });
        let facts: ReversalFacts;
        if (!settlement) {
          const refused = await this.journal.find(SETTLE_COMMAND_TYPE, settlementId);
          if (!refused) throw Problems.notFound(`No settlement ${settlementId}.`);
          if ((refused.response as { institutionId?: string } | null)?.institutionId !== institution.venueId) throw notYours(settlementId);
          facts = { status: 'DENIED' };
        } else {
          if (settlement.institutionId !== institution.venueId) throw notYours(settlementId);
          facts = settlement.reversalId
            ? { status: 'REVERSED', reversedBy: settlement.reversalId }
            : {
                status: 'SETTLED',
                amounts: {
                  totalFen: settlement.totalFen,
                  fundFen: settlement.fundFen,
                  personalAccountFen: settlement.personalAccountFen,
                  cashFen: settlement.cashFen,
                },
              };
        }
        const decision = decideReversal(facts);
        const details = { input, facts: { ...facts }, outcome: reversalOutcome(decision), rule: 'medical.reversal' };
        const subject = settlement?.cardNo ?? null;
        const regions = settlement ? ([...new Set([settlement.homeRegion, settlement.institutionRegion])].sort() as Region[]) : [institution.region];
        const ruleSet = settlement?.policy ?? null;
        const answer = (extra: Partial<ReversalAnswer>): ReversalAnswer => ({
          decision: 'DENY',
          reversalId,
          settlementId,
          institutionId: institution.venueId,
          reversedBy: null,
          totalFen: null,
          fundFen: null,
          personalAccountFen: null,
          cashFen: null,
          ruleSet,
          ...extra,
        });
        const deny = (reason: Reason, reversedBy: string | null): CommandOutcome<ReversalAnswer> => ({
          decision: 'DENY',
          reason,
          ruleSet,
          response: answer({ reason, reversedBy }),
          subject,
          regions,
          reverses,
          details: { ...details, outcome: { refused: reason.code } },
        });
        if ('refusal' in decision) return deny(decision.refusal, facts.reversedBy ?? null);

        const legs = await tx.ledger.reversalLegs(SETTLE_COMMAND_TYPE, settlementId);
        if (!legs) throw new Error(`settlement ${settlementId} is stored but not journaled`);
        await this.repository.recordReversal(settlement!, { reversalId, reason, at: tx.now }, tx);
        return {
          decision: 'ALLOW',
          ruleSet,
          response: answer({ decision: 'ALLOW', ...decision.reverse }),
          transfers: legs,
          subject,
          regions,
          reverses,
          details,
          // Two reversals raced past the row lock's check: the ledger's unique index decides.
          onAlreadyReversed: (refusal) => deny(medicalReason('ALREADY_REVERSED'), refusal.reversedBy?.split(':').slice(1).join(':') ?? null),
        };
      },
    );
  }
}

function notYours(settlementId: string) {
  return Problems.forbidden(`Settlement ${settlementId} was made by another institution; only the institution that settled may reverse it.`);
}
