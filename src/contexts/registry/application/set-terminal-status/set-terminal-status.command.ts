import { Command } from '@nestjs/cqrs';
import type { TerminalView } from '../terminal-view.js';

/** Enables or disables a terminal (`POST /v1/admin/terminals/{terminalId}/status`). */
export class SetTerminalStatusCommand extends Command<{ terminal: TerminalView; changed: boolean }> {
  constructor(
    readonly terminalId: string,
    readonly enabled: boolean,
    readonly actor: string,
  ) {
    super();
  }
}
