/**
 * Issue 12 §7: a stolen terminal id could be hammered with guessed signatures. After 20 failed
 * authentications (401) in the window from one address, that (terminal id, address) gets 429
 * problem+json with Retry-After — even with the right signature — while the same terminal id from
 * another address, and other terminal ids from this one, go on as before. X-Forwarded-For is not
 * believed (TRUST_PROXY is off), so a guesser cannot pose as another address.
 */
import { signTerminalRequest } from '@onecard/kernel';
import { startTestApp, type TestApp } from '@test/support';
import { request, type IncomingHttpHeaders } from 'node:http';

const WINDOW_MS = 4_000;
const PATH = '/v1/museums/taps';

describe('failed-signature throttling (black box, seeded demo data)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true', AUTH_FAILURE_WINDOW_MS: String(WINDOW_MS) } });
  });
  afterAll(() => t?.close());

  /** A POST over a new connection from `localAddress`. */
  function post(
    localAddress: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
    const url = new URL(path, t.baseUrl);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path, method: 'POST', localAddress, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A request from a chosen loopback source address (127.0.0.1 or another of 127.0.0.0/8). */
  async function tap(from: string, terminalId: string, opts: { badSignature?: boolean; headers?: Record<string, string> } = {}) {
    const body = JSON.stringify({ tapId: `thr-${Math.random().toString(36).slice(2)}`, cardNo: 'B00000018', tappedAt: '2026-03-02T08:00:00+08:00' });
    const signed: Record<string, string> = { ...signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId, method: 'POST', path: PATH, body }) };
    if (opts.badSignature) signed['x-signature'] = '0'.repeat(64);
    const res = await post(from, PATH, { ...signed, 'content-type': 'application/json', ...opts.headers }, body);
    return { status: res.status, headers: res.headers, body: JSON.parse(res.text) as { type?: string; status?: number; decision?: string } };
  }

  it('answers 429 after 20 failed signatures from one address, not before, and lets the window pass', async () => {
    const gate = 'MUS-11-NATIONAL-G1';
    expect((await tap('127.0.0.1', gate)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await tap('127.0.0.1', gate, { badSignature: true })).status).toBe(401);
    const refused = await tap('127.0.0.1', gate, { badSignature: true });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    // From that address even a correct signature is refused: a guesser learns nothing more.
    expect((await tap('127.0.0.1', gate)).status).toBe(429);
    // Claiming another address in X-Forwarded-For changes nothing.
    expect((await tap('127.0.0.1', gate, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(429);

    // The same terminal from another address is not locked out; another terminal from this address neither.
    const elsewhere = await tap('127.0.0.2', gate);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.decision).toBeDefined();
    expect((await tap('127.0.0.1', 'MUS-12-TIANJIN-G1')).status).toBe(200);

    // Once the oldest failures leave the window, the pair may try again.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    expect((await tap('127.0.0.1', gate)).status).toBe(200);
  });

  it('counts guesses at unknown terminal ids too, per address', async () => {
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await tap('127.0.0.3', 'NO-SUCH-TERMINAL')).status);
    expect(statuses).toEqual(Array(20).fill(401));
    expect((await tap('127.0.0.3', 'NO-SUCH-TERMINAL')).status).toBe(429);
    expect((await tap('127.0.0.4', 'NO-SUCH-TERMINAL')).status).toBe(401);
  });
});
