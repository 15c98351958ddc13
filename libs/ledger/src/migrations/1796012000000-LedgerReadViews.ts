import type { MigrationInterface, QueryRunner } from 'typeorm';

const APP_ROLE = 'onecard_app';

/**
 * `ledger.postings` (STYLE.md rule 5): every entry (one side of one leg) with its command, built on
 * `ledger.entry_journal`, and its account's kind and region — what clearing and the revenue report
 * read, whatever the ledger's storage becomes. A leg is the pair of rows of one command and leg
 * number: the debit (amount < 0) at `seq` and the credit (amount > 0) at `seq + 1` of its chain.
 */
export class LedgerReadViews1796012000000 implements MigrationInterface {
  name = 'LedgerReadViews1796012000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW ledger.postings AS
      SELECT e.chain, e.seq, e.journal_seq, e.command_type, e.command_id, e.context, e.leg, e.account_code,
             a.kind AS account_kind, a.region AS account_region, e.amount, e.event_time, e.committed_at,
             e.decision, e.reverses, e.subject
      FROM ledger.entry_journal e
      JOIN ledger.accounts a ON a.code = e.account_code`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          GRANT SELECT ON ledger.postings TO ${APP_ROLE};
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW ledger.postings`);
  }
}
