import { Query } from '@nestjs/cqrs';
import type { VenueKind } from '../../domain/venue.js';
import type { VenueListItem } from '../../public/venue-directory.js';

export class ListVenuesQuery extends Query<VenueListItem[]> {
  constructor(readonly kind?: VenueKind) {
    super();
  }
}
