import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf, CLOCK, Problems, type Clock } from '@onecard/kernel';
import { RuleBook, toRuleSetView, type RuleSetView } from '@onecard/rules';
import { GetRuleSetQuery } from './get-rule-set.query.js';

@QueryHandler(GetRuleSetQuery)
export class GetRuleSetHandler implements IQueryHandler<GetRuleSetQuery> {
  constructor(
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetRuleSetQuery): Promise<RuleSetView> {
    const rs = this.rules.get({ id: query.id, version: query.version });
    if (!rs) throw Problems.notFound(`Rule set ${query.id} has no published version ${query.version}.`);
    const family = this.rules.list({ context: rs.context, kind: rs.kind, region: rs.region });
    return toRuleSetView(rs, businessDateOf(this.clock.now()), family);
  }
}
