import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RegistryRepository } from '../../infrastructure/registry.repository.js';
import { toVenueListItem, type VenueListItem } from '../../public/venue-directory.js';
import { ListVenuesQuery } from './list-venues.query.js';

@QueryHandler(ListVenuesQuery)
export class ListVenuesHandler implements IQueryHandler<ListVenuesQuery> {
  constructor(private readonly repository: RegistryRepository) {}

  async execute(query: ListVenuesQuery): Promise<VenueListItem[]> {
    return (await this.repository.listVenues(query.kind)).map(toVenueListItem);
  }
}
