import { Query } from '@nestjs/cqrs';
import type { Fen, RuleRef } from '@onecard/kernel';

export const JOURNEY_LIST_STATUSES = ['OPEN', 'UNRESOLVED', 'INCOMPLETE_CHARGED', 'CLOSED', 'RESOLVED'] as const;
export type JourneyListStatus = (typeof JOURNEY_LIST_STATUSES)[number];

export interface JourneyView {
  journeyId: string;
  cardNo: string;
  status: string;
  entryStation: string;
  entryGate: string;
  entryAt: string;
  trainNo: string;
  terminus: string;
  reservationId: string;
  requiredFen: Fen;
  exitStation: string | null;
  exitGate: string | null;
  exitAt: string | null;
  fareFen: Fen | null;
  chargedFen: Fen | null;
  closedBy: string | null;
  ruleSet: RuleRef;
}

/** A card's journeys, newest first. */
export class CardJourneysQuery extends Query<JourneyView[]> {
  constructor(
    readonly cardNo: string,
    readonly limit: number,
  ) {
    super();
  }
}
