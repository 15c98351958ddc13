import { CardBulkLoader, makeNationalId, type CardStatus } from '@contexts/cards';
import { VenueDirectory, type TerminalPlacement } from '@contexts/registry';
import type { Region } from '@onecard/kernel';
import type { HttpAnswer } from '@onecard/testing';
import type { TestApp } from '@test/support';
import { networkRules } from './rule-data.js';

/**
 * Test fixtures of the transit context: the eight stations as registry venues with gates and seat
 * machines (ids as the demo seed names them: BJN-G-IN-1, BJN-G-OUT-1, BJN-S-1, …), and cards with
 * an exact transit balance (funded through the cards context's bulk loader, as the seed does).
 */
export const gateIn = (station: string, n = 1) => `${station}-G-IN-${n}`;
export const gateOut = (station: string, n = 1) => `${station}-G-OUT-${n}`;
export const seatMachine = (station: string, n = 1) => `${station}-S-${n}`;

/** `2026-03-02T07:52:00+08:00` */
export const at = (date: string, hhmm: string) => `${date}T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}+08:00`;

export async function setUpStations(t: TestApp): Promise<void> {
  const directory = t.get<VenueDirectory>(VenueDirectory);
  const stations = networkRules(1).stations;
  await directory.registerVenues(
    stations.map((s) => ({
      venueId: s.code,
      kind: 'STATION' as const,
      region: s.region as Region,
      name: `${s.nameZh} ${s.namePinyin}`,
      level: null,
      attributes: {},
    })),
  );
  const terminals: TerminalPlacement[] = stations.flatMap((s) => [
    { terminalId: gateIn(s.code, 1), kind: 'GATE' as const, venueId: s.code, direction: 'IN' as const },
    { terminalId: gateIn(s.code, 2), kind: 'GATE' as const, venueId: s.code, direction: 'IN' as const },
    { terminalId: gateOut(s.code, 1), kind: 'GATE' as const, venueId: s.code, direction: 'OUT' as const },
    { terminalId: gateOut(s.code, 2), kind: 'GATE' as const, venueId: s.code, direction: 'OUT' as const },
    { terminalId: seatMachine(s.code, 1), kind: 'SEAT_MACHINE' as const, venueId: s.code, direction: null },
  ]);
  await directory.registerTerminals(terminals, t.clock.now());
}

let people = 0;

export interface CardOptions {
  transitFen?: number;
  issuingRegion?: Region;
  generation?: 2 | 3;
  transitApp?: boolean;
  status?: CardStatus;
}

/** A card (Tianjin, third generation, with the rail application unless told) holding exactly `transitFen`. */
export async function issueCard(t: TestApp, opts: CardOptions = {}): Promise<string> {
  const loader = t.get<CardBulkLoader>(CardBulkLoader);
  const n = ++people;
  const region = opts.issuingRegion ?? '12';
  const birthDate = `19${70 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`;
  const issuingRegion = region;
  const transitApp = opts.transitApp ?? (issuingRegion === '12' && (opts.generation ?? 3) === 3);
  const [cardNo] = await loader.issue([
    {
      holder: {
        name: '测试',
        nationalId: makeNationalId(region === '11' ? '110101' : region === '12' ? '120101' : '130102', birthDate, (process.pid + n) % 1000),
        birthDate,
        homeRegion: region,
        scheme: 'RESIDENT',
        retiree: false,
      },
      issuingRegion,
      generation: opts.generation ?? 3,
      transitApp,
      status: opts.status ?? 'ACTIVE',
    },
  ]);
  if (!cardNo) throw new Error('fixture person already had a card');
  if (transitApp && (opts.transitFen ?? 0) > 0) await loader.fund(`fixture-fund-${cardNo}`, [{ cardNo, account: 'TRANSIT', amountFen: opts.transitFen! }]);
  return cardNo;
}

export function tap(
  t: TestApp,
  gateId: string,
  cardNo: string,
  tappedAt: string,
  tapId = `tap-${gateId}-${cardNo}-${Date.parse(tappedAt)}`,
): Promise<HttpAnswer> {
  return t.terminal(gateId).post('/v1/transit/taps', { tapId, cardNo, gateId, tappedAt });
}

export function reserve(
  t: TestApp,
  station: string,
  cardNo: string,
  toStation: string,
  travelDate: string,
  reservationId = `res-${cardNo}-${Math.random().toString(36).slice(2, 10)}`,
): Promise<HttpAnswer> {
  return t.terminal(seatMachine(station)).post('/v1/transit/seat-reservations', { reservationId, cardNo, fromStation: station, toStation, travelDate });
}

export async function walletFen(t: TestApp, cardNo: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [
    `card:${cardNo}:transit`,
  ]);
  return Number(row.b);
}

export async function revenueFen(t: TestApp): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = 'operator:rail:revenue'`);
  return Number(row.b);
}
