import { contentDigestV2, entryRecord, genesisHash, journalRecord, recordHashV2, sha256Text, type EntryHashFields } from './chain-hash.js';
import { LedgerAudit, type BalanceRow, type EntryRow, type JournalRow } from './ledger-audit.js';

const v1 = (j: JournalRow) => journalRecord({ ...j, prevHash: j.prevHash! });

/** A tiny valid ledger built in memory: one chain, a top-up and a fare. */
function build() {
  const chain = 0;
  const rows: (({ t: 'J' } & JournalRow) | ({ t: 'E' } & EntryRow))[] = [];
  let seq = 0;
  let prev = genesisHash(chain);
  const times = { eventTimeUs: '1772409600000000', committedAtUs: '1772409600001000' };
  const balances = new Map<string, { balance: number; version: number }>();
  const group = (id: string, legs: [string, string, number][]) => {
    const j: JournalRow = {
      chain,
      seq: ++seq,
      commandType: 'test.transfer',
      commandId: id,
      context: 'test',
      terminalId: null,
      actor: null,
      decision: 'ALLOW',
      reasonCode: null,
      ruleSetId: null,
      ruleVersion: null,
      payloadHash: 'a'.repeat(64),
      subject: null,
      reverses: null,
      regions: [],
      legs: legs.length,
      ...times,
      prevHash: prev,
      hash: '',
      format: 1,
      httpStatus: 200,
      responseText: '{}',
      detailsText: null,
    };
    j.hash = sha256Text(v1(j));
    prev = j.hash;
    rows.push({ t: 'J', ...j });
    legs.forEach(([from, to, amount], leg) => {
      for (const [code, amt] of [
        [from, -amount],
        [to, amount],
      ] as const) {
        const b = balances.get(code) ?? { balance: 0, version: 0 };
        const e: EntryRow = {
          chain,
          seq: ++seq,
          commandType: 'test.transfer',
          commandId: id,
          leg,
          accountCode: code,
          shard: 0,
          amount: amt,
          balanceBefore: b.balance,
          balanceAfter: b.balance + amt,
          accountVersion: b.version + 1,
          ...times,
          prevHash: prev,
          hash: '',
        };
        e.hash = sha256Text(entryRecord(e as EntryHashFields));
        prev = e.hash;
        balances.set(code, { balance: e.balanceAfter, version: e.accountVersion });
        rows.push({ t: 'E', ...e });
      }
    });
  };
  group('top-up', [['external:bank', 'card:A:transit', 1000]]);
  group('fare', [['card:A:transit', 'operator:rail:revenue', 300]]);
  const rule = (code: string) => (code.startsWith('card:') ? 'NON_NEGATIVE' : 'UNBOUNDED');
  const balanceRows: BalanceRow[] = [...balances].map(([code, b]) => ({
    accountCode: code,
    shard: 0,
    shards: 1,
    balanceRule: rule(code),
    region: '12',
    balance: b.balance,
    version: b.version,
    account: { balanceRule: rule(code), shards: 1, region: '12' },
  }));
  return { rows, balanceRows, head: { seq, hash: prev } };
}

function run(
  ledger: ReturnType<typeof build>,
  opts: { digest?: { chain: number; seq: number; hash: string }[]; head?: { seq: number; hash: string } | null } = {},
): LedgerAudit {
  const audit = new LedgerAudit({ digest: opts.digest });
  audit.checkDigestChains([0]);
  audit.startChain(0);
  for (const r of ledger.rows) {
    if (r.t === 'J') audit.journal(r);
    else audit.entry(r);
  }
  audit.endChain(opts.head === undefined ? ledger.head : opts.head);
  for (const b of ledger.balanceRows) audit.balance(b);
  audit.finish();
  return audit;
}

const checks = (a: LedgerAudit) => a.breaks.map((b) => `${b.table}:${b.check}@${b.seq}`);

describe('LedgerAudit', () => {
  it('passes an intact ledger and counts what it checked', () => {
    const audit = run(build());
    expect(audit.breaks).toEqual([]);
    expect(audit.ok).toBe(true);
    expect([audit.checkedJournal, audit.checkedEntries, audit.checkedBalances]).toEqual([2, 4, 3]);
    expect(audit.chains).toEqual([{ chain: 0, seq: 6, hash: build().head.hash, records: 6 }]);
  });

  it('reports a changed field as a hash break at that record only', () => {
    const l = build();
    const e = l.rows[2] as EntryRow; // the top-up's credit
    e.accountCode = 'card:B:transit';
    l.balanceRows.push({
      accountCode: 'card:B:transit',
      shard: 0,
      shards: 1,
      balanceRule: 'NON_NEGATIVE',
      region: '12',
      balance: 1000,
      version: 1,
      account: { balanceRule: 'NON_NEGATIVE', shards: 1, region: '12' },
    });
    const audit = run(l);
    expect(audit.firstBreak).toMatchObject({ chain: 0, seq: 3, table: 'entries', check: 'hash' });
    expect(checks(audit).filter((c) => c.includes(':hash@'))).toEqual(['entries:hash@3']);
  });

  it('reports a re-sealed record by the broken link to the next one', () => {
    const l = build();
    const j = l.rows[3] as JournalRow;
    j.terminalId = 'FORGED';
    j.hash = sha256Text(v1(j));
    expect(checks(run(l))).toEqual(['entries:prev-hash@5']);
  });

  it('reports gaps and repeats in the sequence', () => {
    const l = build();
    l.rows.splice(4, 1); // the fare's debit entry is gone
    const audit = run(l);
    // Listed in ledger order: the group that lost an entry (seq 4) comes first.
    expect(audit.breaks[0]).toMatchObject({ seq: 4, table: 'journal', check: 'group' });
    expect(audit.breaks.find((b) => b.check === 'sequence')).toMatchObject({ seq: 6, table: 'entries', expected: '5', found: '6' });
    expect(checks(audit)).toContain('entries:prev-hash@6');
    expect(checks(audit)).toContain('entries:leg@6');
  });

  it('reports a group with missing entries, an entry without a group, and a DENY that moves money', () => {
    const l = build();
    const [first] = l.rows as JournalRow[];
    first!.legs = 2;
    first!.hash = sha256Text(v1(first!));
    const audit = run(l);
    expect(checks(audit)).toContain('journal:group@1');
    const deny = build();
    const fare = deny.rows[3] as JournalRow;
    fare.decision = 'DENY';
    expect(checks(run(deny))).toContain('journal:group@4');
    const orphan = build();
    orphan.rows.splice(0, 1); // the top-up's journal record is gone: its entries belong to nothing
    expect(checks(run(orphan))).toEqual(expect.arrayContaining(['entries:sequence@2', 'entries:group@2', 'entries:group@3']));
  });

  it('reports legs that do not pair one debit with one equal credit', () => {
    const l = build();
    const credit = l.rows[2] as EntryRow;
    credit.amount = 999;
    credit.balanceAfter = 999;
    const audit = run(l);
    expect(checks(audit)).toEqual(expect.arrayContaining(['entries:hash@3', 'entries:leg@3']));
  });

  it('reports entry arithmetic, balance sums, versions, last balance and the balance chain', () => {
    const l = build();
    (l.rows[5] as EntryRow).balanceAfter += 1; // revenue credit: after != before + amount
    const audit = run(l);
    expect(checks(audit)).toEqual(expect.arrayContaining(['entries:entry-arithmetic@6', 'balances:balance-last@6']));

    const moved = build();
    moved.balanceRows.find((b) => b.accountCode === 'card:A:transit')!.balance += 5;
    moved.balanceRows.find((b) => b.accountCode === 'card:A:transit')!.version += 1;
    const broken = run(moved);
    expect(broken.breaks.map((b) => b.check)).toEqual(['balance-sum', 'balance-version', 'balance-last']);
    expect(broken.breaks[0]).toMatchObject({ table: 'balances', account: 'card:A:transit', expected: '700', found: '705', seq: 5 });

    const skipped = build();
    (skipped.rows[4] as EntryRow).balanceBefore = 1; // the card's second entry does not start where the first ended
    (skipped.rows[4] as EntryRow).balanceAfter = -299;
    expect(run(skipped).breaks.map((b) => b.check)).toEqual(expect.arrayContaining(['balance-chain', 'balance-rule']));
  });

  it('reports balance rows that disagree with their account or have none, and entries with no balance row', () => {
    const l = build();
    l.balanceRows[0]!.region = '13';
    l.balanceRows[1]!.account = null;
    const removed = l.balanceRows.pop()!;
    const audit = run(l);
    expect(audit.breaks.map((b) => [b.table, b.check, b.account])).toEqual([
      ['balances', 'balance-account', l.balanceRows[0]!.accountCode],
      ['balances', 'balance-account', l.balanceRows[1]!.accountCode],
      ['entries', 'balance-account', removed.accountCode],
    ]);
  });

  it('compares the chain head and an earlier digest', () => {
    const l = build();
    expect(checks(run(l, { head: { seq: 5, hash: l.head.hash } }))).toEqual(['chain_heads:head@5']);
    expect(checks(run(l, { head: null }))).toEqual(['chain_heads:head@6']);
    const journal = l.rows[3] as JournalRow;
    expect(run(l, { digest: [{ chain: 0, seq: 4, hash: journal.hash }] }).ok).toBe(true);
    expect(checks(run(l, { digest: [{ chain: 0, seq: 4, hash: 'f'.repeat(64) }] }))).toEqual(['journal:digest@4']);
    expect(checks(run(l, { digest: [{ chain: 0, seq: 0, hash: 'f'.repeat(64) }] }))).toEqual(['chain_heads:digest@0']);
    expect(checks(run(l, { digest: [{ chain: 0, seq: 9, hash: 'f'.repeat(64) }] }))).toEqual(['chain_heads:digest@9']);
    expect(checks(run(l, { digest: [{ chain: 7, seq: 1, hash: 'f'.repeat(64) }] }))).toEqual(['chain_heads:digest@1']);
  });

  it('keeps the first breaks and counts them all', () => {
    const audit = new LedgerAudit({ maxBreaks: 2 });
    audit.startChain(0);
    audit.endChain({ seq: 1, hash: 'x' });
    audit.endChain({ seq: 2, hash: 'x' });
    audit.endChain({ seq: 3, hash: 'x' });
    expect(audit.breaks).toHaveLength(2);
    expect(audit.breakCount).toBe(3);
  });
});

/**
 * Format 2 (ADR 0003 "Hash formats"): a record hashed with its content digest, its entries not
 * hashed on their own, on a chain that continues a format 1 history.
 */
function buildV2() {
  const base = build(); // two format 1 groups first: the chain continues from their last hash
  const chain = 0;
  const rows = base.rows;
  let seq = base.head.seq;
  let prev = base.head.hash;
  const balances = new Map<string, { balance: number; version: number }>();
  for (const b of base.balanceRows) balances.set(b.accountCode, { balance: b.balance, version: b.version });
  const committedAtUs = '1772409600002000';
  const group = (id: string, legs: [string, string, number][], over: Partial<JournalRow> = {}) => {
    const j: JournalRow = {
      chain,
      seq: ++seq,
      format: 2,
      commandType: 'test.transfer',
      commandId: id,
      context: 'test',
      terminalId: 'GATE-1',
      actor: null,
      decision: 'ALLOW',
      reasonCode: null,
      ruleSetId: 'transit.jingjin',
      ruleVersion: 2,
      payloadHash: 'b'.repeat(64),
      subject: 'T00000001',
      reverses: null,
      regions: ['12'],
      legs: legs.length,
      eventTimeUs: '1772409600001500',
      committedAtUs,
      prevHash: null,
      hash: '',
      httpStatus: 200,
      responseText: JSON.stringify({ decision: 'ALLOW', fareFen: legs[0]?.[2] ?? 0 }),
      detailsText: JSON.stringify({ input: { '@': 'tapId=id' }, facts: { n: 1 }, outcome: {}, rule: 'r' }),
      ...over,
    };
    const digest = contentDigestV2({ ...j, legs });
    j.hash = recordHashV2(Buffer.from(prev, 'hex'), j, digest).toString('hex');
    prev = j.hash;
    rows.push({ t: 'J', ...j });
    seq += 2 * legs.length;
    legs.forEach(([from, to, amount], leg) => {
      [
        [from, -amount],
        [to, amount],
      ].forEach(([code, amt], side) => {
        const b = balances.get(code as string) ?? { balance: 0, version: 0 };
        const e: EntryRow = {
          chain,
          seq: j.seq + 1 + 2 * leg + side,
          commandType: null,
          commandId: null,
          leg,
          accountCode: code as string,
          shard: 0,
          amount: amt as number,
          balanceBefore: null,
          balanceAfter: b.balance + (amt as number),
          accountVersion: b.version + 1,
          eventTimeUs: null,
          committedAtUs: null,
          prevHash: null,
          hash: null,
        };
        balances.set(code as string, { balance: e.balanceAfter, version: e.accountVersion });
        rows.push({ t: 'E', ...e });
      });
    });
  };
  group('fare-2', [['card:A:transit', 'operator:rail:revenue', 200]]);
  group('deny-2', [], { decision: 'DENY', reasonCode: 'CARD_LOST', responseText: '{"decision":"DENY"}' });
  group('split-2', [
    ['card:A:transit', 'operator:rail:revenue', 100],
    ['external:bank', 'operator:rail:revenue', 50],
  ]);
  const rule = (code: string) => (code.startsWith('card:') ? 'NON_NEGATIVE' : 'UNBOUNDED');
  const balanceRows: BalanceRow[] = [...balances].map(([code, b]) => ({
    accountCode: code,
    shard: 0,
    shards: 1,
    balanceRule: rule(code),
    region: '12',
    balance: b.balance,
    version: b.version,
    account: { balanceRule: rule(code), shards: 1, region: '12' },
  }));
  return { rows, balanceRows, head: { seq, hash: prev } };
}

describe('LedgerAudit, hash format 2', () => {
  const record = (l: ReturnType<typeof buildV2>, id: string) => l.rows.find((r) => r.t === 'J' && r.commandId === id) as JournalRow;
  const entry = (l: ReturnType<typeof buildV2>, seq: number) => l.rows.find((r) => r.t === 'E' && r.seq === seq) as EntryRow;

  it('passes a chain that goes on from format 1 records to format 2 ones', () => {
    const l = buildV2();
    const audit = run(l);
    expect(audit.breaks).toEqual([]);
    expect([audit.checkedJournal, audit.checkedEntries]).toEqual([5, 10]);
    expect(audit.chains[0]).toMatchObject({ seq: 15, hash: l.head.hash });
  });

  it('reports a changed entry amount or account at the record that covers it', () => {
    const l = buildV2();
    const credit = entry(l, record(l, 'fare-2').seq + 2);
    credit.accountCode = 'operator:other:revenue';
    l.balanceRows.push({
      ...l.balanceRows[0]!,
      accountCode: 'operator:other:revenue',
      balance: 200,
      version: 1,
      balanceRule: 'UNBOUNDED',
      account: { balanceRule: 'UNBOUNDED', shards: 1, region: '12' },
    });
    expect(checks(run(l))).toContain(`journal:hash@${record(l, 'fare-2').seq}`);
  });

  it('reports a changed response, decision detail or region as a hash break', () => {
    for (const change of [
      (j: JournalRow) => (j.responseText = JSON.stringify({ decision: 'ALLOW', fareFen: 1 })),
      (j: JournalRow) => (j.detailsText = JSON.stringify({ input: {}, facts: { n: 2 }, outcome: {}, rule: 'r' })),
      (j: JournalRow) => (j.regions = ['11']),
      (j: JournalRow) => (j.terminalId = 'FORGED'),
    ]) {
      const l = buildV2();
      const j = record(l, 'split-2');
      change(j);
      expect(checks(run(l))).toEqual([`journal:hash@${j.seq}`]);
    }
  });

  it('hashes the stored JSON text byte for byte: a reordered key or an added space is a change', () => {
    const l = buildV2();
    const j = record(l, 'fare-2');
    j.responseText = `{"fareFen":200, "decision":"ALLOW"}`;
    expect(checks(run(l))).toEqual([`journal:hash@${j.seq}`]);
  });

  it('reports a re-sealed record by the hash of the next one, and a missing entry as a broken group', () => {
    const l = buildV2();
    const j = record(l, 'deny-2');
    j.terminalId = 'FORGED';
    const digest = contentDigestV2({ ...j, legs: [] });
    j.hash = recordHashV2(Buffer.from(record(l, 'fare-2').hash, 'hex'), j, digest).toString('hex');
    expect(checks(run(l))).toEqual([`journal:hash@${record(l, 'split-2').seq}`]);

    const gap = buildV2();
    const split = record(gap, 'split-2');
    gap.rows.splice(gap.rows.indexOf(entry(gap, split.seq + 3) as never), 1);
    expect(checks(run(gap))).toEqual(expect.arrayContaining([`journal:group@${split.seq}`]));
  });

  it('checks a digest taken at the head against the last record', () => {
    const l = buildV2();
    expect(run(l, { digest: [{ chain: 0, seq: l.head.seq, hash: l.head.hash }] }).ok).toBe(true);
    expect(checks(run(l, { digest: [{ chain: 0, seq: l.head.seq, hash: 'f'.repeat(64) }] }))).toEqual([`journal:digest@${l.head.seq}`]);
  });
});
