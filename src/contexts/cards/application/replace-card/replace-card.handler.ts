import { HolderAppBindings } from '@contexts/registry';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandEnvelope, type CommandOutcome, type CommandPlan, type CommandTx } from '@onecard/engine';
import { Problems, type FieldError } from '@onecard/kernel';
import { cardAccountSpecs } from '../../domain/card-accounts.js';
import { transitAppProblem } from '../../domain/card-product.rule.js';
import { replacementProblem } from '../../domain/card-status.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { toAdminCardView } from '../admin-card-view.js';
import { CARDS_COMMANDS } from '../../domain/cards-commands.js';
import type { CardRow } from '../../infrastructure/cards.repository.js';
import { cardStatusConflict } from '../card-status-conflict.js';
import { activateReplacement } from '../replacement-activation.js';
import { ReplaceCardCommand, type CardReplaced } from './replace-card.command.js';

/**
 * Issues the replacement for a formally lost card: same holder and issuing region, generation and
 * transit application inherited unless given (a third-generation upgrade is allowed; the transit
 * wallet cannot be dropped while the old card has one). Issued ACTIVE by default, which replaces
 * the old card at once and moves its balances; issued SEALED, that happens when it is activated.
 *
 * Journaled as `<oldCardNo>.r<n>` (n-th replacement of that card). A request identical to the
 * latest replacement is a retry and replays its answer.
 */
@CommandHandler(ReplaceCardCommand)
export class ReplaceCardHandler extends PlannedCommandHandler<ReplaceCardCommand, CardReplaced> {
  constructor(
    executor: CommandExecutor,
    private readonly repository: CardsRepository,
    private readonly holderApps: HolderAppBindings,
  ) {
    super(executor);
  }

  protected async plan(command: ReplaceCardCommand): Promise<CommandPlan<CardReplaced>> {
    const old = await this.repository.findCard(command.cardNo);
    if (!old) throw Problems.notFound(`No card ${command.cardNo} is registered.`);
    const generation = command.generation ?? old.generation;
    const transitApp = command.transitApp ?? old.transitApp;
    const payload = { cardNo: old.cardNo, generation, transitApp, sealed: command.sealed };
    const replacements = await this.repository.countReplacements(old.cardNo);
    const envelopeFor = (n: number): CommandEnvelope => ({
      type: CARDS_COMMANDS.replace,
      id: `${old.cardNo}.r${n}`,
      context: 'cards',
      actor: command.actor,
      payload,
    });
    if (replacements > 0) {
      const last = envelopeFor(replacements);
      const stored = await this.executor.find(last.type, last.id);
      if (stored?.payloadHash.equals(CommandExecutor.payloadHash(last))) {
        return {
          envelope: last,
          decide: () => {
            throw new Error('a stored replacement replays without running');
          },
        };
      }
    }

    const errors: FieldError[] = [];
    if (generation < old.generation)
      errors.push({ pointer: '/generation', detail: `a replacement is not an older generation than the card it replaces (${old.generation})` });
    if (old.transitApp && !transitApp)
      errors.push({ pointer: '/transitApp', detail: 'the old card carries a transit wallet; its replacement must carry the transit application too' });
    const transitProblem = transitApp ? transitAppProblem(old.issuingRegion, generation) : null;
    if (transitProblem) errors.push({ pointer: '/transitApp', detail: transitProblem });
    if (errors.length > 0) throw Problems.validation(errors);

    const problem = replacementProblem({ status: old.status, pendingReplacement: old.replacedBy?.status === 'SEALED' });
    if (problem) throw cardStatusConflict(problem, { cardNo: old.cardNo, currentStatus: old.status, operation: 'REPLACE' });

    return { envelope: envelopeFor(replacements + 1), decide: (_, tx) => this.replace(tx, command, old, replacements, generation, transitApp) };
  }

  /** The new card on the old one's row locked, its accounts, and (issued ACTIVE) the old card's balances moved. */
  private async replace(
    tx: CommandTx,
    command: ReplaceCardCommand,
    old: CardRow,
    replacements: number,
    generation: CardRow['generation'],
    transitApp: boolean,
  ): Promise<CommandOutcome<CardReplaced>> {
    const locked = (await this.repository.findCard(old.cardNo, tx, { lock: true }))!;
    const lockedProblem = replacementProblem({
      status: locked.status,
      pendingReplacement: locked.replacedBy !== null && locked.replacedBy.status !== 'CANCELLED',
    });
    if (lockedProblem || locked.statusVersion !== old.statusVersion) {
      throw cardStatusConflict(lockedProblem ?? `Card ${old.cardNo} changed meanwhile; read it again.`, {
        cardNo: old.cardNo,
        currentStatus: locked.status,
        operation: 'REPLACE',
      });
    }
    const newCardNo = await this.repository.insertCard(
      locked.holder.holderId,
      { issuingRegion: locked.issuingRegion, generation, transitApp, status: command.sealed ? 'SEALED' : 'ACTIVE', replaces: locked.cardNo },
      tx.now,
      tx,
    );
    tx.ledger.openAccounts(
      cardAccountSpecs({
        cardNo: newCardNo,
        issuingRegion: locked.issuingRegion,
        transitApp,
        scheme: locked.holder.scheme,
        homeRegion: locked.holder.homeRegion,
      }),
    );
    const created = (await this.repository.findCard(newCardNo, tx))!;
    const activation = command.sealed ? null : await activateReplacement(tx, this.repository, created, this.holderApps);
    const movedFen = activation?.movedFen ?? { bank: 0, transit: 0, personal: 0 };
    const balances = new Map<string, number>();
    for (const t of activation?.transfers ?? []) balances.set(t.to, t.amount);
    const response: CardReplaced = { replacedCardNo: locked.cardNo, card: toAdminCardView(created, balances), movedFen };
    return {
      decision: 'ALLOW',
      httpStatus: 201,
      response,
      subject: locked.cardNo,
      regions: [locked.issuingRegion],
      transfers: activation?.transfers ?? [],
      details: {
        input: { generation, transitApp, sealed: command.sealed },
        facts: { oldStatus: locked.status, oldGeneration: locked.generation, replacementNo: replacements + 1 },
        outcome: { newCardNo, newStatus: created.status, oldStatus: command.sealed ? locked.status : 'REPLACED', movedFen },
        rule: 'cards.replacement',
      },
    };
  }
}
