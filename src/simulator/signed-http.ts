import { signTerminalRequest } from '@onecard/kernel';
import { Pool } from 'undici';

/** What the simulator does wrong on purpose (the `chaos` scenario). */
export type Fault = 'bad-signature' | 'stale-timestamp' | 'malformed-body' | 'drop-connection';

export interface Answer {
  status: number;
  body: any;
  text: string;
  replayed: boolean;
  /** Wall-clock latency in milliseconds. */
  ms: number;
}

export class DroppedConnection extends Error {}

/**
 * Keep-alive HTTP to the service with terminal signatures (TERMINAL-API.md) and admin tokens.
 * One undici pool; every request is signed over the exact bytes sent.
 */
export class SignedHttp {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly masterKey: string,
    private readonly adminToken: string,
    connections: number,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  async terminal(terminalId: string, method: 'GET' | 'POST', path: string, body?: unknown, fault?: Fault): Promise<Answer> {
    let text = body === undefined ? '' : JSON.stringify(body);
    let timestampMs = Date.now();
    if (fault === 'stale-timestamp') timestampMs -= 301_000;
    const headers: Record<string, string> = { ...signTerminalRequest({ masterKey: this.masterKey, terminalId, method, path, body: text, timestampMs }) };
    if (fault === 'bad-signature') headers['x-signature'] = flipLastHexDigit(headers['x-signature']!);
    if (fault === 'malformed-body') {
      // Signed correctly, but not the JSON the endpoint wants: the service must answer 400, never 500.
      text = text.replace(/}$/, ',}');
      Object.assign(headers, signTerminalRequest({ masterKey: this.masterKey, terminalId, method, path, body: text, timestampMs }));
    }
    if (text) headers['content-type'] = 'application/json';
    return this.request(method, path, headers, text, fault === 'drop-connection');
  }

  admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${this.adminToken}` };
    if (text) headers['content-type'] = 'application/json';
    return this.request(method, path, headers, text, false);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async request(method: string, path: string, headers: Record<string, string>, text: string, drop: boolean): Promise<Answer> {
    const started = performance.now();
    const controller = drop ? new AbortController() : null;
    // A dropped connection: the request reaches the service, the client gives up before the answer.
    if (controller) setTimeout(() => controller.abort(), 1);
    try {
      const res = await this.pool.request({ method: method as 'GET', path, headers, body: text || undefined, signal: controller?.signal });
      const raw = await res.body.text();
      let parsed: unknown = raw;
      try {
        parsed = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the text
      }
      return { status: res.statusCode, body: parsed, text: raw, replayed: res.headers['idempotent-replayed'] === 'true', ms: performance.now() - started };
    } catch (error) {
      if (controller?.signal.aborted) throw new DroppedConnection('dropped by the simulator');
      throw error;
    }
  }
}

function flipLastHexDigit(hex: string): string {
  const last = hex.at(-1)!;
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}
