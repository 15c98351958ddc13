import { Injectable, type OnModuleInit } from '@nestjs/common';
import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import type { DecisionDetails, RuleRef } from '@onecard/kernel';
import { LibraryCirculationRules, ReplayRegistry, type DecisionReplayer, type RecordedDecision, type RuleBook } from '@onecard/rules';
import { decideFinePayment, type FinePaymentFacts } from '../../domain/fine-payment.rule.js';
import { LIBRARIES_COMMANDS } from '../../domain/libraries-commands.js';
import { decideLoan, type LoanFacts } from '../../domain/loan.rule.js';
import { decideRenewal, type RenewalFacts } from '../../domain/renewal.rule.js';
import { decideReturn, type ReturnFacts } from '../../domain/return.rule.js';
import { finePaymentOutcome, loanOutcome, refusedOutcome, renewalOutcome, returnOutcome } from '../circulation-outcomes.js';

type WithCard = { cardStatus?: CardStatus | null };

/**
 * Recomputes a circulation decision from its journaled facts with the rule set versions it
 * recorded (`facts.rules`, fetched by reference), through the same domain functions and outcome
 * mapping as the handlers. Pure: no database, no clock.
 */
@Injectable()
export class LibrariesDecisionReplayer implements DecisionReplayer, OnModuleInit {
  readonly commandTypes = [LIBRARIES_COMMANDS.loan, LIBRARIES_COMMANDS.return, LIBRARIES_COMMANDS.renewal, LIBRARIES_COMMANDS.finePayment];

  constructor(private readonly registry: ReplayRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown> {
    const facts = details.facts;
    const params = (ref: RuleRef | null | undefined) => (ref ? rules.byRef(LibraryCirculationRules, ref).parameters : null);
    const cardRefusal = (f: WithCard) => ('cardStatus' in f ? cardStatusRefusal(f.cardStatus ? { status: f.cardStatus } : null) : null);

    switch (recorded.commandType) {
      case LIBRARIES_COMMANDS.loan: {
        const f = facts as unknown as LoanFacts & WithCard & { rules?: { item: RuleRef | null; desk: RuleRef | null } };
        const refusal = cardRefusal(f);
        if (refusal) return refusedOutcome(refusal.code);
        return loanOutcome(decideLoan(f, { item: params(f.rules?.item), desk: params(f.rules?.desk) }));
      }
      case LIBRARIES_COMMANDS.return: {
        const f = facts as unknown as ReturnFacts & { loan: ReturnFacts['loan'] | null; itemExists?: boolean; rules?: RuleRef };
        if (!f.loan) return refusedOutcome(f.itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN');
        return returnOutcome(decideReturn(f, params(f.rules)!));
      }
      case LIBRARIES_COMMANDS.renewal: {
        const f = facts as unknown as RenewalFacts & WithCard & { loan: RenewalFacts['loan'] | null; itemExists?: boolean; rules?: RuleRef };
        const refusal = cardRefusal(f);
        if (refusal) return refusedOutcome(refusal.code);
        if (!f.loan) return refusedOutcome(f.itemExists ? 'ITEM_NOT_ON_LOAN' : 'ITEM_UNKNOWN');
        return renewalOutcome(decideRenewal(f, params(f.rules)!));
      }
      case LIBRARIES_COMMANDS.finePayment: {
        const f = facts as unknown as FinePaymentFacts & WithCard;
        const refusal = cardRefusal(f);
        if (refusal) return refusedOutcome(refusal.code);
        return finePaymentOutcome(decideFinePayment(f));
      }
      default:
        throw new Error(`not a circulation command: ${recorded.commandType}`);
    }
  }
}
