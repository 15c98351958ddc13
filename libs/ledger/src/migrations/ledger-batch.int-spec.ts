import { createDatabase, dropDatabase, ENV_ADMIN_URL, openDataSource, testExecutor, transfer } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { LedgerDigest } from '../verification/ledger-digest.js';
import { LedgerVerifier } from '../verification/ledger-verifier.js';
import { Ledger1796001000000 } from './1796001000000-Ledger.js';
import { LedgerBatch1796010000000 } from './1796010000000-LedgerBatch.js';

const BANK = 'external:test-bank';
const CARD = 'card:T00000001:transit';
const RAIL = 'operator:test-rail:revenue';

/**
 * A ledger written by the format 1 function (`commit_command`, migration Ledger1796001000000) is
 * upgraded to the batch ledger (hashes as bytea, format 2 records): every old chain still verifies,
 * a digest taken before the upgrade still holds, and new records continue the same chains.
 */
describe('LedgerBatch1796010000000 upgrade (real PostgreSQL)', () => {
  const adminUrl = process.env[ENV_ADMIN_URL]!;
  const name = `onecard_test_ledger_upgrade_${process.pid}`;
  let url: string;

  beforeAll(async () => {
    url = await createDatabase(adminUrl, name);
  });

  afterAll(async () => {
    await dropDatabase(adminUrl, name);
  });

  const migrate = async (migrations: (typeof Ledger1796001000000)[]) => {
    const ds = new DataSource({ type: 'postgres', url, migrations, migrationsTableName: 'schema_migrations', migrationsTransactionMode: 'each' });
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
  };

  it('keeps format 1 chains verifiable and continues them with format 2 records', async () => {
    await migrate([Ledger1796001000000]);
    const owner = await openDataSource(url, { max: 2 });
    await owner.query(`SELECT ledger.open_accounts($1, $2, $3, $4, $5)`, [
      [BANK, CARD, RAIL],
      [null, '12', '12'],
      ['EXTERNAL', 'CARD_TRANSIT', 'REVENUE'],
      ['UNBOUNDED', 'NON_NEGATIVE', 'UNBOUNDED'],
      [2, 1, 4],
    ]);
    // Format 1 records, written by the format 1 function itself.
    for (const [id, legs] of [
      ['v1-top-up', [{ from: BANK, to: CARD, amount: 10_000 }]],
      ['v1-fare', [{ from: CARD, to: RAIL, amount: 5_450 }]],
    ] as const) {
      await owner.transaction((m) =>
        m.query(`SELECT ledger.commit_command($1::jsonb, $2::jsonb, $3::json)`, [
          JSON.stringify({
            type: 'test.transfer',
            id,
            context: 'test',
            decision: 'ALLOW',
            payloadHash: 'ab'.repeat(32),
            eventTime: '2026-03-02T00:00:00.000Z',
            httpStatus: 200,
            details: { input: { id }, facts: {}, outcome: {} },
          }),
          JSON.stringify(legs),
          JSON.stringify({ decision: 'ALLOW' }),
        ]),
      );
    }
    const before = await owner.query(`SELECT chain, seq::int, hash FROM ledger.chain_heads WHERE seq > 0`);
    expect(before.length).toBeGreaterThan(0);
    await owner.destroy();

    await migrate([Ledger1796001000000, LedgerBatch1796010000000]);
    const ds = await openDataSource(url, { max: 4 });
    const verifier = new LedgerVerifier(ds);
    const digest = before.map((h: { chain: number; seq: number; hash: string }) => ({ chain: h.chain, seq: h.seq, hash: h.hash }));
    expect(await verifier.verify({ digest })).toMatchObject({ ok: true, checkedJournal: 2, checkedEntries: 4, digestChecked: digest.length });

    // New records on the same chains (a fresh connection takes the same chains as the old ones did).
    const executor = testExecutor(ds);
    for (let i = 0; i < 20; i++) await transfer(executor, `v2-fare-${i}`, [{ from: CARD, to: RAIL, amount: 100 }]);
    const formats = await ds.query(`SELECT format, count(*)::int AS n FROM ledger.journal GROUP BY format ORDER BY format`);
    expect(formats).toEqual([
      { format: 1, n: 2 },
      { format: 2, n: 20 },
    ]);
    const result = await verifier.verify({ digest });
    expect(result).toMatchObject({ ok: true, checkedJournal: 22, checkedEntries: 44 });
    const [{ balance }] = await ds.query(`SELECT balance::int FROM ledger.balances WHERE account_code = $1`, [CARD]);
    expect(balance).toBe(10_000 - 5_450 - 2_000);
    // Tampering with an old record is still caught after the upgrade.
    await ds.query(`ALTER TABLE ledger.journal DISABLE TRIGGER journal_append_only`);
    await ds.query(`UPDATE ledger.journal SET terminal_id = 'FORGED' WHERE command_id = 'v1-fare'`);
    expect((await verifier.verify()).firstBreak).toMatchObject({ table: 'journal', check: 'hash' });
    expect((await new LedgerDigest(ds).current()).every((h) => /^[0-9a-f]{64}$/.test(h.hash))).toBe(true);
    await ds.destroy();
  });
});
