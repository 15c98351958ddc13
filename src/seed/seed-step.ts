import type { Prng } from './prng.js';

/** What a seed step gets: the run's deterministic random source and a way to report progress. */
export interface SeedContext {
  rng: Prng;
  /** The business clock's now when the seed started. */
  now: Date;
  log(line: string): void;
}

/**
 * One step of the demo seed (a Nest provider). Steps run in the order of SEED_STEPS, each at most
 * once per database (recorded in seed.steps_done), so a step added later runs on the next start of
 * an already seeded database. A step must be safe to re-run after a failure half-way.
 */
export interface SeedStep {
  /** Stable name, recorded when the step has run, e.g. `registry.venues`, `scenic.capacity`. */
  readonly name: string;
  /** Answers a one-line summary for the log. */
  run(ctx: SeedContext): Promise<string>;
}
