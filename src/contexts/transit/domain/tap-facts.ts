import type { Fen, Reason, RuleRef } from '@onecard/kernel';

/**
 * What a tap decision reads from state, as the journal records it (`details.facts`): instants as
 * ISO-8601 strings so the record replays byte for byte. No personal data.
 */
export type CardFacts = {
  status: string;
  issuingRegion: string;
  generation: number;
  transitApp: boolean;
};

export type SlipFact = {
  reservationId: string;
  fromStation: string;
  toStation: string;
  trainNo: string;
  terminus: string;
  departsAt: string;
};

export type OpenJourneyFact = {
  journeyId: string;
  entryStation: string;
  entryAt: string;
  /** The rule set version in force at entry: the fare comes from it. */
  ruleSet: RuleRef;
};

/** An exit tap that found no open journey (its entry tap not uploaded yet), kept to close it later. */
export type PendingExitFact = {
  tapId: string;
  station: string;
  gateId: string;
  tappedAt: string;
};

export type TapInFacts = {
  card: CardFacts | null;
  station: string;
  /** The nearest earlier-or-later recorded tap of this card at this gate within the duplicate window. */
  previousTapAtGate: string | null;
  openJourney: OpenJourneyFact | null;
  /** The card's seat slips that are neither used, cancelled nor cleared. */
  slips: SlipFact[];
  balanceFen: Fen | null;
  /** The earliest pending exit of this card after the tap, within the unresolved-journey window. */
  pendingExit: PendingExitFact | null;
};

export type TapOutFacts = {
  card: CardFacts | null;
  station: string;
  previousTapAtGate: string | null;
  openJourney: OpenJourneyFact | null;
  balanceFen: Fen | null;
};

export type Denial = { decision: 'DENY'; reason: Reason; rule: string };
