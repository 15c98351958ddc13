import { Query } from '@nestjs/cqrs';
import type { DecisionExplanation } from '../decision-explainer.js';

/** What decided a journaled command, with the rule set version it recorded. */
export class ExplainDecisionQuery extends Query<DecisionExplanation> {
  constructor(
    readonly commandId: string,
    readonly commandType?: string,
  ) {
    super();
  }
}
