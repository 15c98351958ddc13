import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Venues (stations, clinics, scenic spots, museums, libraries) and the terminals that stand there. */
export class Registry1796002100000 implements MigrationInterface {
  name = 'Registry1796002100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS registry`);
    await q.query(`
      CREATE TABLE registry.venues (
        venue_id    text PRIMARY KEY CHECK (venue_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        kind        text NOT NULL CHECK (kind IN ('STATION', 'CLINIC', 'SCENIC_SPOT', 'MUSEUM', 'LIBRARY')),
        region      text NOT NULL CHECK (region IN ('11', '12', '13')),
        name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        level       smallint CHECK (level BETWEEN 1 AND 3),
        attributes  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((kind = 'CLINIC') = (level IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX venues_kind ON registry.venues (kind, venue_id)`);

    await q.query(`
      CREATE TABLE registry.terminals (
        terminal_id    text PRIMARY KEY CHECK (terminal_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        kind           text NOT NULL CHECK (kind IN ('GATE', 'SEAT_MACHINE', 'CLINIC', 'SCENIC_GATE', 'MUSEUM_GATE', 'LIBRARY_DESK', 'HOLDER_APP')),
        venue_id       text REFERENCES registry.venues (venue_id),
        direction      text CHECK (direction IN ('IN', 'OUT')),
        enabled        boolean NOT NULL DEFAULT true,
        -- Bumped on every change; admin status commands are journaled as <terminalId>.v<version>.
        version        int NOT NULL DEFAULT 1 CHECK (version >= 1),
        registered_at  timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        CHECK ((kind = 'GATE') = (direction IS NOT NULL)),
        CHECK ((kind = 'HOLDER_APP') = (venue_id IS NULL))
      )`);
    await q.query(`CREATE INDEX terminals_venue ON registry.terminals (venue_id, terminal_id)`);
    await createContextSchema(q, 'registry');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA registry CASCADE`);
  }
}
