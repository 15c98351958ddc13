import type { QueryRunner } from 'typeorm';

/**
 * The service runs its queries as `onecard_app`, a role that may read and write context tables but
 * has no UPDATE/DELETE/TRUNCATE on the ledger's append-only tables (ADR 0004). Migrations run as the
 * database owner. Where the database does not let us create roles (some managed services), the role
 * is absent and the service uses its login role; the ledger's triggers still refuse every change.
 */
export const APP_ROLE = 'onecard_app';

/** Creates a context's schema and lets the application role use it. */
export async function createContextSchema(queryRunner: QueryRunner, schema: string): Promise<void> {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await grantSchemaToAppRole(queryRunner, schema);
}

export async function grantSchemaToAppRole(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA ${schema} TO ${APP_ROLE}';
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${APP_ROLE}';
        EXECUTE 'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${APP_ROLE}';
        EXECUTE 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} TO ${APP_ROLE}';
      END IF;
    END $$`);
}
