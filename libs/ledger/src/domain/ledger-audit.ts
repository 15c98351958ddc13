import {
  contentDigestV2,
  entryRecord,
  genesisHash,
  journalRecord,
  recordHashV2,
  sha256Text,
  type EntryHashFields,
  type JournalHashFields,
} from './chain-hash.js';

/**
 * The checks an auditor runs over the ledger, as plain TypeScript fed with raw rows (ADR 0003,
 * "Verification"). Every hash is recomputed here from the stored columns, so neither a changed
 * database function nor a rewritten hash column can vouch for itself. Rows arrive per chain in
 * sequence order (journal records and entries merged); balance rows arrive afterwards.
 */
export type LedgerTable = 'journal' | 'entries' | 'balances' | 'chain_heads';

export type LedgerCheck =
  /** Sequence numbers on a chain run 1, 2, 3, … without gap or repeat. */
  | 'sequence'
  /** A record's prev_hash is the stored hash of the record before it (or the chain's genesis). */
  | 'prev-hash'
  /** A record's stored hash is the SHA-256 of its canonical encoding. */
  | 'hash'
  /** The recomputed hash at a (chain, seq) of an earlier digest is the digest's hash. */
  | 'digest'
  /** The chain head row names the last record of its chain and its hash. */
  | 'head'
  /** A journal record is followed by exactly its 2 × legs entries, of the same command and times. */
  | 'group'
  /** Each leg is one debit (negative) then one credit of the same amount, legs numbered 0, 1, … */
  | 'leg'
  /** An entry's balance_after is balance_before + amount. */
  | 'entry-arithmetic'
  /** A balance shard equals the sum of its entries. */
  | 'balance-sum'
  /** A balance shard's version is the number of its entries, and they are numbered 1 … n. */
  | 'balance-version'
  /** A balance shard equals the balance_after of its last entry. */
  | 'balance-last'
  /** Each entry's balance_before is the previous entry's balance_after on that shard. */
  | 'balance-chain'
  /** A NON_NEGATIVE account never went below zero. */
  | 'balance-rule'
  /** Balance rows and entries belong to an account, and agree with its rule, shards and region. */
  | 'balance-account';

export interface LedgerBreak {
  /** Where the break is: the chain and sequence number of the record (for balances, of the shard's last entry). */
  chain: number | null;
  seq: number | null;
  table: LedgerTable;
  check: LedgerCheck;
  expected: string;
  found: string;
  account?: string;
  shard?: number;
}

/**
 * A journal record as stored: the hashed fields and the hash (hex). Format 1 hashes the `|`-joined
 * fields with the stored previous hash; format 2 hashes a header and the canonical JSON of its
 * content, the response, the details and its entries' legs included (ADR 0003 "Hash formats").
 */
export interface JournalRow extends Omit<JournalHashFields, 'prevHash'> {
  format: 1 | 2;
  /** Stored for format 1 only (format 2: the hash of the record before it). */
  prevHash: string | null;
  hash: string;
  httpStatus: number;
  /** The stored response and details as their JSON text (format 2 hashes that text). */
  responseText: string;
  detailsText: string | null;
}

/**
 * A ledger entry as stored. A format 1 entry is hashed on its own and repeats its command and
 * times; a format 2 entry is covered by its record's hash and holds only leg, account, shard,
 * amount, balance after and version (its command, times and hashes are null).
 */
export interface EntryRow extends Omit<EntryHashFields, 'commandType' | 'commandId' | 'balanceBefore' | 'eventTimeUs' | 'committedAtUs' | 'prevHash'> {
  commandType: string | null;
  commandId: string | null;
  balanceBefore: number | null;
  eventTimeUs: string | null;
  committedAtUs: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface BalanceRow {
  accountCode: string;
  shard: number;
  shards: number;
  balanceRule: string;
  region: string | null;
  balance: number;
  version: number;
  /** The account row, or null if there is none. */
  account: { balanceRule: string; shards: number; region: string | null } | null;
}

/** One chain head as published in a digest. */
export interface DigestEntry {
  chain: number;
  seq: number;
  hash: string;
}

export interface ChainSummary {
  chain: number;
  /** Last sequence number found on the chain. */
  seq: number;
  /** Stored hash of the last record. */
  hash: string;
  records: number;
}

interface ChainState {
  chain: number;
  expectedSeq: number;
  prevHash: string;
  records: number;
  group: PendingGroup | null;
}

interface PendingGroup {
  seq: number;
  /** A format 2 record waiting for its entries to be hashed. */
  record: JournalRow | null;
  collected: [string, string, number][];
  commandType: string;
  commandId: string;
  legs: number;
  seen: number;
  debit: number;
  eventTimeUs: string;
  committedAtUs: string;
}

interface ShardTally {
  count: number;
  sum: number;
  maxVersion: number;
  lastAfter: number;
  lastChain: number;
  lastSeq: number;
  minAfter: number;
  versionSum: number;
  beforeSum: number;
  afterSum: number;
}

/** A prime modulus for order-free checksums that stay exact in doubles. */
const P = 2_147_483_647;
const mod = (x: number): number => ((x % P) + P) % P;

export class LedgerAudit {
  readonly breaks: LedgerBreak[] = [];
  breakCount = 0;
  checkedJournal = 0;
  checkedEntries = 0;
  checkedBalances = 0;
  readonly chains: ChainSummary[] = [];

  private readonly digest = new Map<number, DigestEntry>();
  /** Per account, per shard: what its entries add up to. */
  private readonly tallies = new Map<string, ShardTally[]>();
  private readonly states = new Map<number, ChainState>();
  /** The chain being fed; several chains may be open at once (the verifier interleaves them). */
  private s: ChainState = { chain: -1, expectedSeq: 1, prevHash: '', records: 0, group: null };
  private found = 0;
  private readonly order = new WeakMap<LedgerBreak, number>();

  constructor(opts: { digest?: readonly DigestEntry[]; maxBreaks?: number } = {}) {
    for (const d of opts.digest ?? []) this.digest.set(d.chain, d);
    this.maxBreaks = opts.maxBreaks ?? 100;
  }

  private readonly maxBreaks: number;

  get ok(): boolean {
    return this.breakCount === 0;
  }

  get firstBreak(): LedgerBreak | undefined {
    return this.breaks[0];
  }

  /** Chains the digest names that the ledger does not have at all. */
  checkDigestChains(chains: readonly number[]): void {
    for (const d of this.digest.values()) {
      if (!chains.includes(d.chain))
        this.report({ chain: d.chain, seq: d.seq, table: 'chain_heads', check: 'digest', expected: d.hash, found: 'no such chain' });
    }
  }

  startChain(chain: number): void {
    this.s = { chain, expectedSeq: 1, prevHash: genesisHash(chain), records: 0, group: null };
    this.states.set(chain, this.s);
    const d = this.digest.get(chain);
    if (d && d.seq === 0 && d.hash !== this.s.prevHash) {
      this.report({ chain, seq: 0, table: 'chain_heads', check: 'digest', expected: d.hash, found: this.s.prevHash });
    }
  }

  /** Continue feeding a chain started earlier. */
  selectChain(chain: number): void {
    const s = this.states.get(chain);
    if (!s) throw new Error(`chain ${chain} was not started`);
    this.s = s;
  }

  journal(row: JournalRow): void {
    this.checkedJournal++;
    if (this.s.group) this.closeGroup(row.seq);
    this.link(row, 'journal');
    if (row.format === 1) this.seal(row, 'journal', sha256Text(journalRecord({ ...row, prevHash: row.prevHash ?? '' })));
    else if (row.legs === 0) this.sealV2(row, []);
    if (row.decision !== 'ALLOW' && row.legs > 0) {
      this.report({ chain: row.chain, seq: row.seq, table: 'journal', check: 'group', expected: 'a DENY moves no money', found: `${row.legs} legs` });
    }
    if (row.legs > 0) {
      this.s.group = {
        seq: row.seq,
        record: row.format === 2 ? row : null,
        collected: [],
        commandType: row.commandType,
        commandId: row.commandId,
        legs: row.legs,
        seen: 0,
        debit: 0,
        eventTimeUs: row.eventTimeUs,
        committedAtUs: row.committedAtUs,
      };
    }
  }

  entry(row: EntryRow): void {
    this.checkedEntries++;
    this.link(row, 'entries');
    if (row.hash !== null) this.seal(row as EntryRow & { hash: string }, 'entries', sha256Text(entryRecord(row as unknown as EntryHashFields)));
    this.checkGroup(row);
    if (row.balanceBefore !== null && row.balanceAfter !== row.balanceBefore + row.amount) {
      this.report({
        chain: row.chain,
        seq: row.seq,
        table: 'entries',
        check: 'entry-arithmetic',
        expected: String(row.balanceBefore + row.amount),
        found: String(row.balanceAfter),
        account: row.accountCode,
        shard: row.shard,
      });
    }
    this.tally(row);
  }

  /** The chain is read to its end: compare with its head row. */
  endChain(head: { seq: number; hash: string } | null): void {
    const s = this.s;
    const lastSeq = s.expectedSeq - 1;
    if (s.group) this.closeGroup(lastSeq + 1);
    if (!head) {
      this.report({ chain: s.chain, seq: lastSeq, table: 'chain_heads', check: 'head', expected: `head at seq ${lastSeq}`, found: 'no head row' });
    } else if (head.seq !== lastSeq || head.hash !== s.prevHash) {
      this.report({
        chain: s.chain,
        seq: head.seq,
        table: 'chain_heads',
        check: 'head',
        expected: `${lastSeq}:${s.prevHash}`,
        found: `${head.seq}:${head.hash}`,
      });
    }
    const d = this.digest.get(s.chain);
    if (d && d.seq > lastSeq) {
      this.report({ chain: s.chain, seq: d.seq, table: 'chain_heads', check: 'digest', expected: d.hash, found: `chain ends at seq ${lastSeq}` });
    }
    this.chains.push({ chain: s.chain, seq: lastSeq, hash: s.prevHash, records: s.records });
    this.chains.sort((a, b) => a.chain - b.chain);
  }

  balance(row: BalanceRow): void {
    this.checkedBalances++;
    const shards = this.tallies.get(row.accountCode);
    const t = shards?.[row.shard];
    if (shards && t) {
      delete shards[row.shard];
      if (!shards.some(Boolean)) this.tallies.delete(row.accountCode);
    }
    const at = { chain: t?.lastChain ?? null, seq: t?.lastSeq ?? null, table: 'balances' as const, account: row.accountCode, shard: row.shard };
    const a = row.account;
    if (!a) {
      this.report({ ...at, check: 'balance-account', expected: 'an account row', found: 'none' });
    } else if (a.balanceRule !== row.balanceRule || a.shards !== row.shards || a.region !== row.region || row.shard >= a.shards) {
      this.report({
        ...at,
        check: 'balance-account',
        expected: `${a.balanceRule}/${a.shards}/${a.region ?? '-'} (shard < ${a.shards})`,
        found: `${row.balanceRule}/${row.shards}/${row.region ?? '-'} (shard ${row.shard})`,
      });
    }
    const count = t?.count ?? 0;
    const sum = t?.sum ?? 0;
    if (row.balance !== sum) this.report({ ...at, check: 'balance-sum', expected: String(sum), found: String(row.balance) });
    if (row.version !== count) this.report({ ...at, check: 'balance-version', expected: String(count), found: String(row.version) });
    if (!t) return;
    const versionSum = Number(((BigInt(count) * BigInt(count + 1)) / 2n) % BigInt(P));
    if (t.maxVersion !== count || t.versionSum !== versionSum) {
      this.report({
        ...at,
        check: 'balance-version',
        expected: `versions 1..${count}`,
        found: `max ${t.maxVersion}, checksum ${t.versionSum} (want ${versionSum})`,
      });
    }
    if (t.lastAfter !== row.balance) this.report({ ...at, check: 'balance-last', expected: String(row.balance), found: String(t.lastAfter) });
    // Σ before over versions 1..n = Σ after over versions 1..n-1 when every entry starts where the last one ended.
    if (t.beforeSum !== mod(t.afterSum - t.lastAfter)) {
      this.report({ ...at, check: 'balance-chain', expected: 'each balance_before equal to the previous balance_after', found: 'a mismatch' });
    }
    if (row.balanceRule === 'NON_NEGATIVE' && t.minAfter < 0) {
      this.report({ ...at, check: 'balance-rule', expected: '>= 0', found: String(t.minAfter) });
    }
  }

  /** Entries on shards that have no balance row; then the breaks in ledger order. */
  finish(): void {
    for (const [account, shards] of this.tallies) {
      shards.forEach((t, shard) => {
        if (!t) return;
        this.report({
          chain: t.lastChain,
          seq: t.lastSeq,
          table: 'entries',
          check: 'balance-account',
          expected: 'a balance row',
          found: 'none',
          account,
          shard,
        });
      });
    }
    this.tallies.clear();
    // Chains may have been read interleaved: list chain breaks by (chain, seq), then the rest as found.
    const rank = (b: LedgerBreak) => (b.table === 'balances' || b.check.startsWith('balance-') ? 1 : 0);
    this.breaks.sort(
      (a, b) =>
        rank(a) - rank(b) || (rank(a) === 0 ? (a.chain ?? 0) - (b.chain ?? 0) || (a.seq ?? 0) - (b.seq ?? 0) : 0) || this.order.get(a)! - this.order.get(b)!,
    );
  }

  private link(row: { chain: number; seq: number; prevHash: string | null; hash: string | null; format?: number }, table: LedgerTable): void {
    const s = this.s;
    s.records++;
    if (row.chain !== s.chain) {
      this.report({ chain: row.chain, seq: row.seq, table, check: 'sequence', expected: `chain ${s.chain}`, found: `chain ${row.chain}` });
    }
    if (row.seq !== s.expectedSeq) {
      this.report({ chain: row.chain, seq: row.seq, table, check: 'sequence', expected: String(s.expectedSeq), found: String(row.seq) });
    }
    s.expectedSeq = row.seq + 1;
    // A format 2 record does not store its previous hash (it is hashed with it); its entries are not chained.
    const chained = table === 'journal' ? row.format === 1 : row.hash !== null;
    if (chained && row.prevHash !== s.prevHash) {
      this.report({ chain: row.chain, seq: row.seq, table, check: 'prev-hash', expected: s.prevHash, found: row.prevHash ?? '(none)' });
    }
  }

  /** A format 2 record, once its entries are known: its content digest and hash recomputed from the stored columns. */
  private sealV2(row: JournalRow, legs: [string, string, number][]): void {
    const digest = contentDigestV2({ ...row, legs });
    const computed = recordHashV2(Buffer.from(this.s.prevHash, 'hex'), row, digest).toString('hex');
    this.seal(row, 'journal', computed, row.seq + 2 * row.legs);
  }

  /** Compares a record's hash with the one recomputed; `lastSeq`: the last position it seals (a format 2 record seals its entries). */
  private seal(row: { chain: number; seq: number; hash: string }, table: LedgerTable, computed: string, lastSeq = row.seq): void {
    if (computed !== row.hash) this.report({ chain: row.chain, seq: row.seq, table, check: 'hash', expected: computed, found: row.hash });
    const d = this.digest.get(row.chain);
    if (d && d.seq >= row.seq && d.seq <= lastSeq && d.hash !== computed) {
      this.report({ chain: row.chain, seq: d.seq, table, check: 'digest', expected: d.hash, found: computed });
    }
    // Link the next record to the stored hash, so one altered record is reported once, not at every later one.
    this.s.prevHash = row.hash;
  }

  private checkGroup(row: EntryRow): void {
    const g = this.s.group;
    if (!g) {
      this.report({
        chain: row.chain,
        seq: row.seq,
        table: 'entries',
        check: 'group',
        expected: 'an entry of the journal record before it',
        found: 'no open group',
      });
      return;
    }
    const index = g.seen++;
    const leg = Math.floor(index / 2);
    const at = { chain: row.chain, seq: row.seq, table: 'entries' as const, account: row.accountCode, shard: row.shard };
    if (g.record === null && (row.commandType !== g.commandType || row.commandId !== g.commandId)) {
      this.report({ ...at, check: 'group', expected: `${g.commandType}:${g.commandId}`, found: `${row.commandType}:${row.commandId}` });
    }
    if (g.record === null && (row.eventTimeUs !== g.eventTimeUs || row.committedAtUs !== g.committedAtUs)) {
      this.report({ ...at, check: 'group', expected: `times ${g.eventTimeUs}/${g.committedAtUs}`, found: `${row.eventTimeUs}/${row.committedAtUs}` });
    }
    if (g.record !== null && row.hash !== null) {
      this.report({ ...at, check: 'group', expected: 'an entry of a format 2 record (not hashed on its own)', found: 'a hashed entry' });
    }
    if (row.leg !== leg) this.report({ ...at, check: 'leg', expected: `leg ${leg}`, found: `leg ${row.leg}` });
    if (index % 2 === 0) {
      if (!(row.amount < 0)) this.report({ ...at, check: 'leg', expected: 'a debit (amount < 0)', found: String(row.amount) });
      g.debit = row.amount;
      g.collected.push([row.accountCode, '', -row.amount]);
    } else {
      if (row.amount !== -g.debit || !(row.amount > 0)) this.report({ ...at, check: 'leg', expected: `a credit of ${-g.debit}`, found: String(row.amount) });
      const leg = g.collected[g.collected.length - 1];
      if (leg) leg[1] = row.accountCode;
    }
    if (g.seen === 2 * g.legs) {
      this.s.group = null;
      if (g.record) this.sealV2(g.record, g.collected);
    }
  }

  private closeGroup(atSeq: number): void {
    const g = this.s.group!;
    this.report({
      chain: this.s.chain,
      seq: g.seq,
      table: 'journal',
      check: 'group',
      expected: `${2 * g.legs} entries after seq ${g.seq}`,
      found: `${g.seen} before seq ${atSeq}`,
    });
    this.s.group = null;
    if (g.record) this.sealV2(g.record, g.collected);
  }

  private tally(row: EntryRow): void {
    let shards = this.tallies.get(row.accountCode);
    if (!shards) {
      shards = [];
      this.tallies.set(row.accountCode, shards);
    }
    let t = shards[row.shard];
    if (!t) {
      t = { count: 0, sum: 0, maxVersion: 0, lastAfter: 0, lastChain: row.chain, lastSeq: row.seq, minAfter: 0, versionSum: 0, beforeSum: 0, afterSum: 0 };
      shards[row.shard] = t;
    }
    t.count++;
    t.sum += row.amount;
    if (row.accountVersion > t.maxVersion) {
      t.maxVersion = row.accountVersion;
      t.lastAfter = row.balanceAfter;
      t.lastChain = row.chain;
      t.lastSeq = row.seq;
    }
    if (row.balanceAfter < t.minAfter) t.minAfter = row.balanceAfter;
    t.versionSum = (t.versionSum + mod(row.accountVersion)) % P;
    t.beforeSum = (t.beforeSum + mod(row.balanceBefore ?? row.balanceAfter - row.amount)) % P;
    t.afterSum = (t.afterSum + mod(row.balanceAfter)) % P;
  }

  private report(b: LedgerBreak): void {
    this.breakCount++;
    if (this.breaks.length < this.maxBreaks) {
      this.order.set(b, this.found++);
      this.breaks.push(b);
    }
  }
}
