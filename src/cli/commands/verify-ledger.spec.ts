import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDigest, summary } from './verify-ledger.js';

describe('verify-ledger command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-ledger-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const head = { chain: 1, seq: 7, hash: 'a'.repeat(64), at: '2026-03-02T00:00:00.000Z' };

  it('reads a digest as GET /v1/admin/ledger/digest gives it, or as POSTed', () => {
    expect(readDigest(file('a.json', JSON.stringify([head])))).toEqual([{ chain: 1, seq: 7, hash: 'a'.repeat(64) }]);
    expect(readDigest(file('b.json', JSON.stringify({ digest: [head] })))).toEqual([{ chain: 1, seq: 7, hash: 'a'.repeat(64) }]);
  });

  it('names what is wrong with a bad digest file', () => {
    expect(() => readDigest(file('c.json', '{'))).toThrow(/cannot read digest/);
    expect(() => readDigest(file('d.json', JSON.stringify([{ ...head, hash: 'XY' }])))).toThrow(/0\.hash/);
    expect(() => readDigest(file('e.json', '[]'))).toThrow(/not a ledger digest/);
    expect(() => readDigest(join(dir, 'missing.json'))).toThrow(/cannot read digest/);
  });

  it('summarises a broken ledger with its first break', () => {
    const lines = summary({
      ok: false,
      checkedEntries: 10,
      checkedJournal: 5,
      checkedBalances: 3,
      chains: [],
      digestChecked: 0,
      breaks: [],
      breakCount: 1,
      firstBreak: { chain: 2, seq: 9, table: 'entries', check: 'hash', expected: 'x', found: 'y' },
      asOf: '2026-03-02T00:00:00Z',
      durationMs: 10,
      entriesPerSecond: 1000,
    });
    expect(lines[0]).toMatch(/^BROKEN: 10 entries/);
    expect(lines).toContain('  chain 2 seq 9 entries hash: expected x, found y');
  });
});
