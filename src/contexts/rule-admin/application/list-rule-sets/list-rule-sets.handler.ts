import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf, CLOCK, type Clock } from '@onecard/kernel';
import { RuleBook, toRuleSetSummary, type RuleSetSummary } from '@onecard/rules';
import { ListRuleSetsQuery } from './list-rule-sets.query.js';

/** From the in-memory book: what is published, and where each version stands today. */
@QueryHandler(ListRuleSetsQuery)
export class ListRuleSetsHandler implements IQueryHandler<ListRuleSetsQuery> {
  constructor(
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: ListRuleSetsQuery): Promise<RuleSetSummary[]> {
    const today = businessDateOf(this.clock.now());
    const sets = this.rules.list(query.filter);
    return sets.map((rs) => toRuleSetSummary(rs, today, this.rules.list({ context: rs.context, kind: rs.kind, region: rs.region })));
  }
}
