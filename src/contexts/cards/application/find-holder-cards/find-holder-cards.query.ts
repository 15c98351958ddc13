import { Query } from '@nestjs/cqrs';
import type { AdminCardView } from '../admin-card-view.js';

/** `POST /v1/admin/cards/lookup {nationalId}`: a person's cards, found by the keyed hash of the ID. */
export class FindHolderCardsQuery extends Query<AdminCardView[]> {
  constructor(readonly nationalId: string) {
    super();
  }
}
