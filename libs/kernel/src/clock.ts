/**
 * Time comes from an injected clock, never from `new Date()` inside domain logic, so rules can be
 * tested at day boundaries and the simulator can compress a day into minutes.
 */
export interface Clock {
  now(): Date;
}

/** Nest injection token for the application clock. */
export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests and simulations set and advance by hand. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`invalid start time: ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string | number): void {
    const t = new Date(to).getTime();
    if (Number.isNaN(t)) throw new Error(`invalid time: ${String(to)}`);
    this.current = t;
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }
}

/**
 * Simulated time: starts at `origin` when created and runs `speed` times faster than the wall clock
 * (speed 600 plays a day in 144 s).
 */
export class ScaledClock implements Clock {
  private readonly wallStart = Date.now();
  private readonly origin: number;

  constructor(
    origin: Date | string,
    /** Simulated milliseconds per wall-clock millisecond. */
    readonly speed: number,
  ) {
    this.origin = new Date(origin).getTime();
    if (Number.isNaN(this.origin)) throw new Error(`invalid origin: ${String(origin)}`);
    if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
  }

  now(): Date {
    return new Date(this.origin + (Date.now() - this.wallStart) * this.speed);
  }
}
