/**
 * Issue 12 §2: connections that trickled header lines or body bytes were neither answered nor
 * closed. With short limits (the defaults are 10 s / 30 s / 60 s / 65 s), a real socket that
 * trickles is cut with 408 problem+json and closed; a normal client, and a full offline batch on a
 * slow link within the batch route's longer limit, are not.
 */
import { signTerminalRequest } from '@onecard/kernel';
import { parseEnv } from '@onecard/platform';
import { startTestApp, type TestApp } from '@test/support';
import { connect, type Socket } from 'node:net';
import { setUpStations } from '../../src/contexts/transit/testing/fixtures.js';

const LIMITS = { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_LARGE_REQUEST_TIMEOUT_MS: '5000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '2500' };

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  received: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Opens a TCP connection, writes `head` at once, then each of `chunks` every `everyMs` until they
 * run out or the server closes the connection; resolves when the server has closed it.
 */
function converse(port: number, head: string, chunks: (string | Buffer)[], everyMs: number, giveUpMs = 20_000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | null = null;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; received: ${received.slice(0, 200)}`));
    }, giveUpMs);
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', () => undefined); // a reset after the answer is a close too
    socket.on('close', () => {
      if (timer) clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      socket.write(head);
      let i = 0;
      timer = setInterval(() => {
        if (i >= chunks.length || socket.destroyed) return;
        socket.write(chunks[i++]!);
      }, everyMs);
    });
  });
}

const statusOf = (e: Exchange) => Number(/^HTTP\/1\.1 (\d{3})/.exec(e.received)?.[1] ?? 0);
const bodyOf = (e: Exchange) => JSON.parse(e.received.slice(e.received.indexOf('\r\n\r\n') + 4)) as { type: string; status: number };

describe('slow clients are cut, normal ones are not (real sockets)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ env: LIMITS });
    await setUpStations(t);
    port = Number(new URL(t.baseUrl).port);
  });
  afterAll(() => t?.close());

  it('defaults to 10 s for headers, 30 s for a request, 60 s on the batch routes and 65 s keep-alive', () => {
    const env = parseEnv({});
    expect([env.HTTP_HEADERS_TIMEOUT_MS, env.HTTP_REQUEST_TIMEOUT_MS, env.HTTP_LARGE_REQUEST_TIMEOUT_MS, env.HTTP_KEEP_ALIVE_TIMEOUT_MS]).toEqual([
      10_000, 30_000, 60_000, 65_000,
    ]);
  });

  it('cuts a client that trickles header lines (one every 300 ms) after the headers timeout, with 408 problem+json', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: ${'a'.repeat(10)}\r\n`);
    const e = await converse(port, 'POST /v1/scenic/taps HTTP/1.1\r\nHost: localhost\r\n', lines, 300);
    expect(statusOf(e)).toBe(408);
    expect(e.received).toContain('Content-Type: application/problem+json');
    expect(bodyOf(e)).toMatchObject({ type: '/problems/request-timeout', status: 408 });
    expect(e.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(e.closedAfterMs).toBeLessThan(4_000);
  });

  it('cuts a client that trickles its body (a byte every 200 ms) after the request timeout, with 408 problem+json', async () => {
    const body = JSON.stringify({ tapId: 'slow-1', cardNo: 'B00000018', tappedAt: '2026-03-02T09:00:00+08:00' });
    const head = `POST /v1/scenic/taps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const e = await converse(port, head, [...body], 200);
    expect(statusOf(e)).toBe(408);
    expect(e.received).toMatch(/content-type: application\/problem\+json/i);
    expect(e.received).toMatch(/connection: close/i);
    expect(bodyOf(e)).toMatchObject({ type: '/problems/request-timeout', status: 408 });
    expect(e.closedAfterMs).toBeGreaterThanOrEqual(1_900);
    expect(e.closedAfterMs).toBeLessThan(4_000);
  });

  it('answers a normal client at once and closes its idle keep-alive connection after the keep-alive timeout', async () => {
    const e = await converse(port, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n', [], 1000);
    expect(statusOf(e)).toBe(200);
    expect(e.closedAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(e.closedAfterMs).toBeLessThan(5_000);
  });

  it('takes a full offline batch (1,000 taps, ~180 KB) sent slowly over 3 s within the batch route limit, but not on an ordinary route', async () => {
    const gate = 'BJN-G-IN-1';
    const taps = Array.from({ length: 1000 }, (_, i) => ({
      tapId: `slow-batch-${String(i).padStart(4, '0')}-${'x'.repeat(40)}`,
      cardNo: 'T00000018',
      gateId: 'BJN-G-IN-2', // not this gate: the whole batch is a 403 once it has arrived and its signature verified
      tappedAt: '2026-03-02T07:55:00+08:00',
    }));
    const body = Buffer.from(JSON.stringify({ taps }));
    expect(body.length).toBeGreaterThan(150_000);
    const path = '/v1/transit/taps:batch';
    const signed = signTerminalRequest({ masterKey: t.env.TERMINAL_MASTER_KEY, terminalId: gate, method: 'POST', path, body: body.toString() });
    const headers = Object.entries({ ...signed, 'content-type': 'application/json', 'content-length': String(body.length), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const chunks = Array.from({ length: 30 }, (_, i) => body.subarray(Math.floor((i * body.length) / 30), Math.floor(((i + 1) * body.length) / 30)));
    const batch = await converse(port, `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`, chunks, 100);
    expect(statusOf(batch)).toBe(403);
    expect(batch.received).toContain('BJN-G-IN-2');

    // The same slow link on an ordinary route (64 KiB limit, 2 s here): cut.
    const small = Buffer.from(JSON.stringify({ tapId: 'slow-2', cardNo: 'B00000018', tappedAt: '2026-03-02T09:00:00+08:00', pad: 'p'.repeat(30_000) }));
    const smallChunks = Array.from({ length: 30 }, (_, i) => small.subarray(Math.floor((i * small.length) / 30), Math.floor(((i + 1) * small.length) / 30)));
    const cut = await converse(
      port,
      `POST /v1/scenic/taps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${small.length}\r\n\r\n`,
      smallChunks,
      100,
    );
    expect(statusOf(cut)).toBe(408);
  });
});
