import type { Action } from '../action.js';
import type { SimCard } from '../world.js';
import { at, isoAt, MINUTE, type CatalogueItem, type PlanInput } from './scenario.js';

/** Unit prices by item type, in fen (low, high): a plausible spread, not a price list. */
const PRICES: Record<CatalogueItem['type'], [number, number]> = {
  CONSULTATION: [1_500, 5_000],
  DRUG: [300, 15_000],
  LAB: [800, 6_000],
  IMAGING: [8_000, 60_000],
  TREATMENT: [2_000, 20_000],
};

export const COMMANDS_PER_PATIENT = 1.5;

/**
 * Clinic mornings (一卡通结): patients settle at clinic counters, mostly in their home region and
 * about a third in another (the cross-region case the service exists for), with the card or a
 * 医保码 from the holder app; a few settlements are reversed at the counter later.
 */
export function planPatients(input: PlanInput, share: number): Action[] {
  const { world, rng } = input;
  const clinics = world.venuesOf('CLINIC').filter((v) => world.terminalsAt(v.venueId, 'CLINIC').length > 0);
  const patients = world.cards.filter((c) => c.status === 'ACTIVE');
  const count = Math.min(patients.length * 2, Math.max(1, Math.round((input.volume * share) / COMMANDS_PER_PATIENT)));
  const actions: Action[] = [];
  for (let i = 0; i < count; i++) {
    const card = patients[rng.int(0, patients.length - 1)]!;
    const local = clinics.filter((c) => c.region === card.homeRegion);
    const clinic = rng.chance(0.68) && local.length ? rng.pick(local) : rng.pick(clinics);
    const terminal = rng.pick(world.terminalsAt(clinic.venueId, 'CLINIC'));
    const items = bill(input, clinic.region, rng.chance(0.05));
    if (items.length === 0) continue;
    const id = `${input.idPrefix}-m${i}`;
    const when = at(input, '08:00', 210);
    const reverseLater = rng.chance(0.03);
    const settle = (credential: Record<string, string>, settleAt: number): Action => ({
      at: settleAt,
      context: 'medical',
      label: `settle ${terminal.terminalId}`,
      terminalId: terminal.terminalId,
      method: 'POST',
      path: '/v1/medical/settlements',
      body: (now) => ({ settlementId: id, credential, visitType: items.length > 5 ? 'INPATIENT' : 'OUTPATIENT', items, occurredAt: isoAt(now.getTime()) }),
      money: personalAccountMoney(card, clinic.region, -1),
      then: (answer, now) =>
        reverseLater && answer.body?.decision === 'ALLOW'
          ? [
              {
                at: now.getTime() + rng.int(10, 40) * MINUTE,
                context: 'medical',
                label: `reverse ${terminal.terminalId}`,
                terminalId: terminal.terminalId,
                method: 'POST',
                path: `/v1/medical/settlements/${id}/reversal`,
                body: () => ({ reversalId: `${id}-rev`, reason: 'billing error at the counter' }),
                money: personalAccountMoney(card, clinic.region, 1),
              },
            ]
          : [],
    });
    if (rng.chance(0.4)) {
      // The holder shows the 医保码 from the phone; the counter scans it at once (it lives 60 s).
      actions.push({
        at: when,
        context: 'holder',
        label: 'medical code',
        terminalId: world.holderAppOf(card.cardNo),
        method: 'POST',
        path: '/v1/holder/medical-codes',
        body: () => ({ cardNo: card.cardNo }),
        idempotent: false,
        then: (answer, now) => (answer.body?.code ? [settle({ medicalCode: answer.body.code }, now.getTime())] : []),
      });
    } else {
      actions.push(settle({ cardNo: card.cardNo }, when));
    }
  }
  return actions;
}

function bill(input: PlanInput, region: string, inpatient: boolean): { code: string; quantity: number; unitPriceFen: number }[] {
  const { rng } = input;
  const catalogue = input.catalogues.get(region) ?? [];
  const consultations = catalogue.filter((i) => i.type === 'CONSULTATION');
  const others = catalogue.filter((i) => i.type !== 'CONSULTATION');
  if (consultations.length === 0) return [];
  const lines = [rng.pick(consultations)];
  const extra = inpatient ? rng.int(5, 9) : rng.int(0, 3);
  for (let k = 0; k < extra && others.length; k++) {
    const item = rng.pick(others);
    if (!lines.includes(item)) lines.push(item);
  }
  return lines.map((item) => {
    const [low, high] = PRICES[item.type];
    return { code: item.code, quantity: item.type === 'DRUG' ? rng.int(1, 3) : 1, unitPriceFen: Math.round(rng.int(low, high) / 10) * 10 };
  });
}

function personalAccountMoney(card: SimCard, region: string, sign: 1 | -1): Action['money'] {
  if (card.balances.personal === null) return undefined;
  return (a) => (a.body?.decision === 'ALLOW' ? [{ cardNo: card.cardNo, account: 'personal', region, delta: sign * (a.body.personalAccountFen ?? 0) }] : []);
}
