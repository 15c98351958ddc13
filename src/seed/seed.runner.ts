import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CLOCK, type Clock } from '@onecard/kernel';
import { AppConfig } from '@onecard/platform';
import { DataSource } from 'typeorm';
import { Prng } from './prng.js';
import type { SeedContext, SeedStep } from './seed-step.js';
import { SEED_STEPS } from './seed-steps.js';

/** The demo data's PRNG seed: the same data on every machine. */
export const DEMO_SEED = 20260302;

export interface SeedReport {
  ran: { step: string; summary: string }[];
  skipped: 'disabled' | 'not-empty' | null;
}

/**
 * Seeds demo data at start (`seedAtStart`, from the service's startup once the database answers)
 * when SEED_DEMO is true (the default; tests set it false): on an empty
 * database every step, on a database this seed filled before only the steps it has not run yet.
 * A database that has data but no seed record is never touched. Several instances starting
 * together take turns on an advisory lock.
 */
@Injectable()
export class SeedRunner {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async seedAtStart(): Promise<void> {
    if (!this.config.env.SEED_DEMO) return;
    const report = await this.run();
    for (const r of report.ran) this.logger.log(`seeded ${r.step}: ${r.summary}`);
  }

  async run(opts: { log?: (line: string) => void } = {}): Promise<SeedReport> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('onecard:seed'))`);
      const done = new Set<string>((await runner.query(`SELECT step FROM seed.steps_done`)).map((r: { step: string }) => r.step));
      if (done.size === 0 && !(await this.isEmpty(runner))) return { ran: [], skipped: 'not-empty' };
      const ran: SeedReport['ran'] = [];
      for (const type of SEED_STEPS) {
        const step = this.moduleRef.get<SeedStep>(type, { strict: false });
        if (done.has(step.name)) continue;
        const ctx: SeedContext = { rng: new Prng(DEMO_SEED ^ hash(step.name)), now: this.clock.now(), log: opts.log ?? ((line) => this.logger.log(line)) };
        ctx.log(`seeding ${step.name}…`);
        const summary = await step.run(ctx);
        await runner.query(`INSERT INTO seed.steps_done (step, summary) VALUES ($1, $2) ON CONFLICT (step) DO NOTHING`, [step.name, summary]);
        ran.push({ step: step.name, summary });
      }
      return { ran, skipped: null };
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('onecard:seed'))`).catch(() => undefined);
      await runner.release();
    }
  }

  private async isEmpty(runner: { query(sql: string): Promise<any> }): Promise<boolean> {
    const [row] = await runner.query(
      // Venues and cards are what every demo step builds on; journal records written at start-up
      // by other modules (if any) do not make a database "used".
      `SELECT NOT EXISTS (SELECT 1 FROM registry.venues) AND NOT EXISTS (SELECT 1 FROM cards.cards) AS empty`,
    );
    return row.empty;
  }
}

/** A step's own random stream, so adding a step does not change the data of the others. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
