import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandEnvelope, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { businessDateOf, CLOCK, maskNationalId, newId, Problems, type Clock } from '@onecard/kernel';
import { cardAccountSpecs } from '../../domain/card-accounts.js';
import { transitAppProblem } from '../../domain/card-product.rule.js';
import { isLive } from '../../domain/card-status.js';
import { normalizeNationalId } from '../../domain/national-id.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { PiiHasher } from '../../infrastructure/pii-hasher.js';
import { toAdminCardView, type AdminCardView } from '../admin-card-view.js';
import { CARDS_COMMANDS } from '../../domain/cards-commands.js';
import { IssueCardCommand } from './issue-card.command.js';

/**
 * Idempotent by its natural key, the person (ADR 0006): the command id is the holder's keyed hash
 * and the number of the holder's cancelled cards, so a retry replays the original 201, while a new
 * card for someone whose card was cancelled is a new command. A person holds one live card: any
 * other issuance while one is live is a 409 naming it (replacements have their own endpoint).
 * The journaled payload carries hashes, never the name or national ID.
 */
@CommandHandler(IssueCardCommand)
export class IssueCardHandler extends PlannedCommandHandler<IssueCardCommand, AdminCardView> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CardsRepository,
    private readonly pii: PiiHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(executor);
  }

  protected async plan(command: IssueCardCommand): Promise<CommandPlan<AdminCardView>> {
    const { holder, issuingRegion, generation, transitApp, sealed } = command;
    const errors = [];
    if (holder.birthDate > businessDateOf(this.clock.now())) errors.push({ pointer: '/holder/birthDate', detail: 'birthDate is in the future' });
    const transitProblem = transitApp ? transitAppProblem(issuingRegion, generation) : null;
    if (transitProblem) errors.push({ pointer: '/transitApp', detail: transitProblem });
    if (errors.length > 0) throw Problems.validation(errors);

    const nationalId = normalizeNationalId(holder.nationalId);
    const nationalIdHash = this.pii.hash(`national-id|${nationalId}`);
    const existingHolder = await this.repository.findHolderIdByHash(nationalIdHash);
    const cancelled = existingHolder ? await this.repository.countCancelledCards(existingHolder) : 0;
    const envelope: CommandEnvelope = {
      type: CARDS_COMMANDS.issue,
      id: `holder-${nationalIdHash.slice(0, 40)}.${cancelled}`,
      context: 'cards',
      actor: command.actor,
      payload: {
        holder: {
          nameHash: this.pii.hash(`name|${holder.name}`),
          nationalIdHash,
          birthDate: holder.birthDate,
          homeRegion: holder.homeRegion,
          scheme: holder.scheme,
          retiree: holder.retiree,
        },
        issuingRegion,
        generation,
        transitApp,
        sealed,
      },
    };
    const stored = await this.executor.find(envelope.type, envelope.id);
    if (stored && !stored.payloadHash.equals(CommandExecutor.payloadHash(envelope)) && existingHolder) {
      // Same person, other details: not a retry. Name the live card instead of a bare id conflict.
      await this.refuseIfLiveCard(existingHolder);
    }

    return { envelope, decide: (_, tx) => this.issue(tx, command, nationalId, nationalIdHash, existingHolder, cancelled) };
  }

  /** The holder upserted (its row lock queues issuances for one person), the card and its accounts. */
  private async issue(
    tx: CommandTx,
    command: IssueCardCommand,
    nationalId: string,
    nationalIdHash: string,
    existingHolder: string | null,
    cancelled: number,
  ): Promise<CommandOutcome<AdminCardView>> {
    const { holder, issuingRegion, generation, transitApp, sealed } = command;
    const holderId = await this.repository.upsertHolder(
      {
        holderId: newId(),
        name: holder.name,
        nationalIdHash,
        nationalIdMasked: maskNationalId(nationalId),
        birthDate: holder.birthDate,
        homeRegion: holder.homeRegion,
        scheme: holder.scheme,
        retiree: holder.retiree,
      },
      tx.now,
      tx,
    );
    // The upsert holds the holder's row lock until commit: issuances for one person queue here.
    await this.refuseIfLiveCard(holderId, tx);
    const cardNo = await this.repository.insertCard(
      holderId,
      { issuingRegion, generation, transitApp, status: sealed ? 'SEALED' : 'ACTIVE', replaces: null },
      tx.now,
      tx,
    );
    tx.ledger.openAccounts(cardAccountSpecs({ cardNo, issuingRegion, transitApp, scheme: holder.scheme, homeRegion: holder.homeRegion }));
    const card = (await this.repository.findCard(cardNo, tx))!;
    return {
      decision: 'ALLOW',
      httpStatus: 201,
      response: toAdminCardView(card, new Map()),
      subject: cardNo,
      regions: [issuingRegion, holder.homeRegion],
      details: {
        input: { issuingRegion, generation, transitApp, sealed, homeRegion: holder.homeRegion, scheme: holder.scheme, retiree: holder.retiree },
        facts: { holderId, holderExisted: existingHolder !== null, cancelledCards: cancelled },
        outcome: { cardNo, status: card.status, accounts: card.accounts },
        rule: 'cards.issue',
      },
    };
  }

  private async refuseIfLiveCard(holderId: string, tx?: Parameters<CardsRepository['findCardsOfHolder']>[1]): Promise<void> {
    const live = (await this.repository.findCardsOfHolder(holderId, tx)).filter((c) => isLive(c.status));
    if (live.length > 0) {
      const c = live[live.length - 1]!;
      throw Problems.conflict(
        `This person already holds card ${c.cardNo} (${c.status}); a lost card is replaced with POST /v1/admin/cards/${c.cardNo}/replacement.`,
        {
          cardNo: c.cardNo,
          currentStatus: c.status,
        },
      );
    }
  }
}
