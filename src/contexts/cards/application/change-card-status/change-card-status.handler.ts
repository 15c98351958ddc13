import { HolderAppBindings } from '@contexts/registry';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandEnvelope, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { formatBusinessInstant, Problems } from '@onecard/kernel';
import { decideStatusChange } from '../../domain/card-status.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { CARDS_COMMANDS } from '../../domain/cards-commands.js';
import type { CardRow } from '../../infrastructure/cards.repository.js';
import { cardStatusConflict } from '../card-status-conflict.js';
import { activateReplacement } from '../replacement-activation.js';
import { ChangeCardStatusCommand, type CardStatusChanged } from './change-card-status.command.js';

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
export class ChangeCardStatusHandler extends PlannedCommandHandler<ChangeCardStatusCommand, CardStatusChanged> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CardsRepository,
    private readonly holderApps: HolderAppBindings,
  ) {
    super(executor);
  }

  protected async plan(command: ChangeCardStatusCommand): Promise<CommandPlan<CardStatusChanged>> {
    const { cardNo, operation } = command;
    const card = await this.repository.findCard(cardNo);
    if (!card) throw Problems.notFound(`No card ${cardNo} is registered.`);
    const envelopeFor = (version: number): CommandEnvelope => ({
      type: CARDS_COMMANDS.changeStatus,
      id: `${cardNo}.s${version}`,
      context: 'cards',
      actor: command.actor,
      payload: { cardNo, operation },
    });

    if (card.statusVersion > 0) {
      const last = envelopeFor(card.statusVersion);
      const stored = await this.executor.find(last.type, last.id);
      if (stored?.payloadHash.equals(CommandExecutor.payloadHash(last))) {
        return {
          envelope: last,
          decide: () => {
            throw new Error('a stored status command replays without running');
          },
        };
      }
    }

    const pendingReplacement = card.replacedBy?.status === 'SEALED';
    const decision = decideStatusChange({ status: card.status, pendingReplacement }, operation);
    if (!decision.allowed) {
      throw cardStatusConflict(decision.detail, { cardNo, currentStatus: card.status, operation, allowedOperations: decision.allowedOperations });
    }

    return { envelope: envelopeFor(card.statusVersion + 1), decide: (_, tx) => this.change(tx, command, card, decision) };
  }

  /** The transition, on the card's row locked; a replacement's activation moves the old card's balances. */
  private async change(
    tx: CommandTx,
    command: ChangeCardStatusCommand,
    card: CardRow,
    decision: Extract<ReturnType<typeof decideStatusChange>, { allowed: true }>,
  ): Promise<CommandOutcome<CardStatusChanged>> {
    const { cardNo, operation } = command;
    const pendingReplacement = card.replacedBy?.status === 'SEALED';
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
  }
}
