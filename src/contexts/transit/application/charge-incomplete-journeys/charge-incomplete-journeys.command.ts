import { Command } from '@nestjs/cqrs';
import type { Fen } from '@onecard/kernel';

export interface IncompleteCharge {
  journeyId: string;
  cardNo: string;
  decision: 'ALLOW' | 'DENY';
  reasonCode: string | null;
  farthestStation: string | null;
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
 * Charges every journey still open `chargeAfterDays` after entry as if to the farthest station,
 * as of `asOf`. Each journey is its own idempotent command `transit.incomplete-charge:<journeyId>`
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
