import {
  entryRecord,
  genesisHash,
  hashField,
  journalRecord,
  microsFromUtcText,
  sha256Text,
  type EntryHashFields,
  type JournalHashFields,
} from './chain-hash.js';

const JOURNAL: JournalHashFields = {
  chain: 3,
  seq: 41,
  commandType: 'transit.tap',
  commandId: 'tap-001',
  context: 'transit',
  terminalId: 'TJ-TIANJIN-G03',
  actor: null,
  decision: 'ALLOW',
  reasonCode: null,
  ruleSetId: 'transit.fares',
  ruleVersion: 2,
  payloadHash: 'a'.repeat(64),
  subject: '12000000001',
  reverses: null,
  regions: ['11', '12'],
  legs: 1,
  eventTimeUs: '1772409600123000',
  committedAtUs: '1772409600456000',
  prevHash: 'b'.repeat(64),
};

const ENTRY: EntryHashFields = {
  chain: 3,
  seq: 42,
  commandType: 'transit.tap',
  commandId: 'tap-001',
  leg: 0,
  accountCode: 'card:12000000001:transit',
  shard: 0,
  amount: -5450,
  balanceBefore: 10000,
  balanceAfter: 4550,
  accountVersion: 7,
  eventTimeUs: '1772409600123000',
  committedAtUs: '1772409600456000',
  prevHash: 'c'.repeat(64),
};

describe('chain-hash canonical encoding', () => {
  it('escapes the separator and the escape character inside a field, and nothing else', () => {
    expect(hashField('a|b')).toBe('a\\|b');
    expect(hashField('a\\b')).toBe('a\\\\b');
    expect(hashField('\\|')).toBe('\\\\\\|');
    expect(hashField('||')).toBe('\\|\\|');
    expect(hashField('天津|北京')).toBe('天津\\|北京');
    expect(hashField('plain-text_1.2')).toBe('plain-text_1.2');
    expect(hashField('')).toBe('');
    expect(hashField(null)).toBe('');
    expect(hashField(undefined)).toBe('');
    expect(hashField(-5450)).toBe('-5450');
  });

  it('keeps fields apart: moving a separator between two fields changes the record', () => {
    const a = journalRecord({ ...JOURNAL, terminalId: 'a|b', actor: 'c' });
    const b = journalRecord({ ...JOURNAL, terminalId: 'a', actor: 'b|c' });
    expect(a).not.toBe(b);
    const c = journalRecord({ ...JOURNAL, terminalId: 'a\\', actor: '|c' });
    const d = journalRecord({ ...JOURNAL, terminalId: 'a', actor: '\\|c' });
    expect(c).not.toBe(d);
    // An absent field and an empty one encode alike (both are empty): the schema never stores ''.
    expect(journalRecord({ ...JOURNAL, actor: null })).toBe(journalRecord({ ...JOURNAL, actor: '' }));
  });

  it('encodes a journal record field by field, ending with the previous hash', () => {
    expect(journalRecord(JOURNAL)).toBe(
      `J|3|41|transit.tap|tap-001|transit|TJ-TIANJIN-G03||ALLOW||transit.fares|2|${'a'.repeat(64)}|12000000001||11,12|1|1772409600123000|1772409600456000|${'b'.repeat(64)}`,
    );
    expect(journalRecord({ ...JOURNAL, regions: [] })).toContain('||1|1772409600123000');
  });

  it('encodes an entry record field by field, ending with the previous hash', () => {
    expect(entryRecord(ENTRY)).toBe(
      `E|3|42|transit.tap|tap-001|0|card:12000000001:transit|0|-5450|10000|4550|7|1772409600123000|1772409600456000|${'c'.repeat(64)}`,
    );
  });

  it('changes the hash when any hashed field changes', () => {
    const base = sha256Text(entryRecord(ENTRY));
    for (const change of [
      { amount: -5451 },
      { balanceAfter: 4551 },
      { accountVersion: 8 },
      { shard: 1 },
      { prevHash: 'd'.repeat(64) },
      { committedAtUs: '1772409600456001' },
    ]) {
      expect(sha256Text(entryRecord({ ...ENTRY, ...change }))).not.toBe(base);
    }
  });

  it('hashes UTF-8 and starts each chain from its own genesis', () => {
    expect(sha256Text('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Text('天津')).toBe(sha256Text(Buffer.from('天津', 'utf8').toString()));
    expect(genesisHash(0)).toBe(sha256Text('onecard-ledger-genesis|0'));
    expect(genesisHash(0)).not.toBe(genesisHash(1));
  });

  it("reads PostgreSQL's UTC text of a timestamptz as integer microseconds", () => {
    const ms = Date.parse('2026-03-02T00:00:00.789Z');
    expect(microsFromUtcText('2026-03-02 00:00:00.789+00')).toBe(String(ms * 1000));
    expect(microsFromUtcText('2026-03-02 00:00:00.789123+00')).toBe(String(ms * 1000 + 123));
    expect(microsFromUtcText('2026-03-02 00:00:00.5+00')).toBe(String(Date.parse('2026-03-02T00:00:00.5Z') * 1000));
    expect(microsFromUtcText('2026-03-02 00:00:00+00')).toBe(String(Date.parse('2026-03-02T00:00:00Z') * 1000));
    expect(() => microsFromUtcText('2026-03-02 08:00:00+08')).toThrow(/UTC/);
    expect(() => microsFromUtcText('Mon Mar 02 2026')).toThrow(/ISO/);
  });
});
