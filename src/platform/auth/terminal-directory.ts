import type { Region } from '@onecard/kernel';

/** Kinds of terminal (TERMINAL-API.md); each endpoint accepts one or more. */
export const TERMINAL_KINDS = ['GATE', 'SEAT_MACHINE', 'CLINIC', 'SCENIC_GATE', 'MUSEUM_GATE', 'LIBRARY_DESK', 'HOLDER_APP'] as const;
export type TerminalKind = (typeof TERMINAL_KINDS)[number];

export type GateDirection = 'IN' | 'OUT';

/** What the service knows of an authenticated terminal. */
export interface TerminalIdentity {
  terminalId: string;
  kind: TerminalKind;
  /** The venue the terminal stands at (station code, clinic id, …); null for holder apps. */
  venueId: string | null;
  region: Region | null;
  /** Gates are configured as entry or exit; a terminal's own claim is never trusted. */
  direction: GateDirection | null;
  /** A holder's app acts only for the card it is bound to (null for other kinds). */
  cardNo: string | null;
  enabled: boolean;
}

/**
 * Port the authentication guard asks for terminals; the registry context implements it (and caches,
 * so verifying a tap costs no database round trip).
 */
export interface TerminalDirectory {
  findTerminal(terminalId: string): Promise<TerminalIdentity | null>;
  /** Loads every terminal at start (the service is ready only after); answers how many. */
  loadAll(): Promise<number>;
}

export const TERMINAL_DIRECTORY = Symbol('TERMINAL_DIRECTORY');
