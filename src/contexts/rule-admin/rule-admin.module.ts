import { Module } from '@nestjs/common';
import { DecisionExplainer } from './application/decision-explainer.js';
import { ExplainDecisionHandler } from './application/explain-decision/explain-decision.handler.js';
import { GetRuleSetHandler } from './application/get-rule-set/get-rule-set.handler.js';
import { ListRuleSetsHandler } from './application/list-rule-sets/list-rule-sets.handler.js';
import { PublishRuleSetHandler } from './application/publish-rule-set/publish-rule-set.handler.js';
import { ReplayDecisionHandler } from './application/replay-decision/replay-decision.handler.js';
import { DecisionsController } from './http/decisions.controller.js';
import { RuleSetsController } from './http/rule-sets.controller.js';

/**
 * Rule administration (ADR 0005): operators list and publish rule set versions (a journaled
 * command), auditors explain and replay journaled decisions with the rule version that made them.
 * The rules library holds the data and its validation; publishing and explaining, which need the
 * engine and the journal, live here.
 */
@Module({
  controllers: [RuleSetsController, DecisionsController],
  providers: [DecisionExplainer, PublishRuleSetHandler, ListRuleSetsHandler, GetRuleSetHandler, ExplainDecisionHandler, ReplayDecisionHandler],
})
export class RuleAdminModule {}
