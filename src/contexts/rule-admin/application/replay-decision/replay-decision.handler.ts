import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DecisionExplainer, type ReplayReport } from '../decision-explainer.js';
import { ReplayDecisionQuery } from './replay-decision.query.js';

@QueryHandler(ReplayDecisionQuery)
export class ReplayDecisionHandler implements IQueryHandler<ReplayDecisionQuery> {
  constructor(private readonly explainer: DecisionExplainer) {}

  execute(query: ReplayDecisionQuery): Promise<ReplayReport> {
    return this.explainer.replay(query.commandId, query.commandType);
  }
}
