import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A holder's app is bound to one card (issue 12, TERMINAL-API.md): `card_no` on HOLDER_APP
 * terminals only. Apps registered before have none and act for no card until registered anew.
 */
export class HolderAppBinding1796011000000 implements MigrationInterface {
  name = 'HolderAppBinding1796011000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.terminals ADD COLUMN card_no text CHECK (card_no ~ '^[BTH][0-9]{8}$')`);
    await q.query(`ALTER TABLE registry.terminals ADD CONSTRAINT terminals_card_only_for_holder_apps CHECK (card_no IS NULL OR kind = 'HOLDER_APP')`);
    // The binding moves when the card is replaced: found by card.
    await q.query(`CREATE INDEX terminals_card ON registry.terminals (card_no) WHERE card_no IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registry.terminals DROP COLUMN card_no`);
  }
}
