import { Command } from '@nestjs/cqrs';
import type { Fen } from '@onecard/kernel';

export interface IncompleteCharge {
  journeyId: string;
  cardNo: string;
  decision: 'ALLOW' | 'DENY';
  reasonCode: string | null;
  /** The terminus of the train the holder entered for: the fare is charged to it (null when refused). */
  terminus: string | null;
  fareFen: Fen;
  chargedFen: Fen;
  /** Fare the wallet could not cover (no overdraft): recorded on the journey, not collected. */
  shortfallFen: Fen;
  /** True when an earlier run had charged it already (the command replayed). */
  replayed: boolean;
}

export interface IncompleteChargeRun {
  asOf: string;
  /** Open journeys old enough to look at. */
  examined: number;
  charges: IncompleteCharge[];
}

/**
 * Charges every journey still open `chargeAfterDays` after entry the fare to its train's terminus,
 * as of `asOf` (never after the service clock: 400). Each journey is its own idempotent command `transit.incomplete-charge:<journeyId>`
 * with the due time as its event time, so reruns, overlapping schedulers and the CLI agree.
 */
export class ChargeIncompleteJourneysCommand extends Command<IncompleteChargeRun> {
  constructor(
    readonly asOf: Date,
    readonly actor: string,
  ) {
    super();
  }
}
