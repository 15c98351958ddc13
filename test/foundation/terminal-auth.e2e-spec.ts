/**
 * Terminal authentication, black-box through HTTP (TERMINAL-API.md "Terminal authentication"):
 * a signed request is accepted; anything that fails to prove who is calling is 401; a proven
 * terminal that may not call the endpoint is 403; neither writes anything.
 */
import { computeSignature, diversifyTerminalKey, SIGNATURE_WINDOW_MS, signTerminalRequest } from '@onecard/kernel';
import { rawRequest, TerminalClient } from '@onecard/testing';
import { startTestApp, type TestApp } from '@test/support';

const PATH = '/v1/holder/medical-codes';
const CARD = 'B00000018'; // seeded Beijing employee card
const APP = `APP-${CARD}`; // its seeded holder app

describe('terminal authentication (black box, seeded demo data)', () => {
  let t: TestApp;
  let journalBefore: number;

  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true' } });
    journalBefore = await journalCount();
  });
  afterAll(() => t?.close());

  async function journalCount(): Promise<number> {
    return Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ledger.journal`))[0].n);
  }

  /** A request signed as the terminal would, then altered by `tamper` before it is sent. */
  function send(
    opts: {
      terminalId?: string;
      body?: string;
      path?: string;
      sendPath?: string;
      method?: string;
      masterKey?: string;
      timestampMs?: number;
      headers?: (h: Record<string, string>) => Record<string, string>;
    } = {},
  ) {
    const body = opts.body ?? JSON.stringify({ cardNo: CARD });
    const signed = signTerminalRequest({
      masterKey: opts.masterKey ?? t.env.TERMINAL_MASTER_KEY,
      terminalId: opts.terminalId ?? APP,
      method: opts.method ?? 'POST',
      path: opts.path ?? PATH,
      body,
      timestampMs: opts.timestampMs,
    });
    const headers = opts.headers ? opts.headers({ ...signed }) : { ...signed };
    return rawRequest(t.baseUrl, 'POST', opts.sendPath ?? opts.path ?? PATH, headers, body);
  }

  async function expectProblem(res: Awaited<ReturnType<typeof send>>, status: number, detail: RegExp) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, type: status === 401 ? '/problems/unauthorized' : '/problems/forbidden' });
    expect(res.body.detail).toMatch(detail);
  }

  it('accepts a correctly signed request from a holder app', async () => {
    const res = await new TerminalClient(t.baseUrl, APP, t.env.TERMINAL_MASTER_KEY).post(PATH, { cardNo: CARD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'ALLOW', code: expect.any(String) });
  });

  it('accepts timestamps up to 300 s either side of the service wall clock', async () => {
    expect((await send({ timestampMs: Date.now() - SIGNATURE_WINDOW_MS + 5_000 })).status).toBe(200);
    expect((await send({ timestampMs: Date.now() + SIGNATURE_WINDOW_MS - 5_000 })).status).toBe(200);
  });

  describe('401: not proven', () => {
    it('refuses a bad signature', async () => {
      await expectProblem(
        await send({ headers: (h) => ({ ...h, 'x-signature': h['x-signature'].replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }) }),
        401,
        /signature/,
      );
      await expectProblem(await send({ headers: (h) => ({ ...h, 'x-signature': 'not-hex' }) }), 401, /signature/);
      await expectProblem(await send({ headers: (h) => ({ ...h, 'x-signature': h['x-signature'].toUpperCase() }) }), 401, /signature/);
    });

    it("refuses a signature made with another master key, or with another terminal's key", async () => {
      await expectProblem(await send({ masterKey: 'some-other-deployment-master-key' }), 401, /signature/);
      const ts = String(Date.now());
      const body = JSON.stringify({ cardNo: CARD });
      const otherKey = diversifyTerminalKey(t.env.TERMINAL_MASTER_KEY, 'TJN-G-IN-1');
      const res = await rawRequest(
        t.baseUrl,
        'POST',
        PATH,
        { 'x-terminal-id': APP, 'x-timestamp': ts, 'x-signature': computeSignature(otherKey, 'POST', PATH, ts, body) },
        body,
      );
      await expectProblem(res, 401, /signature/);
    });

    it('refuses a request whose body, path, query or method differs from what was signed', async () => {
      const signedBody = JSON.stringify({ cardNo: CARD });
      const signed = signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId: APP, method: 'POST', path: PATH, body: signedBody });
      await expectProblem(await rawRequest(t.baseUrl, 'POST', PATH, { ...signed }, JSON.stringify({ cardNo: 'B00000026' })), 401, /signature/);
      await expectProblem(await rawRequest(t.baseUrl, 'POST', PATH, { ...signed }, `${signedBody} `), 401, /signature/);
      await expectProblem(await send({ sendPath: `${PATH}?via=proxy` }), 401, /signature/);
      await expectProblem(await send({ method: 'PUT' }), 401, /signature/);
    });

    it('refuses stale and future timestamps (more than 300 s off the wall clock)', async () => {
      await expectProblem(await send({ timestampMs: Date.now() - SIGNATURE_WINDOW_MS - 5_000 }), 401, /300 s/);
      await expectProblem(await send({ timestampMs: Date.now() + SIGNATURE_WINDOW_MS + 5_000 }), 401, /300 s/);
    });

    it('measures the window on the wall clock, not the business clock', async () => {
      // The test app's business clock stands at 2026-03-02 08:00 +08:00, far from now.
      await expectProblem(await send({ timestampMs: t.clock.now().getTime() }), 401, /300 s/);
    });

    it.each(['x-terminal-id', 'x-timestamp', 'x-signature'])('refuses a request without %s', async (name) => {
      await expectProblem(
        await send({ headers: (h) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== name)) }),
        401,
        /X-Terminal-Id, X-Timestamp and X-Signature/,
      );
    });

    it('refuses a timestamp that is not Unix milliseconds', async () => {
      await expectProblem(await send({ headers: (h) => ({ ...h, 'x-timestamp': new Date().toISOString() }) }), 401, /milliseconds/);
    });

    it('refuses an unknown terminal, even with a signature from its diversified key', async () => {
      await expectProblem(await send({ terminalId: 'NOT-REGISTERED-1' }), 401, /signature/);
    });
  });

  describe('403: proven but not allowed', () => {
    it('refuses a terminal of another kind (a gate asking for a medical code)', async () => {
      await expectProblem(await send({ terminalId: 'TJN-G-IN-1' }), 403, /GATE.*HOLDER_APP/);
      await expectProblem(await send({ terminalId: 'CLN-12-TUMOR-C1' }), 403, /CLINIC/);
    });

    it('refuses a disabled terminal at once, and accepts it again once enabled', async () => {
      expect((await t.operator.post(`/v1/admin/terminals/${APP}/status`, { enabled: false })).status).toBe(200);
      await expectProblem(await send(), 403, /disabled/);
      expect((await t.operator.post(`/v1/admin/terminals/${APP}/status`, { enabled: true })).status).toBe(200);
      expect((await send()).status).toBe(200);
    });
  });

  it('writes nothing for any rejected request', async () => {
    // Accepted above: 1 + 2 + 1 medical codes, 2 terminal status changes. Every 401/403 wrote nothing.
    expect(await journalCount()).toBe(journalBefore + 6);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM cards.medical_codes`);
    expect(n).toBe(4);
  });
});
