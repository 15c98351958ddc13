/**
 * Bad input, black-box through HTTP: unknown fields, wrong types, bad ids, malformed or non-JSON
 * bodies and oversized bodies are 400/413/415 problem+json naming each bad field, and nothing is
 * written (no journal record, no row).
 */
import { signTerminalRequest } from '@onecard/kernel';
import { rawRequest } from '@onecard/testing';
import { OPERATOR_TOKEN, startTestApp, type TestApp } from '@test/support';

const APP = 'APP-B00000018'; // the seeded holder app of the Beijing employee card
const MEDICAL_CODES = '/v1/holder/medical-codes';

describe('validation errors (black box, seeded demo data)', () => {
  let t: TestApp;
  let before: { journal: number; cards: number; terminals: number; codes: number };

  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true' } });
    before = await counts();
  });
  afterAll(() => t?.close());

  async function counts() {
    const [r] = await t.dataSource.query(`SELECT (SELECT count(*) FROM ledger.journal)::int AS journal, (SELECT count(*) FROM cards.cards)::int AS cards,
      (SELECT count(*) FROM registry.terminals)::int AS terminals, (SELECT count(*) FROM cards.medical_codes)::int AS codes`);
    return r as typeof before;
  }

  /** A correctly signed terminal request with exactly these body bytes and content type. */
  function signed(body: string, contentType = 'application/json') {
    const headers = signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId: APP, method: 'POST', path: MEDICAL_CODES, body });
    return rawRequest(t.baseUrl, 'POST', MEDICAL_CODES, { ...headers, 'content-type': contentType }, body);
  }
  const admin = (path: string, body: string, contentType = 'application/json') =>
    rawRequest(t.baseUrl, 'POST', path, { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': contentType }, body);

  function pointers(res: { body: { errors?: { pointer: string }[] } }): string[] {
    return (res.body.errors ?? []).map((e) => e.pointer).sort();
  }
  function expectProblem(res: { status: number; headers: Headers; body: { status?: number } }, status: number) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
  }

  describe('terminal command (signed)', () => {
    it('names an unknown field and a wrongly typed card number', async () => {
      const res = await signed(JSON.stringify({ cardNo: 18, holder: 'me' }));
      expectProblem(res, 400);
      expect(pointers(res)).toEqual(['/cardNo', '/holder']);
      expect(res.body.errors.find((e: { pointer: string }) => e.pointer === '/holder').detail).toBe('unknown field "holder"');
    });

    it.each(['T0000001', 't00000018', 'X00000018', 'T00000018 ', ''])('refuses the malformed card number %j', async (cardNo) => {
      const res = await signed(JSON.stringify({ cardNo }));
      expectProblem(res, 400);
      expect(pointers(res)).toEqual(['/cardNo']);
    });

    it('refuses a missing field', async () => {
      expect(pointers(await signed('{}'))).toEqual(['/cardNo']);
    });

    it('refuses malformed JSON with 400 pointing at the whole body', async () => {
      const res = await signed('{"cardNo": "B00000018"');
      expectProblem(res, 400);
      expect(res.body).toMatchObject({ type: '/problems/validation', errors: [{ pointer: '' }] });
    });

    it('refuses an empty JSON body', async () => {
      const res = await signed('');
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ pointer: '', detail: 'the body must be a JSON object' }]);
    });

    it('refuses a body that is not JSON with 415', async () => {
      expectProblem(await signed('cardNo=B00000018', 'application/x-www-form-urlencoded'), 415);
      expectProblem(await signed('B00000018', 'text/plain'), 415);
    });

    it('refuses a body over 64 KiB with 413', async () => {
      const res = await signed(JSON.stringify({ cardNo: 'B00000018', padding: 'x'.repeat(65 * 1024) }));
      expectProblem(res, 413);
      expect(res.body.type).toBe('/problems/payload-too-large');
    });
  });

  describe('admin commands', () => {
    it('names every bad field of a card issue, nested ones by their path', async () => {
      const res = await admin(
        '/v1/admin/cards',
        JSON.stringify({
          holder: { name: '', nationalId: '12345', birthDate: '1985-02-30', homeRegion: '14', scheme: 'FARMER', retiree: 'yes', photo: 'x' },
          issuingRegion: 12,
          generation: 4,
          transitApp: 'true',
          colour: 'red',
        }),
      );
      expectProblem(res, 400);
      expect(pointers(res)).toEqual([
        '/colour',
        '/generation',
        '/holder/birthDate',
        '/holder/homeRegion',
        '/holder/name',
        '/holder/nationalId',
        '/holder/photo',
        '/holder/retiree',
        '/holder/scheme',
        '/issuingRegion',
        '/transitApp',
      ]);
    });

    it('names bad ids and amounts of a top-up (negative, fractional, string, bad id)', async () => {
      const res = await admin('/v1/admin/cards/T00000018/top-ups', JSON.stringify({ topUpId: 'has space', account: 'WALLET', amountFen: -1.5 }));
      expectProblem(res, 400);
      expect(pointers(res)).toEqual(['/account', '/amountFen', '/topUpId']);
      expect(
        pointers(await admin('/v1/admin/cards/T00000018/top-ups', JSON.stringify({ topUpId: 'x'.repeat(65), account: 'BANK', amountFen: '100' }))),
      ).toEqual(['/amountFen', '/topUpId']);
    });

    it('refuses a bad card number or terminal id in the path', async () => {
      expect(pointers(await admin('/v1/admin/cards/T0/top-ups', JSON.stringify({ topUpId: 'a', account: 'BANK', amountFen: 100 })))).toEqual(['/cardNo']);
      expect(pointers(await admin('/v1/admin/terminals/bad%20id/status', JSON.stringify({ enabled: true })))).toEqual(['/terminalId']);
    });

    it('names bad fields of a terminal registration', async () => {
      const res = await admin('/v1/admin/terminals', JSON.stringify({ terminalId: 'TJN/G/9', kind: 'TURNSTILE', venueId: 7, direction: 'UP' }));
      expectProblem(res, 400);
      expect(pointers(res)).toEqual(['/direction', '/kind', '/terminalId', '/venueId']);
    });

    it('refuses malformed JSON and non-JSON bodies here too', async () => {
      expectProblem(await admin('/v1/admin/cards', '{"holder":'), 400);
      expectProblem(await admin('/v1/admin/cards', 'holder=x', 'application/x-www-form-urlencoded'), 415);
      expectProblem(await admin('/v1/admin/cards', JSON.stringify({ holder: { name: 'x'.repeat(70_000) } })), 413);
    });
  });

  it('wrote nothing for any of it', async () => {
    expect(await counts()).toEqual(before);
  });
});
