import type { DecisionDetails } from '@onecard/kernel';
import { CommandExecutor } from '@onecard/engine';
import { ReplayRegistry, RuleBook, TransitNetworkRules, type DecisionReplayer } from '@onecard/rules';
import { startTestApp, type TestApp } from '@test/support';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * A stand-in for a context's decision: the second-class fare between two stations, decided with
 * the network rule set in force at the event time and journaled with its id and version.
 */
const QUOTE = 'testing.fare-quote';

const fareReplayer: DecisionReplayer = {
  commandTypes: [QUOTE],
  replay(details: DecisionDetails, rules: RuleBook, recorded?: { eventTime: Date }) {
    const { from, to } = details.input as { from: string; to: string };
    const network = rules.resolve(TransitNetworkRules, 'ALL', recorded!.eventTime);
    return { fareFen: network.parameters.fares[from]![to]! };
  },
};

describe('explaining and replaying journaled decisions (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-12-31T23:59:00+08:00' });
    t.get<ReplayRegistry>(ReplayRegistry).register(fareReplayer);
  });
  afterAll(() => t?.close());

  /** Journals a quote; `tamper` records a wrong outcome, as a buggy or altered decision would. */
  async function quote(id: string, from: string, to: string, opts: { tamper?: boolean; balanceFen?: number } = {}) {
    const rules = t.get<RuleBook>(RuleBook);
    return t.get<CommandExecutor>(CommandExecutor).run({
      envelope: { type: QUOTE, id, context: 'testing', payload: { from, to } },
      decide: async (_, tx) => {
        const network = rules.resolve(TransitNetworkRules, 'ALL', tx.now);
        const fareFen = network.parameters.fares[from]![to]!;
        const outcome = { fareFen: opts.tamper ? fareFen + 1 : fareFen };
        const short = opts.balanceFen !== undefined && opts.balanceFen < fareFen;
        return {
          decision: short ? 'DENY' : 'ALLOW',
          ...(short ? { reason: { code: 'INSUFFICIENT_BALANCE', message: 'Balance below the fare.' } } : {}),
          ruleSet: network.ref,
          response: short
            ? { decision: 'DENY', reason: { code: 'INSUFFICIENT_BALANCE', message: 'Balance below the fare.' } }
            : { decision: 'ALLOW', ...outcome },
          details: { input: { from, to }, facts: opts.balanceFen !== undefined ? { balanceFen: opts.balanceFen } : {}, outcome, rule: 'fare.od-table' },
        } as const;
      },
    });
  }

  it('explains a decision from the journal: inputs, facts, outcome, rule, and the rule set version with its description', async () => {
    await quote('q-1', 'BJN', 'TJN', { balanceFen: 1000 });
    const res = await t.operator.get('/v1/admin/decisions/q-1/explanation');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      commandId: 'q-1',
      commandType: QUOTE,
      context: 'testing',
      decision: 'DENY',
      reason: { code: 'INSUFFICIENT_BALANCE', message: 'Balance below the fare.' },
      eventTime: '2026-12-31T15:59:00.000Z',
      ruleSet: {
        id: 'transit.jingjin',
        version: 1,
        kind: 'network',
        region: 'ALL',
        effectiveFrom: '2026-01-01',
        description: expect.stringMatching(/Yongle reserved/),
      },
      details: { input: { from: 'BJN', to: 'TJN' }, facts: { balanceFen: 1000 }, outcome: { fareFen: 5450 }, rule: 'fare.od-table' },
    });
    expect((await t.auditor.get('/v1/admin/decisions/q-1/explanation?type=testing.fare-quote')).status).toBe(200);
  });

  it('replays a decision with its recorded version: match, and mismatch when the record disagrees', async () => {
    await quote('q-2', 'YZH', 'WQI');
    const match = await t.auditor.post('/v1/admin/decisions/q-2/replay', undefined);
    expect(match.status).toBe(200);
    expect(match.body).toEqual({
      match: true,
      commandType: QUOTE,
      commandId: 'q-2',
      ruleSet: { id: 'transit.jingjin', version: 1 },
      recorded: { fareFen: 2750 },
      recomputed: { fareFen: 2750 },
    });

    await quote('q-3', 'YZH', 'WQI', { tamper: true });
    const mismatch = await t.auditor.post('/v1/admin/decisions/q-3/replay', undefined);
    expect(mismatch.body).toMatchObject({ match: false, recorded: { fareFen: 2751 }, recomputed: { fareFen: 2750 } });
    expect((await t.operator.post('/v1/admin/decisions/q-2/replay', undefined)).status).toBe(403);
  });

  it('still explains and replays a decision made before a publish with the version it used', async () => {
    await quote('q-before', 'BJN', 'TJN');
    const body = parse(readFileSync('rules/transit/all/network.v2.yaml', 'utf8'));
    Object.assign(body, { version: 3, effectiveFrom: '2027-02-01', description: 'Fare revision.' });
    body.parameters.fares.BJN.TJN = 5600;
    expect((await t.operator.post('/v1/admin/rule-sets', body)).status).toBe(201);
    t.clock.set('2027-02-01T09:00:00+08:00');
    await quote('q-after', 'BJN', 'TJN');

    const before = (await t.auditor.get('/v1/admin/decisions/q-before/explanation')).body;
    expect(before.ruleSet).toMatchObject({ id: 'transit.jingjin', version: 1 });
    expect(before.details.outcome).toEqual({ fareFen: 5450 });
    const after = (await t.auditor.get('/v1/admin/decisions/q-after/explanation')).body;
    expect(after.ruleSet).toMatchObject({ id: 'transit.jingjin', version: 3, description: 'Fare revision.' });
    expect(after.details.outcome).toEqual({ fareFen: 5600 });

    expect((await t.auditor.post('/v1/admin/decisions/q-before/replay', undefined)).body).toMatchObject({
      match: true,
      ruleSet: { version: 1 },
      recomputed: { fareFen: 5450 },
    });
    expect((await t.auditor.post('/v1/admin/decisions/q-after/replay', undefined)).body).toMatchObject({
      match: true,
      ruleSet: { version: 3 },
      recomputed: { fareFen: 5600 },
    });
  });

  it('answers 404 for an unknown command, 409 for an ambiguous id, 422 without a replayer, 400 for a bad id', async () => {
    const unknown = await t.auditor.get('/v1/admin/decisions/nope/explanation');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.auditor.post('/v1/admin/decisions/nope/replay', undefined)).status).toBe(404);

    const executor = t.get<CommandExecutor>(CommandExecutor);
    await executor.run({
      envelope: { type: 'testing.other', id: 'q-1', context: 'testing', payload: {} },
      decide: () => ({ decision: 'ALLOW', response: {}, details: { input: {}, facts: {}, outcome: { ok: true } } }),
    });
    const ambiguous = await t.auditor.get('/v1/admin/decisions/q-1/explanation');
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.commandTypes).toEqual([QUOTE, 'testing.other']);
    const noReplayer = await t.auditor.post('/v1/admin/decisions/q-1/replay?type=testing.other', undefined);
    expect(noReplayer.status).toBe(422);
    expect(noReplayer.body.detail).toMatch(/No replayer is registered for command type testing\.other; replayable types: .*testing\.fare-quote/);
    expect((await t.auditor.get('/v1/admin/decisions/bad%20id!/explanation')).status).toBe(400);
    expect((await t.auditor.get('/v1/admin/decisions/q-1/explanation?type=Bad')).status).toBe(400);
  });
});
