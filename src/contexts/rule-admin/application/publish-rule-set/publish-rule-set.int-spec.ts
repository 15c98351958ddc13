import { contentSha256, RuleBook, RuleStore, TransitNetworkRules } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The network rule set v2 from the repository, as a publish body for version 3. */
function networkV3(changes: { effectiveFrom: string; effectiveTo?: string | null; bjnTjn?: number }): Record<string, any> {
  const body = parse(readFileSync('rules/transit/all/network.v2.yaml', 'utf8'));
  body.version = 3;
  body.effectiveFrom = changes.effectiveFrom;
  if (changes.effectiveTo !== undefined) body.effectiveTo = changes.effectiveTo;
  body.description = 'Fare revision (test).';
  if (changes.bjnTjn !== undefined) body.parameters.fares.BJN.TJN = changes.bjnTjn;
  return body;
}

describe('publishing rule sets through the admin API (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-03-02T08:00:00+08:00' });
  });
  afterAll(() => t?.close());

  const versions = async (id: string) =>
    (await t.dataSource.query(`SELECT version FROM rules.rule_sets WHERE id = $1 ORDER BY version`, [id])).map((r: any) => r.version);

  it('lists the published versions with where each stands today, and shows one with its parameters', async () => {
    const list = await t.auditor.get('/v1/admin/rule-sets?context=transit');
    expect(list.status).toBe(200);
    expect(list.body.map((r: any) => [r.id, r.version, r.status])).toEqual([
      ['transit.jingjin', 1, 'IN_FORCE'],
      ['transit.jingjin', 2, 'SCHEDULED'],
    ]);
    expect(list.body[0]).not.toHaveProperty('parameters');
    expect((await t.operator.get('/v1/admin/rule-sets?region=12')).body.every((r: any) => r.region === '12')).toBe(true);
    expect((await t.operator.get('/v1/admin/rule-sets?region=99')).status).toBe(400);

    const one = await t.auditor.get('/v1/admin/rule-sets/medical.policy.tianjin/versions/1');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'medical.policy.tianjin', kind: 'policy', region: '12', status: 'IN_FORCE', sources: { '': '3P' } });
    expect(one.body.parameters.schemes.EMPLOYEE.inpatient.firstStayDeductibleFen).toEqual({ 1: 80000, 2: 110000, 3: 170000 });
    expect((await t.auditor.get('/v1/admin/rule-sets/medical.policy.tianjin/versions/9')).status).toBe(404);
    const bad = await t.auditor.get('/v1/admin/rule-sets/Not%20An%20Id/versions/x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.pointer)).toEqual(['/id', '/version']);
  });

  it('answers schema errors with 400 problem+json naming each pointer, writing nothing', async () => {
    const body = networkV3({ effectiveFrom: '2027-02-01' });
    body.parameters.fares.BJN.TJN = 54.5;
    body.parameters.firstClass.overrides.BJN.TJN = -1;
    body.sources['/fares/XXX'] = 'S';
    body.extra = true;
    const res = await t.operator.post('/v1/admin/rule-sets', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ pointer: '/extra', detail: 'unknown field "extra"' }]);
    delete body.extra;
    const again = await t.operator.post('/v1/admin/rule-sets', body);
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/parameters/fares/BJN/TJN', detail: 'expected integer fen' },
        { pointer: '/parameters/firstClass/overrides/BJN/TJN', detail: 'expected fen ≥ 0' },
        { pointer: '/sources/~1fares~1XXX', detail: '"/fares/XXX" points at nothing in parameters' },
      ]),
    );
    const unknownKind = await t.operator.post('/v1/admin/rule-sets', { ...networkV3({ effectiveFrom: '2027-02-01' }), kind: 'netwerk' });
    expect(unknownKind.body.errors[0]).toMatchObject({ pointer: '/kind', detail: expect.stringMatching(/no module registered rule kind transit\/netwerk/) });
    expect(await versions('transit.jingjin')).toEqual([1, 2]);
  });

  it('refuses a wrong version number, a date not in the future, and an overlap with the scheduled version 2', async () => {
    const republish = await t.operator.post('/v1/admin/rule-sets', { ...networkV3({ effectiveFrom: '2027-02-01' }), version: 2 });
    expect(republish.status).toBe(409);
    expect(republish.body).toMatchObject({
      code: 'VERSION_NOT_NEXT',
      detail: expect.stringMatching(/version 2 of transit\.jingjin is already published and a published version never changes/),
    });
    expect((await t.operator.post('/v1/admin/rule-sets', { ...networkV3({ effectiveFrom: '2027-02-01' }), version: 4 })).body.code).toBe('VERSION_NOT_NEXT');

    const today = await t.operator.post('/v1/admin/rule-sets', networkV3({ effectiveFrom: '2026-03-02' }));
    expect(today.status).toBe(400);
    expect(today.body).toMatchObject({ code: 'NOT_IN_FUTURE', errors: [{ pointer: '/effectiveFrom' }] });
    expect(today.body.detail).toMatch(/today is 2026-03-02 in Asia\/Shanghai/);

    const overlap = await t.operator.post('/v1/admin/rule-sets', networkV3({ effectiveFrom: '2026-06-01' }));
    expect(overlap.status).toBe(409);
    expect(overlap.body).toMatchObject({
      code: 'OVERLAPS_LATER_VERSION',
      detail: expect.stringMatching(/version 2 of transit\.jingjin takes effect on 2027-01-01/),
    });

    const taken = await t.operator.post('/v1/admin/rule-sets', { ...networkV3({ effectiveFrom: '2027-02-01' }), id: 'transit.other', version: 1 });
    expect(taken.body.code).toBe('FAMILY_TAKEN');
    expect(await versions('transit.jingjin')).toEqual([1, 2]);
  });

  it('publishes the next version for operators only, journals it, replays a retry, and resolves with it at once', async () => {
    const body = networkV3({ effectiveFrom: '2027-02-01', bjnTjn: 5600 });
    expect((await t.auditor.post('/v1/admin/rule-sets', body)).status).toBe(403);
    const rules = t.get<RuleBook>(RuleBook);
    const feb = new Date('2027-02-01T00:00:00+08:00');
    expect(rules.resolve(TransitNetworkRules, '11', feb).version).toBe(2);

    const res = await t.operator.post('/v1/admin/rule-sets', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'transit.jingjin',
      version: 3,
      status: 'SCHEDULED',
      effectiveFrom: '2027-02-01',
      publishedBy: expect.stringMatching(/^operator:/),
      sourceFile: null,
    });
    // Cache invalidated on publish: no wait, no restart.
    expect(rules.resolve(TransitNetworkRules, '11', feb).parameters.fares.BJN!.TJN).toBe(5600);
    expect(rules.resolve(TransitNetworkRules, '11', new Date('2027-01-31T23:59:59+08:00')).version).toBe(2);

    const retry = await t.operator.post('/v1/admin/rule-sets', body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const [journal] = await t.dataSource.query(
      `SELECT count(*)::int AS n, min(rule_set_id) AS id, min(rule_version) AS v FROM ledger.journal WHERE command_type = 'rules.publish'`,
    );
    expect(journal).toEqual({ n: 1, id: 'transit.jingjin', v: 3 });
    expect((await t.operator.post('/v1/admin/rule-sets', { ...body, description: 'another body' })).status).toBe(409);
    expect(await versions('transit.jingjin')).toEqual([1, 2, 3]);
    const listed = (await t.auditor.get('/v1/admin/rule-sets?context=transit&kind=network')).body;
    expect(listed.map((r: any) => r.status)).toEqual(['IN_FORCE', 'SCHEDULED', 'SCHEDULED']);
  });

  it('lets another instance pick up a publish on its next poll', async () => {
    const store = t.get<RuleStore>(RuleStore);
    const rules = t.get<RuleBook>(RuleBook);
    // What another instance's publish leaves in the table, written here with this instance unaware.
    const [v3] = await t.dataSource.query(`SELECT * FROM rules.rule_sets WHERE id = 'transit.jingjin' AND version = 3`);
    const v4 = { ...(v3 as Record<string, any>) };
    const params = v4.parameters;
    params.fares.BJN.TJN = 5700;
    const content = {
      id: 'transit.jingjin',
      version: 4,
      context: 'transit',
      kind: 'network',
      region: 'ALL',
      effectiveFrom: '2027-03-01',
      effectiveTo: null,
      description: 'other instance',
      sources: v4.sources,
      parameters: params,
    };
    await t.dataSource.query(
      `INSERT INTO rules.rule_sets (id, version, context, kind, region, effective_from, effective_to, description, parameters, sources, content_sha256, published_by)
       VALUES ($1, 4, 'transit', 'network', 'ALL', '2027-03-01', NULL, 'other instance', $2::jsonb, $3::jsonb, $4, 'operator:elsewhere')`,
      ['transit.jingjin', JSON.stringify(params), JSON.stringify(v4.sources), contentSha256(content)],
    );
    const march = new Date('2027-03-01T00:00:00+08:00');
    expect(rules.resolve(TransitNetworkRules, '12', march).version).toBe(3);
    await store.poll();
    expect(rules.resolve(TransitNetworkRules, '12', march)).toMatchObject({ version: 4, description: 'other instance' });
  });
});
