import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DecisionExplainer, type DecisionExplanation } from '../decision-explainer.js';
import { ExplainDecisionQuery } from './explain-decision.query.js';

@QueryHandler(ExplainDecisionQuery)
export class ExplainDecisionHandler implements IQueryHandler<ExplainDecisionQuery> {
  constructor(private readonly explainer: DecisionExplainer) {}

  execute(query: ExplainDecisionQuery): Promise<DecisionExplanation> {
    return this.explainer.explain(query.commandId, query.commandType);
  }
}
