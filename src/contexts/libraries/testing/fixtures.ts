import { VenueDirectory, type Venue } from '@contexts/registry';
import { makeNationalId } from '@contexts/cards';
import { LEDGER_SQL } from '@onecard/ledger';
import type { TestApp } from '@test/support';

/**
 * A small library world for integration tests: two Tianjin libraries (one network), two Beijing
 * libraries, a Hebei library, a library without a network; a desk at each, a holder app; items.
 */
export const LIBS = {
  TIANJIN: 'LIB-12-TIANJIN',
  HEPING: 'LIB-12-HEPING',
  CAPITAL: 'LIB-11-CAPITAL',
  CHAOYANG: 'LIB-11-CHAOYANG',
  HEBEI: 'LIB-13-HEBEI',
  NO_NETWORK: 'LIB-12-NONET',
} as const;

export const DESKS = {
  TIANJIN: 'D-TJ-1',
  TIANJIN_2: 'D-TJ-2',
  HEPING: 'D-HP-1',
  CAPITAL: 'D-BJ-1',
  CHAOYANG: 'D-CY-1',
  HEBEI: 'D-HB-1',
  NO_NETWORK: 'D-NN-1',
} as const;

export async function setUpLibraries(t: TestApp, items: Record<string, number> = {}): Promise<void> {
  const venues = t.get<VenueDirectory>(VenueDirectory);
  const lib = (venueId: string, region: '11' | '12' | '13', name: string, network?: string): Venue => ({
    venueId,
    kind: 'LIBRARY',
    region,
    name,
    level: null,
    attributes: network ? { network } : {},
  });
  await venues.registerVenues([
    lib(LIBS.TIANJIN, '12', '天津图书馆', 'TIANJIN'),
    lib(LIBS.HEPING, '12', '和平区图书馆', 'TIANJIN'),
    lib(LIBS.CAPITAL, '11', '首都图书馆', 'CAPITAL'),
    lib(LIBS.CHAOYANG, '11', '朝阳区图书馆', 'CAPITAL'),
    lib(LIBS.HEBEI, '13', '河北省图书馆', 'SHIJIAZHUANG'),
    lib(LIBS.NO_NETWORK, '12', '未入网图书馆'),
  ]);
  const desks: [string, string][] = [
    [DESKS.TIANJIN, LIBS.TIANJIN],
    [DESKS.TIANJIN_2, LIBS.TIANJIN],
    [DESKS.HEPING, LIBS.HEPING],
    [DESKS.CAPITAL, LIBS.CAPITAL],
    [DESKS.CHAOYANG, LIBS.CHAOYANG],
    [DESKS.HEBEI, LIBS.HEBEI],
    [DESKS.NO_NETWORK, LIBS.NO_NETWORK],
  ];
  for (const [terminalId, venueId] of desks) await mustCreate(t.operator.post('/v1/admin/terminals', { terminalId, kind: 'LIBRARY_DESK', venueId }));
  const counts = { TJ: 8, HP: 4, BJ: 20, CY: 2, HB: 4, ...items };
  const prefixes: [string, string][] = [
    ['TJ', LIBS.TIANJIN],
    ['HP', LIBS.HEPING],
    ['BJ', LIBS.CAPITAL],
    ['CY', LIBS.CHAOYANG],
    ['HB', LIBS.HEBEI],
  ];
  for (const [prefix, libraryId] of prefixes) {
    for (let n = 1; n <= (counts as Record<string, number>)[prefix]!; n++) {
      await mustCreate(t.operator.post('/v1/admin/libraries/items', { barcode: barcode(prefix, n), libraryId, title: `${prefix} book ${n}` }));
    }
  }
}

/** `TJ-0001`: the fixture's item barcodes. */
export function barcode(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

let people = 0;

/** Issues an active card for a new holder of `homeRegion`, with `bankFen` on its bank account. */
export async function issueCard(t: TestApp, homeRegion: '11' | '12' | '13', bankFen = 0): Promise<string> {
  const n = ++people;
  const area = { '11': '110101', '12': '120101', '13': '130102' }[homeRegion];
  const birthDate = `19${String(50 + (n % 40)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`;
  const res = await t.operator.post('/v1/admin/cards', {
    holder: { name: '读者', nationalId: makeNationalId(area, birthDate, n % 1000), birthDate, homeRegion, scheme: 'RESIDENT', retiree: false },
    issuingRegion: homeRegion,
    generation: 3,
    transitApp: false,
  });
  if (res.status !== 201) throw new Error(`card not issued: ${res.status} ${res.text}`);
  const cardNo = res.body.cardNo as string;
  if (bankFen > 0) await topUpBank(t, cardNo, bankFen);
  return cardNo;
}

let topUps = 0;

export async function topUpBank(t: TestApp, cardNo: string, amountFen: number): Promise<void> {
  const res = await t.operator.post(`/v1/admin/cards/${cardNo}/top-ups`, { topUpId: `lib-tu-${++topUps}`, account: 'BANK', amountFen });
  if (res.body?.decision !== 'ALLOW') throw new Error(`top-up refused: ${res.text}`);
}

/** Ledger balance of an account (sum over shards). */
export async function balance(t: TestApp, account: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT balance FROM ${LEDGER_SQL.accountBalances} WHERE account_code = $1`, [account]);
  return Number(row?.balance ?? 0);
}

/** The ledger entries a command posted, in order: [account, amount]. */
export async function entriesOf(t: TestApp, commandType: string, commandId: string): Promise<[string, number][]> {
  const rows = await t.dataSource.query(`SELECT account_code, amount FROM ${LEDGER_SQL.entries} WHERE command_type = $1 AND command_id = $2 ORDER BY seq`, [
    commandType,
    commandId,
  ]);
  return rows.map((r: { account_code: string; amount: number }) => [r.account_code, Number(r.amount)]);
}

export async function journal(t: TestApp, commandType: string, commandId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await t.dataSource.query(
    `SELECT decision, reason_code, rule_set_id, rule_version, subject, terminal_id, legs FROM ${LEDGER_SQL.records} WHERE command_type = $1 AND command_id = $2`,
    [commandType, commandId],
  );
  return row;
}

/** A desk's (or the holder app's) calls. */
export function desk(t: TestApp, terminalId: string) {
  const client = t.terminal(terminalId);
  return {
    lend: (loanId: string, cardNo: string, code: string, loanedAt: string) => client.post('/v1/libraries/loans', { loanId, cardNo, barcode: code, loanedAt }),
    return: (returnId: string, code: string, returnedAt: string) => client.post('/v1/libraries/returns', { returnId, barcode: code, returnedAt }),
    renew: (renewalId: string, cardNo: string, code: string, renewedAt: string) =>
      client.post('/v1/libraries/renewals', { renewalId, cardNo, barcode: code, renewedAt }),
    pay: (paymentId: string, cardNo: string, paidAt: string, amountFen?: number) =>
      client.post('/v1/libraries/fines/payments', { paymentId, cardNo, ...(amountFen !== undefined ? { amountFen } : {}), paidAt }),
  };
}

async function mustCreate(p: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await p;
  if (res.status !== 201) throw new Error(`fixture: expected 201, got ${res.status}: ${res.text}`);
}
