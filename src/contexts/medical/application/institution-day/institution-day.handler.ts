import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VenueDirectory } from '@contexts/registry';
import { formatBusinessInstant, Problems } from '@onecard/kernel';
import { MedicalRepository } from '../../infrastructure/medical.repository.js';
import { InstitutionDayQuery, type InstitutionDayAnswer } from './institution-day.query.js';

@QueryHandler(InstitutionDayQuery)
export class InstitutionDayHandler implements IQueryHandler<InstitutionDayQuery> {
  constructor(
    private readonly repository: MedicalRepository,
    private readonly venues: VenueDirectory,
  ) {}

  async execute(query: InstitutionDayQuery): Promise<InstitutionDayAnswer> {
    const venue = await this.venues.findVenue(query.institutionId);
    if (!venue || venue.kind !== 'CLINIC') throw Problems.notFound(`No clinic ${query.institutionId}.`);
    const rows = await this.repository.institutionDay(query.institutionId, query.date);
    const standing = rows.filter((r) => !r.reversed);
    const sum = (f: (r: (typeof rows)[number]) => number) => standing.reduce((s, r) => s + f(r), 0);
    return {
      institutionId: venue.venueId,
      region: venue.region,
      date: query.date,
      settlements: rows.map((r) => ({ ...r, occurredAt: formatBusinessInstant(r.occurredAt) })),
      totals: {
        settlements: standing.length,
        reversed: rows.length - standing.length,
        totalFen: sum((r) => r.totalFen),
        fundFen: sum((r) => r.fundFen),
        personalAccountFen: sum((r) => r.personalAccountFen),
        cashFen: sum((r) => r.cashFen),
      },
    };
  }
}
