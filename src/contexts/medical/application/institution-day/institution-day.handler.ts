import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VenueDirectory } from '@contexts/registry';
import { Problems } from '@onecard/kernel';
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
    const totals = await this.repository.institutionTotals({ institutionId: venue.venueId, from: query.from, to: query.to, homeRegion: query.homeRegion });
    return { institutionId: venue.venueId, region: venue.region, from: query.from, to: query.to, totals };
  }
}
