import { openAccountsSql } from '@onecard/ledger';
import { grantSchemaToAppRole } from '@onecard/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { topUpSource } from '../../domain/top-up.rule.js';

/**
 * What other contexts may read of the cards schema inside their own statements (ADR 0012): three
 * functions, named by `CARDS_SQL` in the context's public/, never the tables. No name and no
 * national ID leave through them.
 */
export class CardReads1796010100000 implements MigrationInterface {
  name = 'CardReads1796010100000';

  async up(q: QueryRunner): Promise<void> {
    // The card and its holder's non-personal attributes; no row if there is no such card.
    await q.query(`
      CREATE FUNCTION cards.card_facts(p_card_no text)
      RETURNS TABLE (card_no text, issuing_region text, generation int, transit_app boolean, status text,
                     holder_id uuid, birth_date date, home_region text, scheme text, retiree boolean)
      LANGUAGE sql STABLE AS $$
        SELECT c.card_no, c.issuing_region, c.generation::int, c.transit_app, c.status,
               h.holder_id, h.birth_date, h.home_region, h.scheme, h.retiree
        FROM cards.cards c JOIN cards.holders h ON h.holder_id = c.holder_id
        WHERE c.card_no = p_card_no
      $$`);
    // Uses a 医保码 at p_now for p_used_by if it is unused and unexpired; answers the code as found
    // (expiry, use) and, if it was used here, its card. No row: no such code.
    await q.query(`
      CREATE FUNCTION cards.use_medical_code(p_code_hash text, p_now timestamptz, p_used_by text)
      RETURNS TABLE (code_expires_at timestamptz, code_used_at timestamptz, card_no text, issuing_region text, generation int,
                     transit_app boolean, status text, holder_id uuid, birth_date date, home_region text, scheme text, retiree boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_card text;
      BEGIN
        UPDATE cards.medical_codes m SET used_at = p_now, used_by = p_used_by
        WHERE m.code_hash = p_code_hash AND m.used_at IS NULL AND m.expires_at > p_now
        RETURNING m.card_no INTO v_card;
        RETURN QUERY
          SELECT m.expires_at, m.used_at, f.card_no, f.issuing_region, f.generation, f.transit_app, f.status,
                 f.holder_id, f.birth_date, f.home_region, f.scheme, f.retiree
          FROM cards.medical_codes m LEFT JOIN cards.card_facts(v_card) f ON true
          WHERE m.code_hash = p_code_hash;
      END $$`);
    // The card a 医保码 was used for by p_used_by (in this transaction or before), for reads declared
    // after the use in the same command; NULL if it was not used by p_used_by.
    await q.query(`
      CREATE FUNCTION cards.card_of_used_code(p_code_hash text, p_used_by text) RETURNS text
      LANGUAGE sql STABLE AS $$
        SELECT m.card_no FROM cards.medical_codes m WHERE m.code_hash = p_code_hash AND m.used_by = p_used_by
      $$`);
    // The accounts top-ups come from, once: a top-up then only posts (no account to open in its batch).
    const sources = (['11', '12', '13'] as const).flatMap((region) => [
      topUpSource('BANK', { issuingRegion: region, homeRegion: region }),
      topUpSource('PERSONAL', { issuingRegion: region, homeRegion: region }),
    ]);
    const { sql, params } = openAccountsSql(sources);
    await q.query(sql, params);
    await grantSchemaToAppRole(q, 'cards');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cards.card_of_used_code(text, text), cards.use_medical_code(text, timestamptz, text), cards.card_facts(text)`);
  }
}
