import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { formatBusinessInstant, newId, type Reason } from '@onecard/kernel';
import { CARDS_COMMANDS } from '../../domain/cards-commands.js';
import { MEDICAL_CODE_TTL_MS } from '../../domain/medical-code.js';
import { MedicalCodesRepository } from '../../infrastructure/medical-codes.repository.js';
import { CardsFacade, refuseUnusableCard, type CardView } from '../../public/cards-facade.js';
import { IssueMedicalCodeCommand, type MedicalCodeAnswer } from './issue-medical-code.command.js';

/** What the journal keeps: the code's digest instead of the code. */
type JournaledAnswer = { decision: 'ALLOW' | 'DENY'; codeDigest?: string; expiresAt?: string; reason?: Reason };

/**
 * Issues a 医保码 for a card that may be used (an unusable card is a DENY with the shared card
 * reason). The request carries no client id: every call is a new code, journaled under a server
 * id. The journal keeps the code's digest, never the code: only the holder's app sees it.
 */
@CommandHandler(IssueMedicalCodeCommand)
export class IssueMedicalCodeHandler extends PlannedCommandHandler<IssueMedicalCodeCommand, JournaledAnswer, MedicalCodeAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly codes: MedicalCodesRepository,
  ) {
    super(executor);
  }

  protected plan(command: IssueMedicalCodeCommand, code = this.codes.newCode()): CommandPlan<JournaledAnswer> {
    const id = `mc-${newId()}`;
    return {
      envelope: { type: CARDS_COMMANDS.issueMedicalCode, id, context: 'cards', terminalId: command.terminalId, payload: { cardNo: command.cardNo } },
      reads: { card: this.cards.cardRead(command.cardNo) },
      decide: (f: { card: CardView | null }, tx) => this.issue(tx, command, code, f.card),
    };
  }

  /** A code for a usable card, valid for 60 s. */
  private async issue(tx: CommandTx, command: IssueMedicalCodeCommand, code: string, card: CardView | null): Promise<CommandOutcome<JournaledAnswer>> {
    const input = { cardNo: command.cardNo };
    const facts = { status: card?.status ?? null };
    const refused = refuseUnusableCard(card, {
      subject: command.cardNo,
      answer: (reason): JournaledAnswer => ({ decision: 'DENY', reason }),
      details: () => ({ input, facts, outcome: { issued: false }, rule: 'cards.card-status' }),
    });
    if (refused) return refused;
    const expiresAt = new Date(tx.now.getTime() + MEDICAL_CODE_TTL_MS);
    await this.codes.insert(code, command.cardNo, tx.now, expiresAt, tx);
    const journaled: JournaledAnswer = { decision: 'ALLOW', codeDigest: this.codes.digest(code), expiresAt: formatBusinessInstant(expiresAt) };
    return {
      decision: 'ALLOW',
      response: journaled,
      subject: command.cardNo,
      regions: [card!.holder.homeRegion],
      details: { input, facts, outcome: { codeDigest: journaled.codeDigest, expiresAt: journaled.expiresAt }, rule: 'cards.medical-code' },
    };
  }

  /** The code itself goes only to the holder's app: it is made here and never journaled. */
  override async execute(command: IssueMedicalCodeCommand): Promise<MedicalCodeAnswer> {
    const code = this.codes.newCode();
    const journaled = (await this.executor.run(this.plan(command, code))).response;
    if (journaled.decision === 'DENY') return { decision: 'DENY', reason: journaled.reason! };
    return { decision: 'ALLOW', code, expiresAt: journaled.expiresAt! };
  }
}
