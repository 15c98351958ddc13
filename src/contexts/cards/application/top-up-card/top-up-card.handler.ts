import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Reason } from '@onecard/kernel';
import { CommandExecutor, type CommandOutcome, type CommandResult } from '@onecard/ledger';
import { CardTopUpLimits, RuleBook } from '@onecard/rules';
import { cardStatusRefusal } from '../../domain/card-status-refusal.rule.js';
import { topUpRefusal, TopUpReasons, topUpSource, topUpTarget } from '../../domain/top-up.rule.js';
import { CardsRepository } from '../../infrastructure/cards.repository.js';
import { TopUpCardCommand, type TopUpAnswer } from './top-up-card.command.js';

/**
 * Moves money from outside into one of a card's accounts, idempotent by topUpId. A well-formed
 * top-up the rules refuse (unusable card, no such account on the card, below the minimum, above
 * the maximum, over the balance cap) is a journaled DENY with its reason code. Limits come from
 * the rule data `cards/top-up-limits` of the card's issuing region in force at the command's time;
 * the balance is read under lock, so the cap holds against concurrent top-ups.
 */
@CommandHandler(TopUpCardCommand)
export class TopUpCardHandler implements ICommandHandler<TopUpCardCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repository: CardsRepository,
    private readonly rules: RuleBook,
  ) {}

  execute(command: TopUpCardCommand): Promise<CommandResult<TopUpAnswer>> {
    const { cardNo, topUpId, account, amountFen } = command;
    const input = { cardNo, account, amountFen };
    return this.executor.execute<TopUpAnswer>(
      { type: 'cards.top-up', id: topUpId, context: 'cards', actor: command.actor, payload: input },
      async (tx): Promise<CommandOutcome<TopUpAnswer>> => {
        const answer = (decision: 'ALLOW' | 'DENY', balanceFen: number | null, ruleSet: TopUpAnswer['ruleSet'], reason?: Reason): TopUpAnswer => ({
          decision,
          ...(reason ? { reason } : {}),
          topUpId,
          cardNo,
          account,
          amountFen,
          balanceFen,
          ruleSet,
        });
        const deny = (
          reason: Reason,
          balanceFen: number | null,
          facts: Record<string, unknown>,
          ruleSet: TopUpAnswer['ruleSet'] = null,
          rule = 'cards.card-status',
        ): CommandOutcome<TopUpAnswer> => ({
          decision: 'DENY',
          reason,
          ruleSet,
          response: answer('DENY', balanceFen, ruleSet, reason),
          subject: cardNo,
          details: { input, facts, outcome: { refused: reason.code }, rule },
        });

        const card = await this.repository.findCard(cardNo, tx);
        const refusal = cardStatusRefusal(card);
        if (!card || refusal) return deny(refusal!, null, { status: card?.status ?? null });
        const target = topUpTarget(card.accounts, account);
        if ('refusal' in target) return deny(target.refusal, null, { status: card.status, accounts: card.accounts }, null, 'cards.card-accounts');

        const balance = (await tx.ledger.balances([target.code], { lock: true })).get(target.code) ?? 0;
        const rules = this.rules.find(CardTopUpLimits, card.issuingRegion, tx.now);
        if (!rules) {
          return deny(
            { code: 'TOP_UP_RULES_NOT_IN_FORCE', message: TopUpReasons.TOP_UP_RULES_NOT_IN_FORCE },
            balance,
            { issuingRegion: card.issuingRegion },
            null,
            'cards.top-up-limits',
          );
        }
        const limit = rules.parameters.accounts[account];
        const facts = { status: card.status, issuingRegion: card.issuingRegion, balanceFen: balance, limit };
        const limitRefusal = topUpRefusal(amountFen, balance, limit);
        if (limitRefusal) return deny(limitRefusal, balance, facts, rules.ref, 'cards.top-up-limits');

        const source = topUpSource(account, { issuingRegion: card.issuingRegion, homeRegion: card.holder.homeRegion });
        await tx.ledger.openAccounts([source]);
        return {
          decision: 'ALLOW',
          ruleSet: rules.ref,
          response: answer('ALLOW', balance + amountFen, rules.ref),
          subject: cardNo,
          transfers: [{ from: source.code, to: target.code, amount: amountFen }],
          details: { input, facts, outcome: { balanceFen: balance + amountFen, from: source.code, to: target.code }, rule: 'cards.top-up-limits' },
        };
      },
    );
  }
}
