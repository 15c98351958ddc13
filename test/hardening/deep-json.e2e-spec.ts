/**
 * Issue 12 §1: deeply nested JSON used to crash class-transformer (RangeError: Maximum call stack
 * size exceeded → 500). The JSON parser refuses nesting beyond MAX_JSON_DEPTH with 400
 * problem+json before any guard or validation runs: signed or not, terminal or admin, every route.
 */
import { signTerminalRequest } from '@onecard/kernel';
import { MAX_JSON_DEPTH } from '@onecard/platform';
import { rawRequest, type HttpAnswer } from '@onecard/testing';
import { OPERATOR_TOKEN, startTestApp, type TestApp } from '@test/support';

const nestedArrays = (depth: number, inner = '0') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('deeply nested JSON (black box, seeded demo data)', () => {
  let t: TestApp;
  let journalBefore: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true' } });
    journalBefore = await journalCount();
  });
  afterAll(() => t?.close());

  const journalCount = async () => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal`))[0].n);

  function signed(terminalId: string, path: string, body: string): Promise<HttpAnswer> {
    const headers = signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId, method: 'POST', path, body });
    return rawRequest(t.baseUrl, 'POST', path, { ...headers, 'content-type': 'application/json' }, body);
  }
  const unsigned = (path: string, body: string) => rawRequest(t.baseUrl, 'POST', path, { 'content-type': 'application/json' }, body);
  const admin = (path: string, body: string) =>
    rawRequest(t.baseUrl, 'POST', path, { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' }, body);

  function expectTooDeep(res: HttpAnswer): void {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status: 400,
      type: '/problems/validation',
      errors: [{ pointer: '', detail: expect.stringMatching(/nested deeper than 32/) }],
    });
  }

  const scenicTap = (extra: string) => `{"tapId":"deep-1","cardNo":"B00000018","tappedAt":"2026-03-02T09:00:00+08:00","extra":${extra}}`;

  it('refuses a signed scenic tap with a field nested 1,500 arrays deep (3 KB) with 400, not 500', async () => {
    expectTooDeep(await signed('SCN-11-SUMMER-G1', '/v1/scenic/taps', scenicTap(nestedArrays(1500))));
  });

  it('refuses a top-level object nested 3,000 deep, signed or unsigned, and at the admin API', async () => {
    expectTooDeep(await signed('SCN-11-SUMMER-G1', '/v1/scenic/taps', nestedObjects(3000)));
    expectTooDeep(await unsigned('/v1/scenic/taps', nestedObjects(3000)));
    expectTooDeep(await admin('/v1/admin/terminals', nestedObjects(3000)));
    expectTooDeep(await admin('/v1/admin/terminals', `{"terminalId":"X-1","kind":"GATE","venueId":"TJN","direction":"IN","x":${nestedArrays(1500)}}`));
  });

  it('lets nesting up to the limit through to validation (an unknown field is a normal 400)', async () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    // The body object is level 1: the field holds 31 more levels.
    const res = await signed('SCN-11-SUMMER-G1', '/v1/scenic/taps', scenicTap(nestedArrays(MAX_JSON_DEPTH - 1)));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: '/extra', detail: 'unknown field "extra"' }]);
    expectTooDeep(await signed('SCN-11-SUMMER-G1', '/v1/scenic/taps', scenicTap(nestedArrays(MAX_JSON_DEPTH))));
  });

  it('refuses it on every POST and PUT route of the OpenAPI document, signed, unsigned and as admin, and writes nothing', async () => {
    const doc = (await rawRequest(t.baseUrl, 'GET', '/docs-json', {})).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m === 'post' || m === 'put')
        .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x-1') })),
    );
    expect(routes.length).toBeGreaterThan(30);
    const body = nestedObjects(3000);
    for (const { method, path } of routes) {
      const headers = signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId: 'SCN-11-SUMMER-G1', method, path, body });
      const variants: Record<string, string>[] = [{ ...headers }, {}, { authorization: `Bearer ${OPERATOR_TOKEN}` }];
      for (const h of variants) {
        const res = await rawRequest(t.baseUrl, method, path, { ...h, 'content-type': 'application/json' }, body);
        if (res.status !== 400) throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
        expectTooDeep(res);
      }
    }
    expect(await journalCount()).toBe(journalBefore);
  });
});
