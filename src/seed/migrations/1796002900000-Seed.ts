import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which demo seed steps have run on this database (src/seed). */
export class Seed1796002900000 implements MigrationInterface {
  name = 'Seed1796002900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS seed`);
    await q.query(`
      CREATE TABLE seed.steps_done (
        step          text PRIMARY KEY,
        summary       text NOT NULL,
        completed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await createContextSchema(q, 'seed');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA seed CASCADE`);
  }
}
