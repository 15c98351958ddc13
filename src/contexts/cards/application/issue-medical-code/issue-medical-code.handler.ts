import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, newId, type Reason } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/ledger';
import { cardStatusRefusal } from '../../domain/card-status-refusal.rule.js';
import { MEDICAL_CODE_TTL_MS } from '../../domain/medical-code.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { MedicalCodesRepository } from '../../infrastructure/medical-codes.repository.js';
import { IssueMedicalCodeCommand, type MedicalCodeAnswer } from './issue-medical-code.command.js';

/** What the journal keeps: the code's digest instead of the code. */
type JournaledAnswer = { decision: 'ALLOW' | 'DENY'; codeDigest?: string; expiresAt?: string; reason?: Reason };

/**
 * Issues a 医保码 for a card that may be used (an unusable card is a DENY with the shared card
 * reason). The request carries no client id: every call is a new code, journaled under a server
 * id. The journal keeps the code's digest, never the code: only the holder's app sees it.
 */
@CommandHandler(IssueMedicalCodeCommand)
export class IssueMedicalCodeHandler implements ICommandHandler<IssueMedicalCodeCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly cards: CardsRepository,
    private readonly codes: MedicalCodesRepository,
  ) {}

  async execute(command: IssueMedicalCodeCommand): Promise<MedicalCodeAnswer> {
    const code = this.codes.newCode();
    const result = await this.executor.execute<JournaledAnswer>(
      { type: 'cards.issue-medical-code', id: `mc-${newId()}`, context: 'cards', terminalId: command.terminalId, payload: { cardNo: command.cardNo } },
      async (tx) => {
        const card = await this.cards.findCard(command.cardNo, tx);
        const refusal = cardStatusRefusal(card);
        const facts = { status: card?.status ?? null };
        if (refusal) {
          return {
            decision: 'DENY',
            reason: refusal,
            response: { decision: 'DENY', reason: refusal } as JournaledAnswer,
            subject: command.cardNo,
            details: { input: { cardNo: command.cardNo }, facts, outcome: { issued: false }, rule: 'cards.card-status' },
          };
        }
        const expiresAt = new Date(tx.now.getTime() + MEDICAL_CODE_TTL_MS);
        await this.codes.insert(code, command.cardNo, tx.now, expiresAt, tx);
        const journaled: JournaledAnswer = { decision: 'ALLOW', codeDigest: this.codes.digest(code), expiresAt: formatBusinessInstant(expiresAt) };
        return {
          decision: 'ALLOW',
          response: journaled,
          subject: command.cardNo,
          regions: [card!.holder.homeRegion],
          details: {
            input: { cardNo: command.cardNo },
            facts,
            outcome: { codeDigest: journaled.codeDigest, expiresAt: journaled.expiresAt },
            rule: 'cards.medical-code',
          },
        };
      },
    );
    const journaled = result.response;
    if (journaled.decision === 'DENY') return { decision: 'DENY', reason: journaled.reason! };
    return { decision: 'ALLOW', code, expiresAt: journaled.expiresAt! };
  }
}
