import { createContextSchema } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The medical context (ADR 0009): settlements, each person's annual accumulators, and the
 * recognisable lab/imaging results that later settlements may reuse. Money is in the ledger; these
 * tables keep what the ledger does not: the split per item, the policy year, the results.
 */
export class Medical1796006000000 implements MigrationInterface {
  name = 'Medical1796006000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS medical`);

    // One row per person (cards holder) and calendar year (Asia/Shanghai). A settlement locks its
    // row (INSERT … ON CONFLICT DO UPDATE … RETURNING) so concurrent settlements of one person queue.
    await q.query(`
      CREATE TABLE medical.accumulators (
        holder_id                  uuid     NOT NULL,
        year                       smallint NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        outpatient_deductible_fen  bigint   NOT NULL DEFAULT 0 CHECK (outpatient_deductible_fen >= 0),
        inpatient_deductible_fen   bigint   NOT NULL DEFAULT 0 CHECK (inpatient_deductible_fen >= 0),
        outpatient_fund_fen        bigint   NOT NULL DEFAULT 0 CHECK (outpatient_fund_fen >= 0),
        inpatient_fund_fen         bigint   NOT NULL DEFAULT 0 CHECK (inpatient_fund_fen >= 0),
        inpatient_stays            int      NOT NULL DEFAULT 0 CHECK (inpatient_stays >= 0),
        settlements                int      NOT NULL DEFAULT 0 CHECK (settlements >= 0),
        updated_at                 timestamptz,
        PRIMARY KEY (holder_id, year)
      )`);

    // Accepted settlements (a refused one lives in the journal only). Reversal marks the row.
    await q.query(`
      CREATE TABLE medical.settlements (
        settlement_id         text     PRIMARY KEY CHECK (settlement_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        institution_id        text     NOT NULL,
        institution_region    text     NOT NULL CHECK (institution_region IN ('11', '12', '13')),
        terminal_id           text     NOT NULL,
        card_no               text     NOT NULL,
        holder_id             uuid     NOT NULL,
        home_region           text     NOT NULL CHECK (home_region IN ('11', '12', '13')),
        scheme                text     NOT NULL CHECK (scheme IN ('EMPLOYEE', 'RESIDENT')),
        retiree               boolean  NOT NULL,
        visit_type            text     NOT NULL CHECK (visit_type IN ('OUTPATIENT', 'INPATIENT')),
        occurred_at           timestamptz NOT NULL,
        business_date         date     NOT NULL,
        year                  smallint NOT NULL,
        total_fen             bigint   NOT NULL CHECK (total_fen >= 0),
        self_paid_fen         bigint   NOT NULL CHECK (self_paid_fen >= 0),
        in_policy_fen         bigint   NOT NULL CHECK (in_policy_fen >= 0),
        deductible_fen        bigint   NOT NULL CHECK (deductible_fen >= 0),
        fund_fen              bigint   NOT NULL CHECK (fund_fen >= 0),
        personal_account_fen  bigint   NOT NULL CHECK (personal_account_fen >= 0),
        cash_fen              bigint   NOT NULL CHECK (cash_fen >= 0),
        -- What this settlement added to the person's year, subtracted exactly by its reversal.
        accumulation          jsonb    NOT NULL,
        items                 jsonb    NOT NULL,
        policy_id             text     NOT NULL,
        policy_version        int      NOT NULL,
        catalogue_id          text     NOT NULL,
        catalogue_version     int      NOT NULL,
        settled_at            timestamptz NOT NULL,
        reversal_id           text,
        reversed_at           timestamptz,
        reversal_reason       text,
        CHECK (total_fen = self_paid_fen + in_policy_fen),
        CHECK (total_fen = fund_fen + personal_account_fen + cash_fen),
        CHECK ((reversal_id IS NULL) = (reversed_at IS NULL))
      )`);
    await q.query(`CREATE INDEX settlements_institution_day ON medical.settlements (institution_id, business_date)`);
    await q.query(`CREATE INDEX settlements_day ON medical.settlements (business_date)`);
    await q.query(`CREATE INDEX settlements_holder_year ON medical.settlements (holder_id, year)`);

    // Recognisable results done at participating institutions, for reuse within the window.
    await q.query(`
      CREATE TABLE medical.results (
        settlement_id   text NOT NULL REFERENCES medical.settlements (settlement_id),
        item_code       text NOT NULL,
        holder_id       uuid NOT NULL,
        institution_id  text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('lab', 'imaging')),
        performed_at    timestamptz NOT NULL,
        performed_on    date NOT NULL,
        PRIMARY KEY (settlement_id, item_code)
      )`);
    await q.query(`CREATE INDEX results_person_item ON medical.results (holder_id, item_code, performed_on DESC)`);

    await createContextSchema(q, 'medical');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA medical CASCADE`);
  }
}
