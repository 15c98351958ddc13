import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf, CLOCK, Problems, startOfBusinessDay, type Clock } from '@onecard/kernel';
import { MedicalCatalogueRules, RuleBook } from '@onecard/rules';
import { ListCatalogueQuery, type CatalogueAnswer } from './list-catalogue.query.js';

@QueryHandler(ListCatalogueQuery)
export class ListCatalogueHandler implements IQueryHandler<ListCatalogueQuery> {
  constructor(
    private readonly rules: RuleBook,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: ListCatalogueQuery): Promise<CatalogueAnswer> {
    const on = query.on ?? businessDateOf(this.clock.now());
    const rs = this.rules.find(MedicalCatalogueRules, query.region, startOfBusinessDay(on));
    if (!rs) throw Problems.notFound(`No medical catalogue of region ${query.region} is in force on ${on}.`);
    const p = rs.parameters;
    return {
      region: query.region,
      on,
      ruleSet: rs.ref,
      effectiveFrom: rs.effectiveFrom,
      effectiveTo: rs.effectiveTo,
      recognitionWindowDays: p.recognitionWindowDays,
      categoryB: { selfPaidFirstBp: p.categoryB.selfPaidFirstBp },
      items: p.items.map((i) => ({
        code: i.code,
        name: i.name,
        type: i.type,
        category: i.category,
        selfPaidFirstBp: i.category === 'B' ? (i.selfPaidFirstBp ?? p.categoryB.selfPaidFirstBp) : null,
        recognised: i.recognised,
      })),
    };
  }
}
