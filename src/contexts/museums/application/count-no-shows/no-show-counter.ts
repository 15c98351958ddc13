import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MuseumsRepository } from '../../infrastructure/museums.repository.js';
import { CountNoShowCommand } from './count-no-show.command.js';

export interface NoShowRun {
  asOf: string;
  /** Reservations counted as no-shows by this run. */
  counted: number;
  /** Reservations another run counted first, or that changed meanwhile. */
  skipped: number;
  /** Of the counted, how many started a booking ban. */
  bans: number;
}

const BATCH = 500;

/**
 * The no-show job: every reservation still BOOKED whose slot ended by `asOf` becomes a no-show,
 * one idempotent command each. Safe to run at any time, any number of times, on any instance; run
 * by the in-process schedule with the injected clock and by `npm run museums:count-no-shows`.
 */
@Injectable()
export class NoShowCounter {
  constructor(
    private readonly repository: MuseumsRepository,
    private readonly commands: CommandBus,
  ) {}

  async run(asOf: Date): Promise<NoShowRun> {
    const run: NoShowRun = { asOf: asOf.toISOString(), counted: 0, skipped: 0, bans: 0 };
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.repository.endedUnused(asOf, BATCH)).filter((r) => !seen.has(r.reservationId));
      if (due.length === 0) return run;
      for (const r of due) {
        seen.add(r.reservationId);
        const result = await this.commands.execute(new CountNoShowCommand(r.reservationId, asOf, r.slotEndsAt));
        if (result.decision === 'ALLOW' && !result.replayed) {
          run.counted++;
          if (result.response.ban) run.bans++;
        } else run.skipped++;
      }
    }
  }
}
