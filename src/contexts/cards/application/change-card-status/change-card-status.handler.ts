import { HolderAppBindings } from '@contexts/registry';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { formatBusinessInstant, Problems } from '@onecard/kernel';
import { CommandExecutor, type CommandEnvelope, type CommandResult } from '@onecard/ledger';
import { decideStatusChange } from '../../domain/card-status.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { cardStatusConflict, executeOnce } from '../execute-once.js';
import { activateReplacement } from '../replacement-activation.js';
import { ChangeCardStatusCommand, type CardStatusChanged } from './change-card-status.command.js';

const TYPE = 'cards.change-status';

/**
 * Applies the transition table (domain/card-status.ts). A refused operation is a 409 problem with
 * the current status and the operations allowed from it, and writes nothing: an operator's screen
 * wants to show why the button did not apply (ADR 0006).
 *
 * Idempotency by the card's own history: a change is journaled as `<cardNo>.s<new version>`. A
 * request identical to the card's last status command is a retry and replays its answer; anything
 * else is judged against the current status.
 */
@CommandHandler(ChangeCardStatusCommand)
export class ChangeCardStatusHandler implements ICommandHandler<ChangeCardStatusCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: CardsRepository,
    private readonly holderApps: HolderAppBindings,
  ) {}

  async execute(command: ChangeCardStatusCommand): Promise<CommandResult<CardStatusChanged>> {
    const { cardNo, operation } = command;
    const card = await this.repository.findCard(cardNo);
    if (!card) throw Problems.notFound(`No card ${cardNo} is registered.`);
    const envelopeFor = (version: number): CommandEnvelope => ({
      type: TYPE,
      id: `${cardNo}.s${version}`,
      context: 'cards',
      actor: command.actor,
      payload: { cardNo, operation },
    });

    if (card.statusVersion > 0) {
      const last = envelopeFor(card.statusVersion);
      const stored = await this.executor.find(TYPE, last.id);
      if (stored && stored.payload_hash === CommandExecutor.payloadHash(last)) {
        return this.executor.execute(last, async () => {
          throw new Error('a stored status command replays without running');
        });
      }
    }

    const pendingReplacement = card.replacedBy?.status === 'SEALED';
    const decision = decideStatusChange({ status: card.status, pendingReplacement }, operation);
    if (!decision.allowed) {
      throw cardStatusConflict(decision.detail, { cardNo, currentStatus: card.status, operation, allowedOperations: decision.allowedOperations });
    }

    return executeOnce(this.executor, envelopeFor(card.statusVersion + 1), async (tx) => {
      const locked = (await this.repository.findCard(cardNo, tx, { lock: true }))!;
      if (locked.statusVersion !== card.statusVersion) {
        throw cardStatusConflict(`Card ${cardNo} changed meanwhile (now ${locked.status}); read it again.`, {
          cardNo,
          currentStatus: locked.status,
          operation,
        });
      }
      await this.repository.setStatus(cardNo, decision.to, tx.now, tx);
      const replacement = operation === 'ACTIVATE' ? await activateReplacement(tx, this.repository, locked, this.holderApps) : null;
      const response: CardStatusChanged = {
        cardNo,
        operation,
        previousStatus: decision.from,
        status: decision.to,
        statusChangedAt: formatBusinessInstant(tx.now),
        ...(replacement ? { replaced: { cardNo: replacement.replacedCardNo, movedFen: replacement.movedFen } } : {}),
      };
      return {
        decision: 'ALLOW',
        response,
        subject: cardNo,
        regions: [card.issuingRegion],
        transfers: replacement?.transfers ?? [],
        details: {
          input: { operation },
          facts: { status: decision.from, statusVersion: locked.statusVersion, pendingReplacement, replaces: locked.replaces },
          outcome: { status: decision.to, ...(replacement ? { replaced: replacement.replacedCardNo, movedFen: replacement.movedFen } : {}) },
          rule: 'cards.status-transition',
        },
      };
    });
  }
}
