import { commandKey, type CommandExecutor } from '@onecard/engine';
import { balanceOf, createTestDatabase, openDataSource, openTestAccounts, testExecutor, transfer, type TestDatabase } from '@onecard/testing';
import { DataSource } from 'typeorm';
import { contentDigestV2, genesisHash, recordHashV2 } from '../domain/chain-hash.js';
import { LedgerReads } from '../ledger-reads.js';
import { LedgerDigest } from './ledger-digest.js';
import { LedgerVerifier } from './ledger-verifier.js';

const CARD = 'card:T00000001:transit';
const CARD2 = 'card:T00000002:transit';
const BANK = 'external:test-bank';
const RAIL = 'operator:test-rail:revenue';
const FUND = 'fund:12:test-pool';
const CLINIC = 'institution:TEST001:receivable';

describe('LedgerVerifier (real PostgreSQL)', () => {
  let db: TestDatabase;
  let service: DataSource;
  let superuser: DataSource;
  let executor: CommandExecutor;
  let verifier: LedgerVerifier;
  let digests: LedgerDigest;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await openDataSource(db.url, { asAppRole: true, max: 12 });
    superuser = await openDataSource(db.url, { max: 2 });
    executor = testExecutor(service);
    verifier = new LedgerVerifier(service);
    digests = new LedgerDigest(service);
    await openTestAccounts(executor);
    await transfer(executor, 'fund-1', [{ from: BANK, to: CARD, amount: 100_000 }]);
    await transfer(executor, 'fund-2', [{ from: BANK, to: CARD2, amount: 100_000 }]);
    for (let i = 0; i < 40; i++) {
      await transfer(executor, `busy-${i}`, [
        { from: i % 2 ? CARD : CARD2, to: RAIL, amount: 100 + i },
        ...(i % 5 === 0
          ? [
              { from: FUND, to: CLINIC, amount: 1000 },
              { from: CARD, to: CLINIC, amount: 7 },
            ]
          : []),
      ]);
    }
    await transfer(executor, 'too-much', [{ from: CARD, to: RAIL, amount: 10_000_000 }]); // a DENY
    await executor.run({
      envelope: { type: 'test.reverse', id: 'rev-busy-3', context: 'test', payload: {} },
      reads: { reversal: LedgerReads.reversal('test.transfer', 'busy-3') },
      decide: ({ reversal }) => ({ decision: 'ALLOW', response: {}, transfers: reversal!.legs, reverses: commandKey('test.transfer', 'busy-3') }),
    });
  });

  afterAll(async () => {
    await service?.destroy();
    await superuser?.destroy();
    await db?.drop();
  });

  it('passes on an intact ledger and counts every record, entry and balance shard', async () => {
    const progress: number[] = [];
    const result = await verifier.verify({ pageSize: 7, onProgress: (p) => progress.push(p.checked) });
    expect(result.breaks).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.firstBreak).toBeUndefined();
    const [counts] = await superuser.query(
      `SELECT (SELECT count(*) FROM ledger.journal)::int AS journal, (SELECT count(*) FROM ledger.entries)::int AS entries,
              (SELECT count(*) FROM ledger.balances)::int AS balances, (SELECT sum(seq) FROM ledger.chain_heads)::int AS records`,
    );
    expect(result).toMatchObject({ checkedJournal: counts.journal, checkedEntries: counts.entries, checkedBalances: counts.balances });
    expect(result.chains.reduce((s, c) => s + c.records, 0)).toBe(counts.records);
    expect(progress.at(-1)).toBe(counts.records);
  });

  it('passes on a busy ledger: one snapshot while writers keep posting', async () => {
    let stop = false;
    let posted = 0;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        await transfer(executor, `live-${w}-${i}`, [
          { from: BANK, to: w % 2 ? CARD : CARD2, amount: 5 },
          { from: CARD, to: RAIL, amount: 1 },
        ]);
        posted++;
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await verifier.verify({ pageSize: 50 }));
    stop = true;
    await Promise.all(writers);
    expect(posted).toBeGreaterThan(0);
    for (const r of results) expect(r.breaks).toEqual([]);
    expect((await verifier.verify()).ok).toBe(true);
  });

  it('reports a tampered amount (superuser, trigger disabled) at the record that covers it', async () => {
    const [victim] = await superuser.query(
      `SELECT chain, seq::int, journal_seq::int, account_code, amount::text FROM ledger.entry_journal WHERE command_id = 'busy-10' AND amount < 0 ORDER BY seq LIMIT 1`,
    );
    // The CHECK (after = before + amount) holds: the forger moves balance_after along with the amount.
    const forge = (d: number) =>
      superuser.transaction(async (m) => {
        await m.query(`ALTER TABLE ledger.entries DISABLE TRIGGER entries_append_only`);
        await m.query(`UPDATE ledger.entries SET amount = amount + $3, balance_after = balance_after + $3 WHERE chain = $1 AND seq = $2`, [
          victim.chain,
          victim.seq,
          d,
        ]);
        await m.query(`ALTER TABLE ledger.entries ENABLE TRIGGER entries_append_only`);
      });
    await forge(-1);
    try {
      const result = await verifier.verify();
      expect(result.ok).toBe(false);
      // A format 2 entry is covered by its record's hash: the record reports it.
      expect(result.firstBreak).toMatchObject({ chain: victim.chain, seq: victim.journal_seq, table: 'journal', check: 'hash' });
      expect(result.firstBreak!.expected).not.toBe(result.firstBreak!.found);
      const checks = result.breaks.map((b) => b.check);
      // The same change also breaks the leg, its account's balance and the next entry's balance before.
      expect(checks).toEqual(expect.arrayContaining(['leg', 'balance-sum', 'balance-chain']));
      expect(result.breaks.find((b) => b.check === 'balance-sum')).toMatchObject({ table: 'balances', account: victim.account_code });
    } finally {
      await forge(+1);
    }
    expect((await verifier.verify()).ok).toBe(true);
  });

  it('catches a full-chain rewrite (every later hash recomputed) against an earlier digest', async () => {
    const earlier = await digests.current();
    expect(earlier).toHaveLength(16);
    expect(earlier.every((d) => /^[0-9a-f]{64}$/.test(d.hash) && !Number.isNaN(Date.parse(d.at)))).toBe(true);
    await transfer(executor, 'after-digest', [{ from: BANK, to: CARD, amount: 1 }]);

    const [target] = await superuser.query(`SELECT chain, seq::int FROM ledger.journal WHERE command_id = 'busy-7'`);
    const mark = earlier.find((d) => d.chain === target.chain)!;
    expect(mark.seq).toBeGreaterThanOrEqual(target.seq);
    // An attacker with superuser rights changes who asked for busy-7 and re-seals the rest of the chain.
    await rewriteChain(target.chain, target.seq, `UPDATE ledger.journal SET terminal_id = 'FORGED' WHERE chain = ${target.chain} AND seq = ${target.seq}`);

    const alone = await verifier.verify();
    expect(alone.breaks).toEqual([]); // consistent with itself: only an outside record can tell

    const against = await verifier.verify({ digest: earlier.map(({ chain, seq, hash }) => ({ chain, seq, hash })) });
    expect(against.ok).toBe(false);
    expect(against.digestChecked).toBe(16);
    expect(against.firstBreak).toMatchObject({ chain: target.chain, seq: mark.seq, check: 'digest', expected: mark.hash });
    expect(against.breakCount).toBe(1);
  });

  it('reports a deleted entry as a sequence gap, a moved balance, and a digest that runs past the chain', async () => {
    const [e] = await superuser.query(`SELECT chain, seq::int FROM ledger.entry_journal WHERE command_id = 'busy-20' ORDER BY seq DESC LIMIT 1`);
    await tamper(`DELETE FROM ledger.entries WHERE chain = ${e.chain} AND seq = ${e.seq}`);
    await tamper(`UPDATE ledger.balances SET balance = balance + 100 WHERE account_code = '${CARD2}'`);
    const result = await verifier.verify({ digest: [{ chain: 0, seq: 1_000_000, hash: 'f'.repeat(64) }] });
    const byCheck = (check: string) => result.breaks.filter((b) => b.check === check);
    expect(byCheck('sequence')[0]).toMatchObject({ chain: e.chain, seq: e.seq + 1, expected: String(e.seq), found: String(e.seq + 1) });
    expect(byCheck('balance-sum').some((b) => b.account === CARD2)).toBe(true);
    expect(byCheck('digest')[0]).toMatchObject({ chain: 0, seq: 1_000_000, found: expect.stringMatching(/chain ends at seq/) });
  });

  async function tamper(sql: string): Promise<void> {
    // As superuser: replica mode skips every trigger (the append-only ones included).
    await superuser.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(sql);
    });
  }

  /** Applies `change`, then recomputes the hash of that record and of every later one on the chain (format 2). */
  async function rewriteChain(chain: number, fromSeq: number, change: string): Promise<void> {
    await superuser.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(change);
      const US = (c: string) => `(extract(epoch FROM ${c}) * 1000000)::bigint::text`;
      const journal = await m.query(
        `SELECT seq::int, command_type, command_id, context, terminal_id, actor, decision, reason_code, rule_set_id, rule_version,
                encode(payload_hash, 'hex') AS payload_hash, subject, reverses, regions, legs, ${US('event_time')} AS ev, ${US('committed_at')} AS co,
                http_status, response::text AS response, details::text AS details,
                (SELECT coalesce(json_agg(json_build_array(d.account_code, c.account_code, c.amount) ORDER BY d.seq), '[]')
                 FROM ledger.entries d JOIN ledger.entries c ON c.chain = d.chain AND c.seq = d.seq + 1
                 WHERE d.chain = j.chain AND d.seq > j.seq AND d.seq <= j.seq + 2 * j.legs AND d.amount < 0) AS legs_json
         FROM ledger.journal j WHERE chain = $1 AND seq >= $2 ORDER BY seq`,
        [chain, fromSeq],
      );
      const [prev] = await m.query(`SELECT encode(hash, 'hex') AS hash FROM ledger.journal WHERE chain = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1`, [
        chain,
        fromSeq,
      ]);
      let hash: Buffer = Buffer.from(prev?.hash ?? genesisHash(chain), 'hex');
      for (const r of journal) {
        const digest = contentDigestV2({
          commandType: r.command_type,
          commandId: r.command_id,
          context: r.context,
          terminalId: r.terminal_id,
          actor: r.actor,
          decision: r.decision,
          reasonCode: r.reason_code,
          ruleSetId: r.rule_set_id,
          ruleVersion: r.rule_version,
          payloadHash: r.payload_hash,
          subject: r.subject,
          reverses: r.reverses,
          eventTimeUs: r.ev,
          httpStatus: r.http_status,
          legs: r.legs_json,
          responseText: r.response,
          detailsText: r.details,
        });
        hash = recordHashV2(hash, { chain, seq: r.seq, committedAtUs: r.co, regions: r.regions }, digest);
        await m.query(`UPDATE ledger.journal SET hash = $3 WHERE chain = $1 AND seq = $2`, [chain, r.seq, hash]);
      }
      await m.query(`UPDATE ledger.chain_heads SET hash = $2 WHERE chain = $1`, [chain, hash]);
    });
    expect(await balanceOf(superuser, CARD)).toBeGreaterThan(0);
  }
});
