import { Injectable } from '@nestjs/common';
import type { DecisionDetails } from '@onecard/kernel';
import { MedicalCatalogueRules, MedicalPolicyRules, type DecisionReplayer, type RecordedDecision, type RuleBook } from '@onecard/rules';
import { MEDICAL_COMMANDS } from '../../domain/medical-commands.js';
import { decideReversal, reversalOutcome, type ReversalFacts } from '../reverse-settlement/reversal-decision.js';
import { decideSettlement, decisionOutcome, settlementRefusal, type SettlementFacts, type SettlementInput } from '../settlement-decision.js';

/**
 * Recomputes settlements and reversals from their journal details (ADR 0005, 0009): the policy
 * comes from the pinned book (the journal's rule set is the home region's policy), the catalogue
 * by the version recorded in the facts; accumulators, balance and recognition candidates are the
 * recorded facts. Pure: no database, no clock.
 */
@Injectable()
export class MedicalDecisionReplayer implements DecisionReplayer {
  readonly commandTypes = [MEDICAL_COMMANDS.settle, MEDICAL_COMMANDS.reverseSettlement];

  replay(details: DecisionDetails, rules: RuleBook, recorded: RecordedDecision): Record<string, unknown> {
    if (recorded.commandType === MEDICAL_COMMANDS.reverseSettlement) return reversalOutcome(decideReversal(details.facts as unknown as ReversalFacts));
    const input = details.input as unknown as SettlementInput;
    const facts = details.facts as unknown as SettlementFacts;
    const refusal = settlementRefusal(input, facts);
    if (refusal) return decisionOutcome({ refusal });
    if (!facts.person || !facts.catalogue) throw new Error('the recorded facts name no person or catalogue');
    const policy = rules.resolve(MedicalPolicyRules, facts.person.homeRegion, new Date(input.occurredAt));
    if (facts.policy && (policy.ref.id !== facts.policy.id || policy.ref.version !== facts.policy.version)) {
      throw new Error(`the recorded policy ${facts.policy.id} v${facts.policy.version} is not the journal's rule set`);
    }
    const catalogue = rules.byRef(MedicalCatalogueRules, facts.catalogue);
    return decisionOutcome(decideSettlement(input, facts, { policy: policy.parameters, catalogue: catalogue.parameters }));
  }
}
