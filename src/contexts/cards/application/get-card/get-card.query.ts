import { Query } from '@nestjs/cqrs';
import type { AdminCardView } from '../admin-card-view.js';

/** `GET /v1/admin/cards/{cardNo}`: the card with masked holder data and account balances. */
export class GetCardQuery extends Query<AdminCardView | null> {
  constructor(readonly cardNo: string) {
    super();
  }
}
