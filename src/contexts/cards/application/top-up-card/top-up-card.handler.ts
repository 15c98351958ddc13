import { CommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, PlannedCommandHandler, type CommandOutcome, type CommandPlan } from '@onecard/engine';
import { type Reason } from '@onecard/kernel';
import { LedgerReads } from '@onecard/ledger';
import { CardTopUpLimits, RuleBook } from '@onecard/rules';
import { CARDS_COMMANDS } from '../../domain/cards-commands.js';
import { cardAccountCodes } from '../../domain/card-accounts.js';
import { topUpRefusal, TopUpReasons, topUpSource, topUpTarget } from '../../domain/top-up.rule.js';
import { CardsFacade, refuseUnusableCard, type CardView } from '../../public/cards-facade.js';
import { TopUpCardCommand, type TopUpAnswer } from './top-up-card.command.js';

interface TopUpFacts {
  card: CardView | null;
  balances: Map<string, number>;
}

/**
 * Moves money from outside into one of a card's accounts, idempotent by topUpId. A well-formed
 * top-up the rules refuse (unusable card, no such account on the card, below the minimum, above
 * the maximum, over the balance cap) is a journaled DENY with its reason code. Limits come from
 * the rule data `cards/top-up-limits` of the card's issuing region in force at the command's time;
 * the balance is read under lock, so the cap holds against concurrent top-ups. Top-ups of
 * different cards are committed together.
 */
@CommandHandler(TopUpCardCommand)
export class TopUpCardHandler extends PlannedCommandHandler<TopUpCardCommand, TopUpAnswer> {
  constructor(
    executor: CommandExecutor,
    private readonly cards: CardsFacade,
    private readonly rules: RuleBook,
  ) {
    super(executor);
  }

  protected plan(command: TopUpCardCommand): CommandPlan<TopUpAnswer> {
    const { cardNo, topUpId, account, amountFen } = command;
    // The account the top-up would go to, if the card has it: its code follows from the card number.
    const codes = cardAccountCodes({ cardNo, transitApp: true, scheme: 'EMPLOYEE' });
    const target = account === 'BANK' ? codes.bank : account === 'TRANSIT' ? codes.transit! : codes.personal!;
    return {
      envelope: { type: CARDS_COMMANDS.topUp, id: topUpId, context: 'cards', actor: command.actor, payload: { cardNo, account, amountFen } },
      reads: { card: this.cards.cardRead(cardNo), balances: LedgerReads.lockedBalances([target]) },
      batchKeys: [`card:${cardNo}`],
      decide: (f: TopUpFacts, tx) => this.topUp(command, f, tx.now),
    };
  }

  /** The card usable, the account on the card, the amount within the limits of the card's issuing region. */
  private topUp(command: TopUpCardCommand, f: TopUpFacts, now: Date): CommandOutcome<TopUpAnswer> {
    const { cardNo, topUpId, account, amountFen } = command;
    const input = { cardNo, account, amountFen };
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
    ) =>
      ({
        decision: 'DENY',
        reason,
        ruleSet,
        response: answer('DENY', balanceFen, ruleSet, reason),
        subject: cardNo,
        details: { input, facts, outcome: { refused: reason.code }, rule },
      }) satisfies CommandOutcome<TopUpAnswer>;

    const card = f.card;
    const refused = refuseUnusableCard(card, {
      subject: cardNo,
      answer: (reason) => answer('DENY', null, null, reason),
      details: (reason) => ({ input, facts: { status: card?.status ?? null }, outcome: { refused: reason.code }, rule: 'cards.card-status' }),
    });
    if (refused || !card) return refused!;
    const target = topUpTarget(card.accounts, account);
    if ('refusal' in target) return deny(target.refusal, null, { status: card.status, accounts: card.accounts }, null, 'cards.card-accounts');

    const balance = f.balances.get(target.code) ?? 0;
    const rules = this.rules.find(CardTopUpLimits, card.issuingRegion, now);
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

    // The source accounts (cash-in per issuing region, contributions per home region) are opened by migration.
    const source = topUpSource(account, { issuingRegion: card.issuingRegion, homeRegion: card.holder.homeRegion });
    return {
      decision: 'ALLOW',
      ruleSet: rules.ref,
      response: answer('ALLOW', balance + amountFen, rules.ref),
      subject: cardNo,
      transfers: [{ from: source.code, to: target.code, amount: amountFen }],
      details: { input, facts, outcome: { balanceFen: balance + amountFen, from: source.code, to: target.code }, rule: 'cards.top-up-limits' },
    };
  }
}
