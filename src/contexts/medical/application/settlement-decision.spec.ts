import type { RuleBook } from '@onecard/rules';
import { NO_ACCUMULATION } from '../domain/annual-accumulators.js';
import { catalogueData, policyData } from '../testing/medical-rule-data.js';
import { decideSettlement, decisionOutcome, settlementRefusal, type SettlementFacts, type SettlementInput } from './settlement-decision.js';
import { MedicalDecisionReplayer } from './replay/medical-decision-replayer.js';

const input: SettlementInput = {
  credential: 'CARD_NO',
  visitType: 'OUTPATIENT',
  occurredAt: '2026-03-02T09:30:00+08:00',
  items: [{ code: 'XA10BAD001A001010100001', quantity: 1, unitPriceFen: 300_000 }],
  usePersonalAccount: true,
};
const base: SettlementFacts = {
  receivedAt: '2026-03-02T10:00:00.000+08:00',
  institution: { venueId: 'CLN-12-X', region: '12', level: 3, community: false, recognition: true },
};
const complete: SettlementFacts = {
  ...base,
  card: { cardNo: 'B00000018', status: 'ACTIVE' },
  person: { homeRegion: '11', scheme: 'EMPLOYEE', retiree: false },
  policy: { id: 'medical.policy.beijing', version: 1 },
  catalogue: { id: 'medical.catalogue.tianjin', version: 1 },
  year: 2026,
  accumulatorsBefore: NO_ACCUMULATION,
  personalAccountBalanceFen: 50_000,
  recognitionCandidates: [],
};

describe('settlement refusals, in the order the facts are read', () => {
  it.each([
    ['OCCURRED_IN_FUTURE', { ...complete, receivedAt: '2026-03-02T09:24:59.999+08:00' }],
    ['MEDICAL_CODE_EXPIRED', { ...base, credentialRefusal: 'MEDICAL_CODE_EXPIRED' }],
    ['CARD_UNKNOWN', { ...base, card: null }],
    ['CARD_LOST', { ...base, card: { cardNo: 'B00000018', status: 'TEMPORARY_LOSS' } }],
    ['MEDICAL_POLICY_NOT_IN_FORCE', { ...complete, policy: null, catalogue: undefined }],
    ['MEDICAL_CATALOGUE_NOT_IN_FORCE', { ...complete, catalogue: null }],
    ['INSUFFICIENT_BALANCE', { ...complete, ledgerRefusal: 'INSUFFICIENT_BALANCE' }],
  ] as [string, SettlementFacts][])('%s', (code, facts) => {
    expect(settlementRefusal(input, facts)?.code).toBe(code);
  });

  it('accepts occurredAt up to 5 minutes ahead of the service clock', () => {
    expect(settlementRefusal(input, { ...complete, receivedAt: '2026-03-02T09:25:00.000+08:00' })).toBeNull();
  });

  it('needs nothing more than the facts to decide', () => {
    expect(settlementRefusal(input, complete)).toBeNull();
  });
});

describe('the replayer', () => {
  const policy = { ref: { id: 'medical.policy.beijing', version: 1 }, parameters: policyData('11') };
  const catalogue = { ref: { id: 'medical.catalogue.tianjin', version: 1 }, parameters: catalogueData('12') };
  const book = { resolve: () => policy, byRef: () => catalogue } as unknown as RuleBook;
  const replayer = new MedicalDecisionReplayer();
  const recorded = (commandType: string) => ({ commandType, commandId: 'x', ruleSet: policy.ref, eventTime: new Date(input.occurredAt) });

  it('recomputes an accepted settlement from input, facts and the recorded rule versions', () => {
    const outcome = decisionOutcome(decideSettlement(input, complete, { policy: policy.parameters, catalogue: catalogue.parameters }));
    // (300000 − 180000) × 70 % = 84000; account 50000; cash 166000.
    expect(outcome.totals).toMatchObject({ fundFen: 84_000, personalAccountFen: 50_000, cashFen: 166_000 });
    expect(replayer.replay({ input: { ...input }, facts: { ...complete }, outcome }, book, recorded('medical.settle'))).toEqual(outcome);
  });

  it('recomputes refusals without rule data', () => {
    const facts = { ...complete, catalogue: null };
    expect(replayer.replay({ input: { ...input }, facts: { ...facts }, outcome: {} }, book, recorded('medical.settle'))).toEqual({
      refused: 'MEDICAL_CATALOGUE_NOT_IN_FORCE',
    });
  });

  it('recomputes reversals', () => {
    expect(
      replayer.replay({ input: {}, facts: { status: 'REVERSED', reversedBy: 'rv-1' }, outcome: {} }, book, recorded('medical.reverse-settlement')),
    ).toEqual({ refused: 'ALREADY_REVERSED' });
    expect(replayer.replay({ input: {}, facts: { status: 'DENIED' }, outcome: {} }, book, recorded('medical.reverse-settlement'))).toEqual({
      refused: 'NOTHING_TO_REVERSE',
    });
    const amounts = { totalFen: 10, fundFen: 7, personalAccountFen: 0, cashFen: 3 };
    expect(replayer.replay({ input: {}, facts: { status: 'SETTLED', amounts }, outcome: {} }, book, recorded('medical.reverse-settlement'))).toEqual({
      reversed: amounts,
    });
  });

  it("refuses a policy that is not the journal's rule set", () => {
    const other = { resolve: () => ({ ...policy, ref: { id: 'medical.policy.beijing', version: 2 } }), byRef: () => catalogue } as unknown as RuleBook;
    expect(() => replayer.replay({ input: { ...input }, facts: { ...complete }, outcome: {} }, other, recorded('medical.settle'))).toThrow(
      /not the journal's rule set/,
    );
  });
});
