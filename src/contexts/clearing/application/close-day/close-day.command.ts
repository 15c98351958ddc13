import { Command } from '@nestjs/cqrs';
import type { BusinessDate } from '@onecard/kernel';
import type { ClosedStatement } from '../statement-view.js';

/** Close a business day: freeze its statement and post the netted obligations (ADR 0015). */
export class CloseDayCommand extends Command<{ statement: ClosedStatement; replayed: boolean }> {
  constructor(
    readonly date: BusinessDate,
    readonly actor: string,
  ) {
    super();
  }
}
