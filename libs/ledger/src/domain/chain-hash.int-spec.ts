import { createTestDatabase, openDataSource, openTestAccounts, testExecutor, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { contentDigestV2, genesisHash, recordHashV2 } from './chain-hash.js';

/** PostgreSQL (which chains the hashes in `ledger.commit_batch`) and TypeScript (which verifies them) agree. */
describe('hash format 2 parity with ledger.commit_batch (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db.url, { asAppRole: true });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('starts every chain at its genesis hash, as bytes', async () => {
    const rows: { chain: number; hash: string }[] = await ds.query(`SELECT chain, encode(hash, 'hex') AS hash FROM ledger.chain_heads WHERE seq = 0`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.hash).toBe(genesisHash(r.chain));
  });

  it('hashes a committed record the way TypeScript recomputes it from the stored columns and entries', async () => {
    const executor = testExecutor(ds);
    await openTestAccounts(executor);
    const [head] = await ds.query(`SELECT chain, seq::int, encode(hash, 'hex') AS hash FROM ledger.chain_heads ORDER BY updated_at DESC LIMIT 1`);
    await executor.run({
      envelope: {
        type: 'test.parity',
        id: 'parity-1',
        context: 'te|st\\ctx',
        terminalId: 'TJ|G\\03',
        actor: 'auditor:|\\',
        payload: { x: 1 },
        eventTime: new Date('2026-03-02T08:00:00.789+08:00'),
      },
      decide: () => ({
        decision: 'ALLOW',
        response: { ok: true, note: '天津 "quoted" \\ back' },
        ruleSet: { id: 'rules|x\\y', version: 12 },
        subject: '12|天津\\',
        regions: ['13'],
        details: { input: { id: 'parity-1', n: 1 }, facts: { z: [1, 2], a: null }, outcome: {}, rule: 'r' },
        transfers: [
          { from: 'external:test-bank', to: 'card:T00000001:transit', amount: 1234 },
          { from: 'card:T00000001:transit', to: 'operator:test-rail:revenue', amount: 34 },
        ],
      }),
    });
    const US = (c: string) => `(extract(epoch FROM ${c}) * 1000000)::bigint::text`;
    const [j] = await ds.query(
      `SELECT chain, seq::int, format, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id, rule_version,
              encode(payload_hash, 'hex') AS payload_hash, subject, reverses, regions, legs, ${US('event_time')} AS ev, ${US('committed_at')} AS co,
              http_status, response::text AS response, details::text AS details, prev_hash, encode(hash, 'hex') AS hash
       FROM ledger.journal WHERE command_id = 'parity-1'`,
    );
    expect(j.format).toBe(2);
    expect(j.prev_hash).toBeNull();
    expect(j.regions).toEqual(['12', '13']); // the accounts' region and the command's, in code order
    expect(j.ev).toBe(String(Date.parse('2026-03-02T00:00:00.789Z') * 1000));
    // The input field that repeats the command id is stored as a reference to the column.
    expect(JSON.parse(j.details).input).toEqual({ '@': 'id=id', n: 1 });
    const entries: { leg: number; account_code: string; amount: string }[] = await ds.query(
      `SELECT leg, account_code, amount::text FROM ledger.entries WHERE chain = $1 AND seq > $2 AND seq <= $2 + 4 ORDER BY seq`,
      [j.chain, j.seq],
    );
    const legs: [string, string, number][] = [0, 1].map((leg) => {
      const [d, c] = entries.filter((e) => e.leg === leg);
      return [d!.account_code, c!.account_code, Number(c!.amount)];
    });
    const digest = contentDigestV2({
      commandType: j.command_type,
      commandId: j.command_id,
      context: j.context,
      terminalId: j.terminal_id,
      actor: j.actor,
      decision: j.decision,
      reasonCode: j.reason_code,
      ruleSetId: j.rule_set_id,
      ruleVersion: j.rule_version,
      payloadHash: j.payload_hash,
      subject: j.subject,
      reverses: j.reverses,
      eventTimeUs: j.ev,
      httpStatus: j.http_status,
      legs,
      responseText: j.response,
      detailsText: j.details,
    });
    // The record before it on its chain: the head before, if the command took the same chain.
    const [prev] = await ds.query(`SELECT encode(hash, 'hex') AS hash FROM ledger.journal WHERE chain = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1`, [
      j.chain,
      j.seq,
    ]);
    const prevHash = prev?.hash ?? (head.chain === j.chain ? head.hash : genesisHash(j.chain));
    expect(recordHashV2(Buffer.from(prevHash, 'hex'), { chain: j.chain, seq: j.seq, committedAtUs: j.co, regions: j.regions }, digest).toString('hex')).toBe(
      j.hash,
    );
    const [h] = await ds.query(`SELECT seq::int, encode(hash, 'hex') AS hash FROM ledger.chain_heads WHERE chain = $1`, [j.chain]);
    expect(h).toEqual({ seq: j.seq + 4, hash: j.hash });
  });
});
