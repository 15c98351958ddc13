import type { MigrationInterface, QueryRunner } from 'typeorm';

const APP_ROLE = 'onecard_app';

/**
 * Schema `rules` (ADR 0005): rule set families and their published versions. Append-only like the
 * ledger, by trigger and by privilege: a published version is never changed; a change is a new
 * version.
 */
export class Rules1796004000000 implements MigrationInterface {
  name = 'Rules1796004000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS rules`);
    // A family is one (context, kind, region) for good; its id is what decisions record.
    await q.query(`
      CREATE TABLE rules.families (
        id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+$'),
        context     text NOT NULL CHECK (context ~ '^[a-z][a-z0-9-]*$'),
        kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]*$'),
        region      text NOT NULL CHECK (region IN ('11', '12', '13', 'ALL')),
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT families_one_per_kind_region UNIQUE (context, kind, region)
      )`);
    await q.query(`
      CREATE TABLE rules.rule_sets (
        id              text NOT NULL REFERENCES rules.families (id),
        version         int  NOT NULL CHECK (version >= 1),
        context         text NOT NULL,
        kind            text NOT NULL,
        region          text NOT NULL CHECK (region IN ('11', '12', '13', 'ALL')),
        effective_from  date NOT NULL,
        effective_to    date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        description     text,
        parameters      jsonb NOT NULL,
        sources         jsonb NOT NULL,
        content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
        published_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_by    text NOT NULL,
        source_file     text,
        CONSTRAINT rule_sets_pkey PRIMARY KEY (id, version)
      )`);

    await q.query(`
      CREATE FUNCTION rules.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'rules.% is append-only: % refused (publish a new version instead)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['families', 'rule_sets']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON rules.${table} FOR EACH ROW EXECUTE FUNCTION rules.refuse_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON rules.${table} FOR EACH STATEMENT EXECUTE FUNCTION rules.refuse_change()`);
    }

    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT USAGE ON SCHEMA rules TO ${APP_ROLE};
          GRANT SELECT, INSERT ON rules.families, rules.rule_sets TO ${APP_ROLE};
          REVOKE UPDATE, DELETE, TRUNCATE ON rules.families, rules.rule_sets FROM ${APP_ROLE};
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA rules CASCADE`);
  }
}
