import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, commandKey, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems, type Reason, type Region } from '@onecard/kernel';
import { LedgerReads, type ReversalFacts as LedgerReversal } from '@onecard/ledger';
import { MEDICAL_COMMANDS } from '../../domain/medical-commands.js';
import { medicalReason } from '../../domain/medical-reasons.js';
import type { Institution } from '../../domain/visit.js';
import { MedicalRepository, type SettlementToReverse } from '../../infrastructure/medical.repository.js';
import { ClinicTerminals } from '../clinic-terminal.js';
import { decideReversal, reversalOutcome, type ReversalFacts } from './reversal-decision.js';
import { ReverseSettlementCommand, type ReversalAnswer } from './reverse-settlement.command.js';

/** What a reversal reads: the settlement's ledger group claimed for reversal (its legs swapped), and the settlement itself, locked. */
interface ReverseFacts {
  group: LedgerReversal | null;
  settlement: SettlementToReverse;
}

/**
 * Undoes a whole settlement (冲正), idempotent by reversalId: the reversing legs of the
 * settlement's ledger group (each leg swapped), its accumulation subtracted from the person's year
 * and its results dropped, in one transaction. Only the institution that settled may reverse; a
 * group is reversed at most once (ALREADY_REVERSED; two reversals of one group take turns on the
 * ledger's claim). Unknown settlement: 404. Reversals are rare: each runs on its own.
 */
@CommandHandler(ReverseSettlementCommand)
export class ReverseSettlementHandler extends PlannedCommandHandler<ReverseSettlementCommand, ReversalAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: MedicalRepository,
    private readonly clinics: ClinicTerminals,
  ) {
    super(executor);
  }

  protected async plan(command: ReverseSettlementCommand): Promise<CommandPlan<ReversalAnswer>> {
    const { settlementId, reversalId, reason, terminal } = command;
    const institution = await this.clinics.institutionOf(terminal);
    return {
      envelope: {
        type: MEDICAL_COMMANDS.reverseSettlement,
        id: reversalId,
        context: 'medical',
        terminalId: terminal.terminalId,
        payload: { settlementId, reason },
      },
      reads: {
        group: LedgerReads.reversal(MEDICAL_COMMANDS.settle, settlementId),
        settlement: this.repository.settlementToReverseRead(settlementId, MEDICAL_COMMANDS.settle),
      },
      decide: (f: ReverseFacts, tx: CommandTx) => this.reverse(tx, command, institution, f),
    };
  }

  /** The settlement the clinic's own, standing: its legs back, its year and results undone. */
  private reverse(tx: CommandTx, command: ReverseSettlementCommand, institution: Institution, f: ReverseFacts): CommandOutcome<ReversalAnswer> {
    const { settlementId, reversalId, reason } = command;
    const found = f.settlement;
    if (found.found === 'NONE' || !f.group) throw Problems.notFound(`No settlement ${settlementId}.`);
    const owner = found.found === 'STORED' ? found.settlement.institutionId : found.institutionId;
    if (owner !== institution.venueId) throw notYours(settlementId);
    const settlement = found.found === 'STORED' ? found.settlement : null;
    const facts: ReversalFacts = !settlement
      ? { status: 'DENIED' }
      : f.group.reversedBy
        ? { status: 'REVERSED', reversedBy: reversalIdOf(f.group.reversedBy) }
        : {
            status: 'SETTLED',
            amounts: {
              totalFen: settlement.totalFen,
              fundFen: settlement.fundFen,
              personalAccountFen: settlement.personalAccountFen,
              cashFen: settlement.cashFen,
            },
          };
    const decision = decideReversal(facts);
    const input = { settlementId, reason };
    const details = { input, facts: { ...facts }, outcome: reversalOutcome(decision), rule: 'medical.reversal' };
    const reverses = commandKey(MEDICAL_COMMANDS.settle, settlementId);
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
    const deny = (refusal: Reason, reversedBy: string | null): CommandOutcome<ReversalAnswer> => ({
      decision: 'DENY',
      reason: refusal,
      ruleSet,
      response: answer({ reason: refusal, reversedBy }),
      subject,
      regions,
      reverses,
      details: { ...details, outcome: { refused: refusal.code } },
    });
    if ('refusal' in decision) return deny(decision.refusal, facts.reversedBy ?? null);
    this.repository.deferReversal(tx, settlement!, { reversalId, reason, at: tx.now });
    return {
      decision: 'ALLOW',
      ruleSet,
      response: answer({ decision: 'ALLOW', ...decision.reverse }),
      transfers: f.group.legs,
      subject,
      regions,
      reverses,
      details,
      // The claim makes reversals of one group take turns; should the ledger still find one, it is a DENY.
      onAlreadyReversed: (refusal) => deny(medicalReason('ALREADY_REVERSED'), refusal.reversedBy ? reversalIdOf(refusal.reversedBy) : null),
    };
  }
}

/** The reversal's id in the command key the ledger names it by. */
function reversalIdOf(key: string): string {
  const prefix = commandKey(MEDICAL_COMMANDS.reverseSettlement, '');
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

function notYours(settlementId: string) {
  return Problems.forbidden(`Settlement ${settlementId} was made by another institution; only the institution that settled may reverse it.`);
}
