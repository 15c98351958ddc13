import { Module } from '@nestjs/common';
import { ExplainDecisionHandler } from './application/explain-decision/explain-decision.handler.js';
import { GetRuleSetHandler } from './application/get-rule-set/get-rule-set.handler.js';
import { ListRuleSetsHandler } from './application/list-rule-sets/list-rule-sets.handler.js';
import { PublishRuleSetHandler } from './application/publish-rule-set/publish-rule-set.handler.js';
import { ReplayDecisionHandler } from './application/replay-decision/replay-decision.handler.js';
import { DecisionsController } from './http/decisions.controller.js';
import { RuleSetsController } from './http/rule-sets.controller.js';

/**
 * The HTTP face of `@onecard/rules` (ADR 0005): operators list and publish rule set versions,
 * auditors explain and replay journaled decisions. The logic lives in the library (which may not
 * depend on the app's platform, where admin authentication is); this context only adapts it.
 */
@Module({
  controllers: [RuleSetsController, DecisionsController],
  providers: [PublishRuleSetHandler, ListRuleSetsHandler, GetRuleSetHandler, ExplainDecisionHandler, ReplayDecisionHandler],
})
export class RuleAdminModule {}
