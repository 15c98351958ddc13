import { makeNationalId } from '@contexts/cards';
import { VenueDirectory } from '@contexts/registry';
import { CommandExecutor, DEFAULT_ENGINE_OPTIONS } from '@onecard/engine';
import type { Region } from '@onecard/kernel';
import { rawRequest, type HttpAnswer } from '@onecard/testing';
import { OPERATOR_TOKEN, type TestApp } from '@test/support';

const DISTRICT: Record<Region, string> = { '11': '110105', '12': '120104', '13': '130102' };
let nextSequence = 1;

/** Issues an active card for a new holder. */
export async function issueCard(t: TestApp, opts: { birthDate?: string; region?: Region } = {}): Promise<string> {
  const region = opts.region ?? '11';
  const birthDate = opts.birthDate ?? '1990-01-01';
  const res = await t.operator.post('/v1/admin/cards', {
    holder: {
      name: '观众',
      nationalId: makeNationalId(DISTRICT[region], birthDate, nextSequence++),
      birthDate,
      homeRegion: region,
      scheme: 'RESIDENT',
      retiree: false,
    },
    issuingRegion: region,
    generation: 3,
    transitApp: false,
  });
  if (res.status !== 201) throw new Error(`card not issued: ${res.status} ${res.text}`);
  return res.body.cardNo as string;
}

export function put<T = any>(t: TestApp, path: string, body: unknown): Promise<HttpAnswer<T>> {
  return rawRequest<T>(t.baseUrl, 'PUT', path, { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' }, JSON.stringify(body));
}

/** Registers a MUSEUM venue, opens it for booking with `slotQuota` seats per slot (unless null), and its gate `<id>-G1`. */
export async function createMuseum(t: TestApp, museumId: string, region: Region, slotQuota: number | null = 100): Promise<string> {
  await t
    .get<VenueDirectory>(VenueDirectory)
    .registerVenues([{ venueId: museumId, kind: 'MUSEUM', region, name: `museum ${museumId}`, level: null, attributes: {} }]);
  if (slotQuota !== null) {
    const res = await put(t, `/v1/admin/museums/${museumId}`, { slotQuota });
    if (res.status !== 201 && res.status !== 200) throw new Error(`museum not configured: ${res.status} ${res.text}`);
  }
  const gate = `${museumId}-G1`;
  const reg = await t.operator.post('/v1/admin/terminals', { terminalId: gate, kind: 'MUSEUM_GATE', venueId: museumId });
  if (reg.status !== 201) throw new Error(`gate not registered: ${reg.status} ${reg.text}`);
  return gate;
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
