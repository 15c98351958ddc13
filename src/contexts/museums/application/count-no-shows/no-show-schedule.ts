import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CLOCK, type Clock } from '@onecard/kernel';
import { AppConfig, Readiness } from '@onecard/platform';
import { NoShowCounter } from './no-show-counter.js';

/** How often the in-process schedule counts no-shows (wall time; the clock gives the "as of"). */
export const NO_SHOW_INTERVAL_MS = 60_000;

/**
 * Runs the no-show job every minute with the injected clock's now, so a simulated (scaled) day
 * counts its no-shows as it goes. Off in tests, which run the job with the clock they set.
 */
@Injectable()
export class NoShowSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NoShowSchedule');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly counter: NoShowCounter,
    private readonly config: AppConfig,
    private readonly readiness: Readiness,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.env.NODE_ENV === 'test') return;
    this.timer = setInterval(() => void this.tick(), NO_SHOW_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    // Until the service has started (its database reached) there is nothing to count.
    if (this.running || !this.readiness.ready) return;
    this.running = true;
    try {
      const run = await this.counter.run(this.clock.now());
      if (run.counted > 0) this.logger.log(`counted ${run.counted} no-shows as of ${run.asOf} (${run.bans} new booking bans)`);
    } catch (err) {
      this.logger.warn({ err }, 'no-show job failed; it runs again at the next tick');
    } finally {
      this.running = false;
    }
  }
}
