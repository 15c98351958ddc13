import { createTestDatabase, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { CommandExecutor } from '../command-executor.js';
import { openAccounts, openDataSource, testClock } from '../testing/ledger-fixtures.js';
import { entryRecord, genesisHash, hashField, journalRecord, sha256Text } from './chain-hash.js';

/** PostgreSQL (which writes the hashes) and TypeScript (which verifies them) encode alike. */
describe('chain-hash parity with ledger.commit_command (real PostgreSQL)', () => {
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

  it('escapes fields in SQL exactly as in TypeScript', async () => {
    const samples = ['plain', 'a|b', 'a\\b', '\\|', '||\\\\', '天津|北京\\', '', "it's"];
    const rows: { v: string; sql: string; sha: string }[] = await ds.query(`SELECT v, ledger.hf(v) AS sql, ledger.sha(v) AS sha FROM unnest($1::text[]) AS v`, [
      samples,
    ]);
    for (const r of rows) {
      expect(r.sql).toBe(hashField(r.v));
      expect(r.sha).toBe(sha256Text(r.v));
    }
    const [nul] = await ds.query(`SELECT ledger.hf(NULL) AS v, ledger.us('2026-03-02T08:00:00.123456+08:00'::timestamptz) AS us`);
    expect(nul).toEqual({ v: '', us: String(Date.parse('2026-03-02T00:00:00.123Z') * 1000 + 456) });
    const [g] = await ds.query(`SELECT hash FROM ledger.chain_heads WHERE chain = 5`);
    expect(g.hash).toBe(genesisHash(5));
  });

  it('hashes a committed record the way TypeScript recomputes it, separators and escapes included', async () => {
    const executor = new CommandExecutor(ds, testClock());
    await openAccounts(executor);
    await executor.execute(
      {
        type: 'test.parity',
        id: 'parity-1',
        context: 'te|st\\ctx',
        terminalId: 'TJ|G\\03',
        actor: 'auditor:|\\',
        payload: { x: 1 },
        eventTime: new Date('2026-03-02T08:00:00.789+08:00'),
      },
      async () => ({
        decision: 'ALLOW',
        response: { ok: true },
        ruleSet: { id: 'rules|x\\y', version: 12 },
        subject: '12|天津\\',
        regions: ['13'],
        transfers: [
          { from: 'external:test-bank', to: 'card:T00000001:transit', amount: 1234 },
          { from: 'card:T00000001:transit', to: 'operator:test-rail:revenue', amount: 34 },
        ],
      }),
    );
    const US = (c: string) => `(extract(epoch FROM ${c}) * 1000000)::bigint::text`;
    const [j] = await ds.query(
      `SELECT chain, seq::int, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id, rule_version,
              payload_hash, subject, reverses, regions, legs, ${US('event_time')} AS ev, ${US('committed_at')} AS co, prev_hash, hash
       FROM ledger.journal WHERE command_id = 'parity-1'`,
    );
    expect(j.regions).toEqual(['12', '13']); // the accounts' region and the command's, in code order
    expect(j.ev).toBe(String(Date.parse('2026-03-02T00:00:00.789Z') * 1000));
    expect(
      sha256Text(
        journalRecord({
          chain: j.chain,
          seq: j.seq,
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
          regions: j.regions,
          legs: j.legs,
          eventTimeUs: j.ev,
          committedAtUs: j.co,
          prevHash: j.prev_hash,
        }),
      ),
    ).toBe(j.hash);

    const entries = await ds.query(
      `SELECT chain, seq::int, command_type, command_id, leg, account_code, shard, amount::text, balance_before::text, balance_after::text,
              account_version::text, ${US('event_time')} AS ev, ${US('committed_at')} AS co, prev_hash, hash
       FROM ledger.entries e WHERE command_id = 'parity-1' ORDER BY e.seq`,
    );
    expect(entries).toHaveLength(4);
    let prev = j.hash;
    for (const e of entries) {
      expect(e.prev_hash).toBe(prev);
      expect(
        sha256Text(
          entryRecord({
            chain: e.chain,
            seq: e.seq,
            commandType: e.command_type,
            commandId: e.command_id,
            leg: e.leg,
            accountCode: e.account_code,
            shard: e.shard,
            amount: Number(e.amount),
            balanceBefore: Number(e.balance_before),
            balanceAfter: Number(e.balance_after),
            accountVersion: Number(e.account_version),
            eventTimeUs: e.ev,
            committedAtUs: e.co,
            prevHash: e.prev_hash,
          }),
        ),
      ).toBe(e.hash);
      prev = e.hash;
    }
    const [head] = await ds.query(`SELECT seq::int, hash FROM ledger.chain_heads WHERE chain = $1`, [j.chain]);
    expect(head).toEqual({ seq: j.seq + 4, hash: prev });
  });
});
