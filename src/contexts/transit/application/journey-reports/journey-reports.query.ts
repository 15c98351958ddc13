import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, RuleRef } from '@onecard/kernel';

export interface OdPairRow {
  fromStation: string;
  toStation: string;
  journeys: number;
  fareFen: Fen;
  /** Missing tap-outs charged to `toStation` after 7 days: nobody travelled there. */
  incompleteCharged: boolean;
}

export interface StationRevenueRow {
  station: string;
  journeys: number;
  revenueFen: Fen;
}

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

/** Journeys closed (by tap, window or the missing tap-out job) per entry → exit pair, by entry day. */
export class JourneysByOdQuery extends Query<OdPairRow[]> {
  constructor(readonly date: BusinessDate) {
    super();
  }
}

/** Fares charged per boarding station, by the day the fare was charged. */
export class StationRevenueQuery extends Query<StationRevenueRow[]> {
  constructor(readonly date: BusinessDate) {
    super();
  }
}

/**
 * Journeys in one state, oldest entry first: OPEN (all), UNRESOLVED (open longer than the rule
 * data's threshold, as of now), INCOMPLETE_CHARGED, CLOSED, RESOLVED.
 */
export class ListJourneysQuery extends Query<JourneyView[]> {
  constructor(
    readonly status: JourneyListStatus,
    readonly limit: number,
  ) {
    super();
  }
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
