import { makeNationalId } from '@contexts/cards';
import { VenueDirectory, type Venue } from '@contexts/registry';
import type { Region } from '@onecard/kernel';
import { LEDGER_SQL } from '@onecard/ledger';
import type { TestApp } from '@test/support';

/**
 * Clinics, terminals and insured people for the medical integration tests, made through the
 * registry facade (there is no admin endpoint for venues) and the admin API (cards, top-ups).
 */
export const CLINICS = {
  /** Tianjin community health centre, level 1, takes part in result recognition. */
  TJ_L1: { venueId: 'CLN-T-L1', region: '12', level: 1, attributes: { community: true, recognition: true } },
  /** Tianjin level-3 hospital, takes part in result recognition. */
  TJ_L3: { venueId: 'CLN-T-L3', region: '12', level: 3, attributes: { community: false, recognition: true } },
  /** Beijing level-3 hospital, takes part in result recognition. */
  BJ_L3: { venueId: 'CLN-B-L3', region: '11', level: 3, attributes: { community: false, recognition: true } },
  /** Hebei level-2 hospital outside result recognition. */
  HB_L2: { venueId: 'CLN-H-L2', region: '13', level: 2, attributes: { community: false, recognition: false } },
} as const satisfies Record<string, Pick<Venue, 'venueId' | 'region' | 'level' | 'attributes'>>;

export type ClinicKey = keyof typeof CLINICS;

/** The CLINIC terminal of each clinic, a holder app and a gate (for wrong-kind checks). */
export const TERMINALS = {
  TJ_L1: 'CLN-T-L1-C1',
  TJ_L3: 'CLN-T-L3-C1',
  TJ_L3_B: 'CLN-T-L3-C2',
  BJ_L3: 'CLN-B-L3-C1',
  HB_L2: 'CLN-H-L2-C1',
  GATE: 'TJN-MED-G1',
} as const;

export async function setUpClinics(t: TestApp): Promise<void> {
  const venues = t.get<VenueDirectory>(VenueDirectory);
  await venues.registerVenues([
    ...Object.values(CLINICS).map((c) => ({ ...c, kind: 'CLINIC' as const, name: `测试医院 ${c.venueId}`, attributes: { ...c.attributes } })),
    { venueId: 'TJN', kind: 'STATION', region: '12', name: '天津', level: null, attributes: {} },
  ]);
  await venues.registerTerminals(
    [
      { terminalId: TERMINALS.TJ_L1, kind: 'CLINIC', venueId: CLINICS.TJ_L1.venueId, direction: null },
      { terminalId: TERMINALS.TJ_L3, kind: 'CLINIC', venueId: CLINICS.TJ_L3.venueId, direction: null },
      { terminalId: TERMINALS.TJ_L3_B, kind: 'CLINIC', venueId: CLINICS.TJ_L3.venueId, direction: null },
      { terminalId: TERMINALS.BJ_L3, kind: 'CLINIC', venueId: CLINICS.BJ_L3.venueId, direction: null },
      { terminalId: TERMINALS.HB_L2, kind: 'CLINIC', venueId: CLINICS.HB_L2.venueId, direction: null },
      { terminalId: TERMINALS.GATE, kind: 'GATE', venueId: 'TJN', direction: 'IN' },
    ],
    t.clock.now(),
  );
}

let people = 0;

/** Issues a card to a new insured person; answers its number. */
export async function issueCard(t: TestApp, holder: { homeRegion: Region; scheme: 'EMPLOYEE' | 'RESIDENT'; retiree?: boolean }): Promise<string> {
  const n = ++people;
  const birthDate = holder.retiree ? '1955-05-05' : '1985-05-05';
  const area = { '11': '110105', '12': '120104', '13': '130102' }[holder.homeRegion];
  const res = await t.operator.post('/v1/admin/cards', {
    holder: {
      name: '王五',
      nationalId: makeNationalId(area, birthDate, n),
      birthDate,
      homeRegion: holder.homeRegion,
      scheme: holder.scheme,
      retiree: holder.retiree ?? false,
    },
    issuingRegion: holder.homeRegion,
    generation: 3,
    transitApp: false,
  });
  if (res.status !== 201) throw new Error(`card not issued: ${res.status} ${res.text}`);
  return res.body.cardNo as string;
}

export async function topUpPersonal(t: TestApp, cardNo: string, amountFen: number): Promise<void> {
  const res = await t.operator.post(`/v1/admin/cards/${cardNo}/top-ups`, { topUpId: `pa-${cardNo}-${amountFen}-${++people}`, account: 'PERSONAL', amountFen });
  if (res.body.decision !== 'ALLOW') throw new Error(`top-up refused: ${res.text}`);
}

/** The balance of a ledger account summed over its shards (0 if it does not exist). */
export async function balanceOf(t: TestApp, code: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ${LEDGER_SQL.accountBalances} WHERE account_code = $1`, [code]);
  return Number(row.b);
}

export async function accumulatorsOf(t: TestApp, cardNo: string, year = 2026) {
  const res = await t.auditor.get(`/v1/admin/medical/accumulators?cardNo=${cardNo}&year=${year}`);
  if (res.status !== 200) throw new Error(`accumulators: ${res.status} ${res.text}`);
  return res.body;
}

/** One item line. */
export const line = (code: string, unitPriceFen: number, quantity = 1, override?: string) => ({
  code,
  quantity,
  unitPriceFen,
  ...(override ? { override: { reason: override } } : {}),
});

export const CODES = {
  METFORMIN: 'XA10BAD001A001010100001', // A
  ATORVASTATIN: 'XC10AAA199A001010100004', // B in Tianjin
  SPECIAL_NEEDS: '110200006', // C
  CBC: '250101015', // A, recognised lab
  CT: '210300001', // A, recognised imaging
  UNKNOWN: 'ZZ0000001',
} as const;
