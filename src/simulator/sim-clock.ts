import type { Clock } from '@onecard/kernel';

/**
 * Simulated business time shared by the simulator and (in-process) the service: it stands still at
 * `origin` until `start()`, then runs `speed` times faster than the wall clock (speed 600 plays a
 * day in 144 s). Standing still while the service starts and seeds keeps the day's start intact.
 */
export class SimClock implements Clock {
  private wallStart: number | null = null;
  private readonly origin: number;

  constructor(
    origin: Date,
    readonly speed: number,
  ) {
    if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
    this.origin = origin.getTime();
  }

  start(): void {
    this.wallStart ??= performance.now();
  }

  now(): Date {
    return new Date(this.origin + (this.wallStart === null ? 0 : (performance.now() - this.wallStart) * this.speed));
  }
}
