import { Module } from '@nestjs/common';
import { SeedRunner } from './seed.runner.js';
import { SEED_STEP_MODULES, SEED_STEPS } from './seed-steps.js';

/** Demo data on first start (SEED_DEMO) and the bulk loader behind `npm run seed`. */
@Module({
  imports: [...SEED_STEP_MODULES],
  providers: [...SEED_STEPS, SeedRunner],
  exports: [SeedRunner],
})
export class SeedModule {}
