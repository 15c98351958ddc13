import { CommandExecutor, type CommandResult } from '@onecard/engine';
import { startTestApp, type TestApp } from '@test/support';
import { accumulationOf, type AnnualAccumulators } from '../domain/annual-accumulators.js';
import { accumulatorsOf, issueCard } from '../testing/fixtures.js';
import { MedicalRepository, type PersonYear, type SettlementRecord } from './medical.repository.js';

/**
 * The year a settlement reads and writes, through the engine without the handler (so that nothing
 * but the year's row lock and the write's check keeps two settlements of one person apart).
 */
describe('MedicalRepository: the person year under concurrency (real PostgreSQL)', () => {
  let t: TestApp;
  let repository: MedicalRepository;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T10:00:00+08:00' });
    repository = t.get(MedicalRepository);
  });
  afterAll(() => t?.close());

  const record = (settlementId: string, cardNo: string, holderId: string, deductibleFen: number): SettlementRecord => ({
    settlementId,
    institutionId: 'CLN-TEST',
    institutionRegion: '12',
    terminalId: 'CLN-TEST-C1',
    cardNo,
    holderId,
    homeRegion: '12',
    scheme: 'RESIDENT',
    retiree: false,
    visitType: 'OUTPATIENT',
    occurredAt: new Date('2026-03-02T09:00:00+08:00'),
    businessDate: '2026-03-02',
    year: 2026,
    totalFen: deductibleFen,
    selfPaidFen: 0,
    inPolicyFen: deductibleFen,
    deductibleFen,
    fundFen: 0,
    personalAccountFen: 0,
    cashFen: deductibleFen,
    accumulation: accumulationOf('OUTPATIENT', { deductibleFen, fundFen: 0 }),
    items: [],
    policy: { id: 'medical.policy.tianjin', version: 1 },
    catalogue: { id: 'medical.catalogue.tianjin', version: 1 },
    settledAt: t.clock.now(),
  });

  /** A settlement of `deductibleFen` that records the year each attempt read, and may wait after reading it. */
  const settlement = (
    executor: CommandExecutor,
    id: string,
    cardNo: string,
    deductibleFen: number,
    seen: PersonYear[],
    wait?: Promise<void>,
  ): Promise<CommandResult<{ before: AnnualAccumulators }>> =>
    executor.run({
      envelope: { type: 'test.medical-year', id, context: 'test', payload: { cardNo, deductibleFen } },
      reads: { year: repository.personYearRead({ cardNo }, 2026) },
      batchKeys: [`test:${id}`],
      decide: async (f: { year: PersonYear | null }, tx) => {
        const year = f.year!;
        seen.push(year);
        await wait;
        repository.deferSettlement(tx, record(id, cardNo, year.holderId, deductibleFen), [], year.settlements);
        return { decision: 'ALLOW', response: { before: year.accumulators } };
      },
    });

  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    return { opened, open };
  };

  it('makes a first settlement of the year that met a concurrent first one run again, on the year as that one left it', async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    const executor = t.get<CommandExecutor>(CommandExecutor);
    const seenA: PersonYear[] = [];
    const seenB: PersonYear[] = [];
    const hold = gate();
    // A reads the year (no row yet: nothing to lock) and waits; B reads the same, writes the row and commits.
    const a = settlement(executor, 'yr-first-a', cardNo, 30_000, seenA, hold.opened);
    while (seenA.length === 0) await new Promise((r) => setTimeout(r, 5));
    const b = await settlement(executor, 'yr-first-b', cardNo, 20_000, seenB);
    expect(b.decision).toBe('ALLOW');
    expect(seenB[0]).toMatchObject({ settlements: 0 });
    hold.open();
    // A's write meets the row B made: a unique violation, on which the engine runs A again.
    expect((await a).response.before.outpatientDeductibleFen).toBe(20_000);
    expect(seenA.map((y) => y.settlements)).toEqual([0, 1]);
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({ outpatientDeductibleFen: 50_000, settlements: 2 });
  });

  it('makes a settlement wait for the year another one holds, then read it as that one left it', async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    const executor = t.get<CommandExecutor>(CommandExecutor);
    expect((await settlement(executor, 'yr-lock-0', cardNo, 1000, [])).decision).toBe('ALLOW');
    const seenA: PersonYear[] = [];
    const seenB: PersonYear[] = [];
    const hold = gate();
    const a = settlement(executor, 'yr-lock-a', cardNo, 30_000, seenA, hold.opened);
    while (seenA.length === 0) await new Promise((r) => setTimeout(r, 5));
    const b = settlement(executor, 'yr-lock-b', cardNo, 20_000, seenB);
    await new Promise((r) => setTimeout(r, 200));
    expect(seenB).toEqual([]); // waiting on the row A locked
    hold.open();
    await Promise.all([a, b]);
    expect(seenA.map((y) => y.settlements)).toEqual([1]);
    expect(seenB.map((y) => [y.settlements, y.accumulators.outpatientDeductibleFen])).toEqual([[2, 31_000]]);
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({ outpatientDeductibleFen: 51_000, settlements: 3 });
  });

  it('fails a batch in which two settlements of one person wrote the same year, and runs them one by one', async () => {
    const cardNo = await issueCard(t, { homeRegion: '12', scheme: 'RESIDENT' });
    expect((await settlement(t.get<CommandExecutor>(CommandExecutor), 'yr-batch-0', cardNo, 1000, [])).decision).toBe('ALLOW');
    // One batch slot, held until both settlements have queued: they then share one batch.
    const single = new CommandExecutor(t.dataSource, t.clock, { groupCommit: { enabled: true, maxBatch: 32, maxConcurrentBatches: 1 } });
    const hold = gate();
    const holder = single.run({
      envelope: { type: 'test.medical-hold', id: 'yr-batch-hold', context: 'test', payload: {} },
      batchKeys: ['hold'],
      decide: async () => {
        await hold.opened;
        return { decision: 'ALLOW', response: {} };
      },
    });
    const seen: PersonYear[] = [];
    const both = [settlement(single, 'yr-batch-a', cardNo, 30_000, seen), settlement(single, 'yr-batch-b', cardNo, 20_000, seen)];
    while (single.queued < 2) await new Promise((r) => setTimeout(r, 5));
    hold.open();
    await holder;
    const answers = await Promise.all(both);
    expect(single.stats).toMatchObject({ fallbacks: 1 });
    // In the batch both read the year with 1 settlement; run again one by one, the second saw the first.
    expect(seen.slice(0, 2).map((y) => y.settlements)).toEqual([1, 1]);
    expect(
      seen
        .slice(2)
        .map((y) => y.settlements)
        .sort(),
    ).toEqual([1, 2]);
    const [first, second] = [...answers].sort((x, y) => x.response.before.outpatientDeductibleFen - y.response.before.outpatientDeductibleFen);
    expect(first!.response.before.outpatientDeductibleFen).toBe(1000);
    expect(second!.response.before.outpatientDeductibleFen).toBe(first === answers[0] ? 31_000 : 21_000);
    expect(await accumulatorsOf(t, cardNo)).toMatchObject({ outpatientDeductibleFen: 51_000, settlements: 3 });
  });
});
