import type { Region } from '@onecard/kernel';
import type { GateDirection, TerminalKind } from '@onecard/platform';
import { terminalIdentity, type TerminalRow } from '../infrastructure/registry.repository.js';

/** A terminal as the admin API shows it. */
export interface TerminalView {
  terminalId: string;
  kind: TerminalKind;
  venueId: string | null;
  region: Region | null;
  direction: GateDirection | null;
  /** HOLDER_APP: the card it is bound to and acts for. */
  cardNo: string | null;
  enabled: boolean;
}

export function toTerminalView(row: TerminalRow): TerminalView {
  return terminalIdentity(row);
}
