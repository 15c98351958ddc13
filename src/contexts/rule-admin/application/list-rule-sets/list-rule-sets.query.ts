import { Query } from '@nestjs/cqrs';
import type { RuleRegion, RuleSetSummary } from '@onecard/rules';

/** Published rule set versions, optionally of one context, kind or region. */
export class ListRuleSetsQuery extends Query<RuleSetSummary[]> {
  constructor(readonly filter: { context?: string; kind?: string; region?: RuleRegion }) {
    super();
  }
}
