import { makeNationalId } from '@contexts/cards';
import { TERMINAL_DIRECTORY, type TerminalDirectory } from '@onecard/platform';
import { startTestApp, type TestApp } from '@test/support';
import { VenueDirectory } from '../../public/venue-directory.js';

describe('registering terminals and venues (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.get<VenueDirectory>(VenueDirectory).registerVenues([
      { venueId: 'TJN', kind: 'STATION', region: '12', name: '天津', level: null, attributes: {} },
      { venueId: 'C12-TUMOR', kind: 'CLINIC', region: '12', name: '天津市肿瘤医院', level: 3, attributes: { community: false } },
      { venueId: 'M11-NATIONAL', kind: 'MUSEUM', region: '11', name: '中国国家博物馆', level: null, attributes: {} },
    ]);
  });
  afterAll(() => t?.close());

  const journalCount = async (type: string) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal WHERE command_type = $1`, [type]))[0].n);

  it('lists venues by kind, with level for clinics only', async () => {
    const all = await t.auditor.get('/v1/admin/venues');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(3);
    const clinics = await t.operator.get('/v1/admin/venues?kind=CLINIC');
    expect(clinics.body).toEqual([{ venueId: 'C12-TUMOR', kind: 'CLINIC', region: '12', name: '天津市肿瘤医院', level: 3 }]);
    const stations = await t.operator.get('/v1/admin/venues?kind=STATION');
    expect(stations.body).toEqual([{ venueId: 'TJN', kind: 'STATION', region: '12', name: '天津' }]);
    expect((await t.operator.get('/v1/admin/venues?kind=AIRPORT')).status).toBe(400);
  });

  it('registers a gate (journaled, 201), replays the same body, and refuses another body with 409', async () => {
    const body = { terminalId: 'TJN-G-IN-1', kind: 'GATE', venueId: 'TJN', direction: 'IN' };
    const first = await t.operator.post('/v1/admin/terminals', body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ terminalId: 'TJN-G-IN-1', kind: 'GATE', venueId: 'TJN', region: '12', direction: 'IN', cardNo: null, enabled: true });
    const again = await t.operator.post('/v1/admin/terminals', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await t.operator.post('/v1/admin/terminals', { ...body, direction: 'OUT' });
    expect(other.status).toBe(409);
    expect(await journalCount('registry.register-terminal')).toBe(1);
    const found = await t.get<TerminalDirectory>(TERMINAL_DIRECTORY).findTerminal('TJN-G-IN-1');
    expect(found).toMatchObject({ kind: 'GATE', venueId: 'TJN', region: '12', direction: 'IN', enabled: true });
  });

  it.each([
    [{ terminalId: 'X-1', kind: 'GATE', venueId: 'TJN' }, ['/direction']],
    [{ terminalId: 'X-2', kind: 'SEAT_MACHINE', venueId: 'TJN', direction: 'IN' }, ['/direction']],
    [{ terminalId: 'X-3', kind: 'CLINIC', venueId: 'TJN' }, ['/kind']],
    [{ terminalId: 'X-4', kind: 'MUSEUM_GATE', venueId: 'NOWHERE' }, ['/venueId']],
    [{ terminalId: 'X-5', kind: 'HOLDER_APP', venueId: 'TJN' }, ['/venueId', '/cardNo']],
    [{ terminalId: 'X-7', kind: 'HOLDER_APP', cardNo: 'B0000001' }, ['/cardNo']],
    [{ terminalId: 'X-8', kind: 'HOLDER_APP', cardNo: 'B99999990' }, ['/cardNo']],
    [{ terminalId: 'X-9', kind: 'CLINIC', venueId: 'C12-TUMOR', cardNo: 'B00000018' }, ['/cardNo']],
    [{ terminalId: 'X-6', kind: 'LIBRARY_DESK' }, ['/venueId']],
    [{ terminalId: 'bad id!', kind: 'PHONE', venueId: 'TJN', extra: 1 }, ['/terminalId', '/kind', '/extra']],
  ])('refuses a misplaced or malformed terminal %j with 400 naming %j, writing nothing', async (body, pointers) => {
    const before = await journalCount('registry.register-terminal');
    const res = await t.operator.post('/v1/admin/terminals', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
    expect(await journalCount('registry.register-terminal')).toBe(before);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM registry.terminals WHERE terminal_id = $1`, [
      (body as { terminalId: string }).terminalId,
    ]);
    expect(n).toBe(0);
  });

  it('registers every kind at its venue kind, and a holder app at none, bound to its card', async () => {
    const card = await t.operator.post('/v1/admin/cards', {
      holder: {
        name: '赵六',
        nationalId: makeNationalId('120101', '1990-01-01', 7),
        birthDate: '1990-01-01',
        homeRegion: '12',
        scheme: 'RESIDENT',
        retiree: false,
      },
      issuingRegion: '12',
      generation: 3,
      transitApp: false,
    });
    expect(card.status).toBe(201);
    for (const body of [
      { terminalId: 'C12-TUMOR-1', kind: 'CLINIC', venueId: 'C12-TUMOR' },
      { terminalId: 'M11-NATIONAL-G1', kind: 'MUSEUM_GATE', venueId: 'M11-NATIONAL' },
      { terminalId: 'TJN-S-1', kind: 'SEAT_MACHINE', venueId: 'TJN' },
      { terminalId: 'APP-1', kind: 'HOLDER_APP', cardNo: card.body.cardNo },
    ]) {
      const res = await t.operator.post('/v1/admin/terminals', body);
      expect(res.status).toBe(201);
    }
    const app = await t.auditor.get('/v1/admin/terminals?kind=HOLDER_APP');
    expect(app.body).toEqual([
      { terminalId: 'APP-1', kind: 'HOLDER_APP', venueId: null, region: null, direction: null, cardNo: card.body.cardNo, enabled: true },
    ]);
    expect((await t.get<TerminalDirectory>(TERMINAL_DIRECTORY).findTerminal('APP-1'))?.cardNo).toBe(card.body.cardNo);
    const list = await t.auditor.get('/v1/admin/terminals?venueId=TJN');
    expect(list.body.map((x: { terminalId: string }) => x.terminalId)).toEqual(['TJN-G-IN-1', 'TJN-S-1']);
  });

  it('disables and enables a terminal: the directory sees it at once; the same state twice writes nothing', async () => {
    const directory = t.get<TerminalDirectory>(TERMINAL_DIRECTORY);
    expect((await directory.findTerminal('TJN-S-1'))?.enabled).toBe(true); // cached now
    const before = await journalCount('registry.set-terminal-status');
    const off = await t.operator.post('/v1/admin/terminals/TJN-S-1/status', { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect((await directory.findTerminal('TJN-S-1'))?.enabled).toBe(false);
    const offAgain = await t.operator.post('/v1/admin/terminals/TJN-S-1/status', { enabled: false });
    expect(offAgain.status).toBe(200);
    expect(await journalCount('registry.set-terminal-status')).toBe(before + 1);
    await t.operator.post('/v1/admin/terminals/TJN-S-1/status', { enabled: true });
    expect((await directory.findTerminal('TJN-S-1'))?.enabled).toBe(true);
    expect((await t.operator.post('/v1/admin/terminals/NOPE/status', { enabled: true })).status).toBe(404);
    expect((await t.operator.post('/v1/admin/terminals/TJN-S-1/status', { enabled: 'no' })).status).toBe(400);
  });

  it('keeps auditors read-only', async () => {
    const res = await t.auditor.post('/v1/admin/terminals', { terminalId: 'A-1', kind: 'HOLDER_APP' });
    expect(res.status).toBe(403);
  });
});
