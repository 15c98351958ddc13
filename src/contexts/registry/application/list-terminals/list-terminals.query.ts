import { Query } from '@nestjs/cqrs';
import type { TerminalKind } from '@onecard/platform';
import type { TerminalView } from '../terminal-view.js';

export class ListTerminalsQuery extends Query<TerminalView[]> {
  constructor(readonly filter: { venueId?: string; kind?: TerminalKind }) {
    super();
  }
}
