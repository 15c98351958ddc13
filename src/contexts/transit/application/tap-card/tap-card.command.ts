import { Command } from '@nestjs/cqrs';
import type { Fen, Reason } from '@onecard/kernel';
import type { CommandResult } from '@onecard/engine';

export type GateDirection = 'IN' | 'OUT';

/** `POST /v1/transit/taps` answer (TERMINAL-API.md). */
export interface TapAnswer {
  decision: 'ALLOW' | 'DENY';
  reason?: Reason;
  /** The journey opened (IN) or closed (OUT); on a DENY the card's open journey, if any. */
  journeyId: string | null;
  direction: GateDirection;
  /** Fen charged by this tap: the fare on an exit; 0 on an entry (unless an earlier-uploaded exit closed it at once). */
  fareFen: Fen;
  /** The transit wallet's balance after the tap; null when the card has none. */
  balanceFen: Fen | null;
}

/** The gate as the registry configured it: its station and direction, never the terminal's claim. */
export interface GateContext {
  terminalId: string;
  station: string;
  direction: GateDirection;
}

/** One card tap at a gate, online or from an offline batch; `tappedAt` is its business time. */
export class TapCardCommand extends Command<CommandResult<TapAnswer>> {
  constructor(
    readonly tapId: string,
    readonly cardNo: string,
    readonly tappedAt: Date,
    readonly gate: GateContext,
  ) {
    super();
  }
}
