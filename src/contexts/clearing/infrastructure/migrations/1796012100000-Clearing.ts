import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The clearing context (ADR 0015). Which legs are cleared, and on which service line, is data:
 * `service_lines` and `line_rules` (payer account kind → payee account kind). A later context
 * (urban transit, eldercare) adds its line with an INSERT in its own migration, no code.
 *
 * Closed statements are append-only and hash-chained like the ledger's journal; each cleared leg
 * is recorded once (`statement_items`), so a late leg lands in exactly one later statement.
 */
export class Clearing1796012100000 implements MigrationInterface {
  name = 'Clearing1796012100000';

  async up(q: QueryRunner): Promise<void> {
    await createContextSchema(q, 'clearing');

    await q.query(`
      CREATE TABLE clearing.service_lines (
        line      text PRIMARY KEY CHECK (line ~ '^[a-z][a-z-]*$'),
        name_en   text NOT NULL,
        name_zh   text NOT NULL,
        -- DAILY lines are netted and settled per day; MONTHLY ones (medical) are drawn from the
        -- prepayment every day and settled per month.
        cycle     text NOT NULL CHECK (cycle IN ('DAILY', 'MONTHLY')),
        position  int  NOT NULL UNIQUE
      )`);
    await q.query(`
      CREATE TABLE clearing.line_rules (
        payer_kind  text NOT NULL,
        payee_kind  text NOT NULL,
        line        text NOT NULL REFERENCES clearing.service_lines (line),
        PRIMARY KEY (payer_kind, payee_kind)
      )`);
    await q.query(`
      INSERT INTO clearing.service_lines (line, name_en, name_zh, cycle, position) VALUES
        ('medical-pool',     'Medical pooled fund',          '医保统筹基金', 'MONTHLY', 1),
        ('medical-personal', 'Medical personal account',     '医保个人账户', 'MONTHLY', 2),
        ('culture',          'Culture and library payments', '文旅与图书馆', 'DAILY',   3),
        ('transit',          'Transit fares',                '交通票款',     'DAILY',   4),
        ('eldercare',        'Eldercare subsidy',            '养老补贴',     'DAILY',   5)`);
    // Eldercare has its line already; its context adds (subsidy fund kind, care home kind) here.
    await q.query(`
      INSERT INTO clearing.line_rules (payer_kind, payee_kind, line) VALUES
        ('FUND',          'INSTITUTION_RECEIVABLE', 'medical-pool'),
        ('CARD_PERSONAL', 'INSTITUTION_RECEIVABLE', 'medical-personal'),
        ('CARD_BANK',     'REVENUE',                'culture'),
        ('CARD_BANK',     'RECEIVABLE',             'culture'),
        ('CARD_TRANSIT',  'REVENUE',                'transit')`);

    // A cross-region leg on a service line, read through the ledger's own view (never its tables):
    // the debit at seq, its credit at seq + 1 of the same chain.
    // A leg from a payer kind to a payee kind counts forward; the same pair the other way round
    // (a reversal, a refund) counts negative on the same payer → payee.
    await q.query(`
      CREATE VIEW clearing.service_legs AS
      SELECT d.command_type, d.command_id, d.leg, d.context, d.event_time, d.committed_at, d.reverses,
             r.line,
             CASE WHEN r.payer_kind = d.account_kind AND r.payee_kind = c.account_kind THEN d.account_region ELSE c.account_region END AS payer,
             CASE WHEN r.payer_kind = d.account_kind AND r.payee_kind = c.account_kind THEN c.account_region ELSE d.account_region END AS payee,
             CASE WHEN r.payer_kind = d.account_kind AND r.payee_kind = c.account_kind THEN c.amount ELSE -c.amount END AS amount
      FROM ledger.postings d
      JOIN ledger.postings c ON c.chain = d.chain AND c.seq = d.seq + 1 AND c.amount > 0
      JOIN clearing.line_rules r
        ON (r.payer_kind = d.account_kind AND r.payee_kind = c.account_kind) OR (r.payer_kind = c.account_kind AND r.payee_kind = d.account_kind)
      WHERE d.amount < 0 AND d.account_region IS NOT NULL AND c.account_region IS NOT NULL AND d.account_region <> c.account_region`);

    await q.query(`
      CREATE TABLE clearing.statements (
        seq           bigint PRIMARY KEY CHECK (seq > 0),
        statement_id  text   NOT NULL UNIQUE CHECK (statement_id ~ '^(D-\\d{4}-\\d{2}-\\d{2}|M-\\d{4}-\\d{2})$'),
        kind          text   NOT NULL CHECK (kind IN ('DAY', 'MONTH')),
        period        text   NOT NULL,
        closed_at     timestamptz NOT NULL,
        close_command text   NOT NULL,
        body          json   NOT NULL, -- json, not jsonb: the hashed bytes, as hashed
        body_hash     text   NOT NULL,
        prev_hash     text   NOT NULL,
        hash          text   NOT NULL UNIQUE,
        UNIQUE (kind, period)
      )`);
    await q.query(`
      CREATE TABLE clearing.statement_items (
        command_type   text   NOT NULL,
        command_id     text   NOT NULL,
        leg            int    NOT NULL,
        statement_seq  bigint NOT NULL REFERENCES clearing.statements (seq),
        line           text   NOT NULL,
        payer          text   NOT NULL,
        payee          text   NOT NULL,
        amount         bigint NOT NULL,
        event_date     date   NOT NULL,
        late           boolean NOT NULL,
        adjustment     boolean NOT NULL,
        PRIMARY KEY (command_type, command_id, leg)
      )`);
    await q.query(`CREATE INDEX statement_items_statement ON clearing.statement_items (statement_seq)`);

    await q.query(`
      CREATE TABLE clearing.settlements (
        statement_id  text   NOT NULL REFERENCES clearing.statements (statement_id),
        region        text   NOT NULL CHECK (region IN ('11', '12', '13')),
        reference     text   NOT NULL,
        amount_fen    bigint NOT NULL,
        paid_at       timestamptz NOT NULL,
        recorded_at   timestamptz NOT NULL,
        actor         text   NOT NULL,
        PRIMARY KEY (statement_id, region)
      )`);

    await q.query(`
      CREATE TABLE clearing.top_up_calls (
        call_id         text   PRIMARY KEY,
        home_region     text   NOT NULL CHECK (home_region IN ('11', '12', '13')),
        treatment_region text  NOT NULL CHECK (treatment_region IN ('11', '12', '13')),
        statement_id    text   NOT NULL REFERENCES clearing.statements (statement_id),
        month           text   NOT NULL,
        prepayment_fen  bigint NOT NULL,
        threshold_fen   bigint NOT NULL,
        balance_fen     bigint NOT NULL,
        amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
        called_at       timestamptz NOT NULL,
        UNIQUE (statement_id, home_region, treatment_region)
      )`);
    await q.query(`
      CREATE TABLE clearing.top_up_payments (
        call_id     text   PRIMARY KEY REFERENCES clearing.top_up_calls (call_id),
        amount_fen  bigint NOT NULL,
        paid_at     timestamptz NOT NULL,
        actor       text   NOT NULL
      )`);

    // Append-only for every role, as the ledger (ADR 0004): a closed statement is never changed.
    await q.query(`
      CREATE FUNCTION clearing.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'clearing.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['statements', 'statement_items', 'settlements', 'top_up_calls', 'top_up_payments']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON clearing.${table} FOR EACH ROW EXECUTE FUNCTION clearing.refuse_change()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON clearing.${table} FOR EACH STATEMENT EXECUTE FUNCTION clearing.refuse_change()`);
    }
    await createContextSchema(q, 'clearing');
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'onecard_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA clearing FROM onecard_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA clearing CASCADE`);
  }
}
