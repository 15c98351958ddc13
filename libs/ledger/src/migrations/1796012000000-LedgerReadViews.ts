import type { MigrationInterface, QueryRunner } from 'typeorm';

const APP_ROLE = 'onecard_app';

/**
 * The ledger's read surface for other modules (STYLE.md rule 5): views whose columns and meaning
 * the ledger keeps whatever its storage becomes, so that clearing and reports never name
 * `ledger.entries` or `ledger.journal`.
 *
 * `ledger.postings`: one row per entry (one side of one leg) of an ALLOW command, with its
 * account's kind and region and its command's context, reversal link and subject. A leg is the
 * pair of rows with the same (command_type, command_id, leg): the debit (amount < 0) and the
 * credit (amount > 0) of equal size.
 *
 * `ledger.commands`: one row per journal record (ALLOW or DENY), without response or details.
 */
export class LedgerReadViews1796012000000 implements MigrationInterface {
  name = 'LedgerReadViews1796012000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW ledger.postings AS
      SELECT e.chain, e.seq, e.command_type, e.command_id, j.context, e.leg, e.account_code,
             a.kind AS account_kind, a.region AS account_region, e.amount, e.event_time, e.committed_at,
             j.decision, j.reverses, j.subject, j.terminal_id
      FROM ledger.entries e
      JOIN ledger.journal j ON j.command_type = e.command_type AND j.command_id = e.command_id
      JOIN ledger.accounts a ON a.code = e.account_code`);
    await q.query(`
      CREATE VIEW ledger.commands AS
      SELECT j.chain, j.seq, j.command_type, j.command_id, j.context, j.terminal_id, j.actor, j.decision,
             j.reason_code, j.rule_set_id, j.rule_version, j.subject, j.reverses, j.regions, j.legs,
             j.event_time, j.committed_at
      FROM ledger.journal j`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT SELECT ON ledger.postings, ledger.commands TO ${APP_ROLE};
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW ledger.commands`);
    await q.query(`DROP VIEW ledger.postings`);
  }
}
