import { Query } from '@nestjs/cqrs';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';

export interface LibraryCirculation {
  libraryId: string;
  name: string;
  region: Region;
  network: string | null;
  items: number;
  /** Its items on loan now. */
  loansOutstanding: number;
  /** Of those, past their due date on `on`. */
  loansOverdue: number;
  /** Overdue fines charged for its items (its revenue), paid or not. */
  finesChargedFen: Fen;
  /** What holders still owe it. */
  finesOutstandingFen: Fen;
}

/** `GET /v1/admin/libraries?on=`: per library, its items, loans outstanding and overdue, fines. */
export class LibraryCirculationQuery extends Query<{ on: BusinessDate; libraries: LibraryCirculation[] }> {
  constructor(readonly on: BusinessDate) {
    super();
  }
}
