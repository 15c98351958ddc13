import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@onecard/kernel';
import { AppConfig, Readiness } from '@onecard/platform';
import { ChargeIncompleteJourneysCommand, type IncompleteChargeRun } from '../application/charge-incomplete-journeys/charge-incomplete-journeys.command.js';

const HOUR_MS = 3_600_000;
/** How often the wall clock wakes the scheduler to see whether a business hour has passed. */
const TICK_MS = 30_000;

/**
 * Runs the missing tap-out job once per hour of the business clock (the injected CLOCK, so a
 * simulation's scaled clock runs it per simulated hour). Off in tests, which run the job by hand.
 * Several instances may run it at once: each journey's charge is one idempotent command.
 */
@Injectable()
export class IncompleteJourneyScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IncompleteJourneyScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private lastHour: number | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
    private readonly readiness: Readiness,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.env.NODE_ENV === 'test') return;
    this.lastHour = Math.floor(this.clock.now().getTime() / HOUR_MS);
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Runs the job if a new business hour has begun since the last run (and the service has started). */
  async tick(): Promise<IncompleteChargeRun | null> {
    if (this.running || !this.readiness.ready) return null;
    const now = this.clock.now();
    const hour = Math.floor(now.getTime() / HOUR_MS);
    if (hour === this.lastHour) return null;
    this.lastHour = hour;
    const run = this.commands.execute(new ChargeIncompleteJourneysCommand(now, 'transit:scheduler'));
    this.running = run;
    try {
      const result = await run;
      const charged = result.charges.filter((c) => c.decision === 'ALLOW' && !c.replayed).length;
      if (charged > 0) this.logger.log(`charged ${charged} journeys without a tap-out (as of ${result.asOf})`);
      return result;
    } catch (err) {
      this.logger.warn({ err }, 'missing tap-out job failed; it runs again next hour');
      return null;
    } finally {
      this.running = null;
    }
  }
}
