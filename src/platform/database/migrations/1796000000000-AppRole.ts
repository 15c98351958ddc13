import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../schema.js';

/** The restricted role the service runs as (ADR 0004); skipped where roles cannot be created. */
export class AppRole1796000000000 implements MigrationInterface {
  name = 'AppRole1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        END IF;
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
        -- Tables and sequences that migrations create later are usable by the role by default;
        -- the ledger migration then takes UPDATE/DELETE/TRUNCATE back on its append-only tables.
        ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE};
        ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APP_ROLE};
      EXCEPTION
        WHEN insufficient_privilege THEN
          RAISE NOTICE 'cannot create role ${APP_ROLE}: the service will run as the login role';
        WHEN unique_violation OR duplicate_object THEN
          NULL; -- created concurrently by another migrator on the same cluster
      END $$`);
  }

  async down(): Promise<void> {
    // The role is cluster-wide and may serve other databases (e.g. parallel test databases).
  }
}
