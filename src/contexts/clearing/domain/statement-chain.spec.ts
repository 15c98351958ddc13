import { sha256Hex } from '@onecard/kernel';
import { STATEMENT_GENESIS, statementHash, verifyStatementChain, type StatementRecord } from './statement-chain.js';

function chain(n: number): StatementRecord[] {
  const out: StatementRecord[] = [];
  let prev = STATEMENT_GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const body = JSON.stringify({ day: seq });
    const fields = {
      seq,
      statementId: `D-2026-03-0${seq}`,
      kind: 'DAY' as const,
      period: `2026-03-0${seq}`,
      closedAt: `2026-03-0${seq}T16:05:00.000Z`,
      closeCommand: `clearing.close-day:2026-03-0${seq}`,
      body,
      bodyHash: sha256Hex(body),
      prevHash: prev,
    };
    const r = { ...fields, hash: statementHash(fields) };
    out.push(r);
    prev = r.hash;
  }
  return out;
}

describe('statement chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyStatementChain(chain(3))).toBeNull();
    expect(verifyStatementChain([])).toBeNull();
  });

  it('names the first break: an edited body, a re-hashed record, a broken link, a gap', () => {
    const edited = chain(3);
    edited[1] = { ...edited[1]!, body: JSON.stringify({ day: 99 }) };
    expect(verifyStatementChain(edited)).toMatchObject({ seq: 2, check: 'BODY_HASH' });

    const resealed = chain(3);
    resealed[1] = { ...resealed[1]!, period: '2026-03-09' };
    expect(verifyStatementChain(resealed)).toMatchObject({ seq: 2, check: 'HASH' });

    const relinked = chain(3);
    relinked[2] = { ...relinked[2]!, prevHash: STATEMENT_GENESIS };
    expect(verifyStatementChain(relinked)).toMatchObject({ seq: 3, check: 'LINK' });

    const gap = chain(3);
    gap.splice(1, 1);
    expect(verifyStatementChain(gap)).toMatchObject({ seq: 3, check: 'SEQUENCE', expected: '2' });
  });
});
