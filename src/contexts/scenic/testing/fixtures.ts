import { makeNationalId } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandExecutor, DEFAULT_ENGINE_OPTIONS } from '@onecard/engine';
import type { Region } from '@onecard/kernel';
import { rawRequest, type HttpAnswer } from '@onecard/testing';
import { OPERATOR_TOKEN, type TestApp } from '@test/support';

const DISTRICT: Record<Region, string> = { '11': '110105', '12': '120104', '13': '130102' };
let nextSequence = 1;

/** Issues a card (its holder born on `birthDate`) and puts `bankFen` on its bank account. */
export async function issueCard(t: TestApp, opts: { birthDate: string; region?: Region; bankFen?: number }): Promise<string> {
  const region = opts.region ?? '11';
  const sequence = nextSequence++;
  const res = await t.operator.post('/v1/admin/cards', {
    holder: {
      name: '测试',
      nationalId: makeNationalId(DISTRICT[region], opts.birthDate, sequence),
      birthDate: opts.birthDate,
      homeRegion: region,
      scheme: 'RESIDENT',
      retiree: false,
    },
    issuingRegion: region,
    generation: 3,
    transitApp: false,
  });
  if (res.status !== 201) throw new Error(`card not issued: ${res.status} ${res.text}`);
  const cardNo = res.body.cardNo as string;
  if (opts.bankFen) await topUpBank(t, cardNo, opts.bankFen);
  return cardNo;
}

export async function topUpBank(t: TestApp, cardNo: string, amountFen: number): Promise<void> {
  const res = await t.operator.post(`/v1/admin/cards/${cardNo}/top-ups`, { topUpId: `tu-${cardNo}-${nextSequence++}`, account: 'BANK', amountFen });
  if (res.body?.decision !== 'ALLOW') throw new Error(`top-up refused: ${res.text}`);
}

export function put<T = any>(t: TestApp, path: string, body: unknown): Promise<HttpAnswer<T>> {
  return rawRequest<T>(t.baseUrl, 'PUT', path, { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' }, JSON.stringify(body));
}

export interface SpotFixture {
  spotId: string;
  region: Region;
  spotType?: 'PARK' | 'SCENIC_AREA';
  basePriceFen?: number;
  dailyCapacity?: number;
  participation?: string[];
}

/** Registers a SCENIC_SPOT venue, configures it and a SCENIC_GATE `<spotId>-G1`; answers the gate id. */
export async function createSpot(t: TestApp, s: SpotFixture): Promise<string> {
  await t
    .get<VenueDirectory>(VenueDirectory)
    .registerVenues([{ venueId: s.spotId, kind: 'SCENIC_SPOT', region: s.region, name: `spot ${s.spotId}`, level: null, attributes: {} }]);
  const res = await put(t, `/v1/admin/scenic/spots/${s.spotId}`, {
    spotType: s.spotType ?? 'PARK',
    basePriceFen: s.basePriceFen ?? 3000,
    dailyCapacity: s.dailyCapacity ?? 1000,
    participation: s.participation ?? [],
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`spot not configured: ${res.status} ${res.text}`);
  const gate = `${s.spotId}-G1`;
  const reg = await t.operator.post('/v1/admin/terminals', { terminalId: gate, kind: 'SCENIC_GATE', venueId: s.spotId });
  if (reg.status !== 201) throw new Error(`gate not registered: ${reg.status} ${reg.text}`);
  return gate;
}

export async function balanceOf(t: TestApp, account: string): Promise<number> {
  const [row] = await t.dataSource.query(`SELECT coalesce(sum(balance), 0)::bigint AS b FROM ledger.balances WHERE account_code = $1`, [account]);
  return Number(row.b);
}

let holds = 0;

/**
 * An executor of its own with one batch slot, held by a first command until `start` releases it:
 * the commands queued meanwhile then form batches, as group commit makes them under load.
 */
export function heldExecutor(t: TestApp): { executor: CommandExecutor; start<T>(runs: Promise<T>[]): Promise<T[]> } {
  const executor = new CommandExecutor(t.dataSource, t.clock, { groupCommit: { ...DEFAULT_ENGINE_OPTIONS.groupCommit, maxConcurrentBatches: 1 } });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const holder = executor.run({
    envelope: { type: 'test.hold', id: `hold-${++holds}`, context: 'test', payload: {} },
    batchKeys: ['hold'],
    decide: async () => {
      await held;
      return { decision: 'ALLOW', response: {} };
    },
  });
  return {
    executor,
    // Once every command has queued (a plan may look something up first).
    async start<T>(runs: Promise<T>[]): Promise<T[]> {
      while (executor.queued < runs.length) await new Promise((r) => setTimeout(r, 5));
      release();
      await holder;
      return Promise.all(runs);
    },
  };
}
