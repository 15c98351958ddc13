/**
 * The platform around the contexts, black-box: health, the OpenAPI document, admin tokens and
 * roles, unknown routes, and the production start that refuses development secrets.
 */
import { DEV_ADMIN_TOKENS, DEV_TERMINAL_MASTER_KEY, parseEnv } from '@onecard/platform';
import { rawRequest } from '@onecard/testing';
import { AUDITOR_TOKEN, startTestApp, type TestApp } from '@test/support';

describe('platform (black box)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('reports health with the database', async () => {
    const res = await rawRequest(t.baseUrl, 'GET', '/health', {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves the OpenAPI document listing the endpoints, their security and reason codes', async () => {
    const res = await rawRequest(t.baseUrl, 'GET', '/docs-json', {});
    expect(res.status).toBe(200);
    const doc = res.body;
    for (const [path, method] of [
      ['/v1/admin/venues', 'get'],
      ['/v1/admin/terminals', 'get'],
      ['/v1/admin/terminals', 'post'],
      ['/v1/admin/terminals/{terminalId}/status', 'post'],
      ['/v1/admin/cards', 'post'],
      ['/v1/admin/cards/lookup', 'post'],
      ['/v1/admin/cards/{cardNo}', 'get'],
      ['/v1/admin/cards/{cardNo}/status', 'post'],
      ['/v1/admin/cards/{cardNo}/top-ups', 'post'],
      ['/v1/admin/cards/{cardNo}/replacement', 'post'],
      ['/v1/holder/medical-codes', 'post'],
      ['/health', 'get'],
    ]) {
      expect(doc.paths[path!]?.[method!]).toBeDefined();
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'terminalId', 'terminalSignature', 'terminalTimestamp']);
    const medical = doc.paths['/v1/holder/medical-codes'].post;
    expect(medical.security.map((s: Record<string, unknown>) => Object.keys(s)[0]).sort()).toEqual(['terminalId', 'terminalSignature', 'terminalTimestamp']);
    expect(Object.keys(medical.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    const text = JSON.stringify(doc);
    for (const code of ['CARD_LOST', 'CARD_UNKNOWN', 'TOP_UP_BELOW_MINIMUM', 'BALANCE_CAP_EXCEEDED', 'NO_TRANSIT_APPLICATION']) expect(text).toContain(code);
    expect(doc.components.schemas.IssueCardDto.properties.holder).toBeDefined();
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await rawRequest(t.baseUrl, 'GET', '/v1/nowhere', {});
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('requires an admin token, and the operator role for changes', async () => {
    expect((await rawRequest(t.baseUrl, 'GET', '/v1/admin/venues', {})).status).toBe(401);
    expect((await rawRequest(t.baseUrl, 'GET', '/v1/admin/venues', { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await rawRequest(t.baseUrl, 'GET', '/v1/admin/venues', { authorization: `Basic ${AUDITOR_TOKEN}` })).status).toBe(401);
    expect((await t.auditor.get('/v1/admin/venues')).status).toBe(200);
    const res = await t.auditor.post('/v1/admin/terminals', { terminalId: 'APP-9', kind: 'HOLDER_APP' });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/operator/);
    expect((await t.auditor.post('/v1/admin/cards/T00000018/top-ups', { topUpId: 'a', account: 'BANK', amountFen: 100 })).status).toBe(403);
  });

  it('refuses a production start with the development master key, admin tokens or PII key', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db.example/onecard' };
    let message = '';
    try {
      parseEnv(production);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TERMINAL_MASTER_KEY: the development master key is refused/);
    expect(message).toMatch(/ADMIN_TOKENS: development admin tokens are refused/);
    expect(message).toMatch(/PII_HASH_KEY: the development PII hash key is refused/);
    expect(() =>
      parseEnv({
        ...production,
        TERMINAL_MASTER_KEY: DEV_TERMINAL_MASTER_KEY,
        ADMIN_TOKENS: 'operator:prod-operator-9f3a',
        PII_HASH_KEY: 'prod-pii-key-0123456789',
      }),
    ).toThrow(/TERMINAL_MASTER_KEY/);
    expect(() =>
      parseEnv({ ...production, TERMINAL_MASTER_KEY: 'prod-master-key-0123456789', ADMIN_TOKENS: DEV_ADMIN_TOKENS, PII_HASH_KEY: 'prod-pii-key-0123456789' }),
    ).toThrow(/ADMIN_TOKENS/);
    const env = parseEnv({
      ...production,
      TERMINAL_MASTER_KEY: 'prod-master-key-0123456789',
      ADMIN_TOKENS: 'operator:prod-operator-9f3a,auditor:prod-auditor-77c1',
      PII_HASH_KEY: 'prod-pii-key-0123456789',
    });
    expect(env.NODE_ENV).toBe('production');
  });
});
