import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';

export interface AnnualPassView {
  passId: string;
  passCode: string;
  soldRegion: Region;
  validFrom: BusinessDate;
  validUntil: BusinessDate;
  priceFen: Fen;
  purchasedAt: string;
  /** The card it was bought with (the pass belongs to the holder, whichever card they tap). */
  boughtWithCard: string;
}

/** `GET /v1/admin/cards/{cardNo}/annual-passes`: the passes of the card's holder; null: no such card. */
export class ListAnnualPassesQuery extends Query<AnnualPassView[] | null> {
  constructor(readonly cardNo: string) {
    super();
  }
}
