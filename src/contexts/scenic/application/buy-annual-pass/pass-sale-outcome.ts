import { cardStatusRefusal, type CardStatus } from '@contexts/cards';
import type { BusinessDate, Fen, Region } from '@onecard/kernel';
import type { ScenicAdmissionParameters } from '@onecard/rules';
import { decidePassSale, type PassSaleFacts } from '../../domain/annual-pass.rule.js';

export interface RecordedPassSaleFacts extends Partial<PassSaleFacts> {
  cardStatus: CardStatus | null;
  sellingRegion?: Region | null;
}

export interface PassSaleOutcome {
  decision: 'ALLOW' | 'DENY';
  reason: string | null;
  priceFen: Fen | null;
  validFrom: BusinessDate | null;
  validUntil: BusinessDate | null;
}

/** The sale decision from recorded facts and the selling region's rules: shared by handler and replayer. */
export function decidePassPurchase(
  rules: ScenicAdmissionParameters | null,
  passCode: string,
  facts: RecordedPassSaleFacts,
): { outcome: PassSaleOutcome; message: string | null; rule: string } {
  const refusal = cardStatusRefusal(facts.cardStatus ? { status: facts.cardStatus } : null);
  if (refusal) return { outcome: denied(refusal.code), message: refusal.message, rule: 'cards.card-status' };
  const product = rules?.annualPasses.find((a) => a.code === passCode) ?? null;
  const verdict = decidePassSale(product, facts as PassSaleFacts);
  if (verdict.decision === 'DENY') return { outcome: denied(verdict.reason.code), message: verdict.reason.message, rule: verdict.rule };
  return {
    outcome: { decision: 'ALLOW', reason: null, priceFen: verdict.priceFen, validFrom: verdict.validFrom, validUntil: verdict.validUntil },
    message: null,
    rule: 'scenic.annual-pass-sale',
  };
}

function denied(code: string): PassSaleOutcome {
  return { decision: 'DENY', reason: code, priceFen: null, validFrom: null, validUntil: null };
}
