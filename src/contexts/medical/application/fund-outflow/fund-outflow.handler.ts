import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { REGIONS, type Region } from '@onecard/kernel';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { FundOutflowQuery, type FundOutflowAnswer } from './fund-outflow.query.js';

@QueryHandler(FundOutflowQuery)
export class FundOutflowHandler implements IQueryHandler<FundOutflowQuery> {
  constructor(private readonly repository: MedicalRepository) {}

  async execute(query: FundOutflowQuery): Promise<FundOutflowAnswer> {
    const flows = await this.repository.outflow(query.from, query.to);
    const byHomeRegion = REGIONS.map((homeRegion) => {
      const own = flows.filter((f) => f.homeRegion === homeRegion);
      return {
        homeRegion,
        settlements: own.reduce((s, f) => s + f.settlements, 0),
        fundFen: own.reduce((s, f) => s + f.fundFen, 0),
        personalAccountFen: own.reduce((s, f) => s + f.personalAccountFen, 0),
      };
    });
    const owed = flows
      .filter((f) => f.homeRegion !== f.institutionRegion)
      .map((f) => ({ homeRegion: f.homeRegion, institutionRegion: f.institutionRegion, owedFen: f.fundFen + f.personalAccountFen }));
    const owes = (a: Region, b: Region) => owed.find((o) => o.homeRegion === a && o.institutionRegion === b)?.owedFen ?? 0;
    const net: FundOutflowAnswer['clearing']['net'] = [];
    REGIONS.forEach((a, i) => {
      for (const b of REGIONS.slice(i + 1)) {
        const d = owes(a, b) - owes(b, a);
        if (d > 0) net.push({ payer: a, payee: b, amountFen: d });
        if (d < 0) net.push({ payer: b, payee: a, amountFen: -d });
      }
    });
    return { from: query.from, to: query.to, byHomeRegion, flows, clearing: { owed, net } };
  }
}
