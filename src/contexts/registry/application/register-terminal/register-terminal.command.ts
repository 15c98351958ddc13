import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '@onecard/engine';
import type { GateDirection, TerminalKind } from '@onecard/platform';
import type { TerminalView } from '../terminal-view.js';

/** Registers a terminal at a venue (`POST /v1/admin/terminals`). Idempotent by terminal id. */
export class RegisterTerminalCommand extends Command<CommandResult<TerminalView>> {
  constructor(
    readonly terminalId: string,
    readonly kind: TerminalKind,
    readonly venueId: string | null,
    readonly direction: GateDirection | null,
    /** HOLDER_APP: the card it is bound to. */
    readonly cardNo: string | null,
    readonly actor: string,
  ) {
    super();
  }
}
