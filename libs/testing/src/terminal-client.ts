import { signTerminalRequest } from '@onecard/kernel';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function send<T>(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer<T>> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A terminal that signs every request as TERMINAL-API.md says. */
export class TerminalClient {
  constructor(
    readonly baseUrl: string,
    readonly terminalId: string,
    private readonly masterKey: string,
  ) {}

  post<T = any>(path: string, body: unknown, opts: { timestampMs?: number; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer<T>> {
    const text = opts.raw ?? JSON.stringify(body);
    const signed = signTerminalRequest({
      masterKey: this.masterKey,
      terminalId: this.terminalId,
      method: 'POST',
      path,
      body: text,
      timestampMs: opts.timestampMs,
    });
    return send<T>(this.baseUrl, 'POST', path, { ...signed, ...opts.headers }, text);
  }

  get<T = any>(path: string, opts: { timestampMs?: number } = {}): Promise<HttpAnswer<T>> {
    const signed = signTerminalRequest({ masterKey: this.masterKey, terminalId: this.terminalId, method: 'GET', path, timestampMs: opts.timestampMs });
    return send<T>(this.baseUrl, 'GET', path, { ...signed });
  }
}

/** An admin with a bearer token. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  post<T = any>(path: string, body: unknown): Promise<HttpAnswer<T>> {
    return send<T>(this.baseUrl, 'POST', path, { authorization: `Bearer ${this.token}` }, JSON.stringify(body));
  }

  get<T = any>(path: string): Promise<HttpAnswer<T>> {
    return send<T>(this.baseUrl, 'GET', path, { authorization: `Bearer ${this.token}` });
  }

  put<T = any>(path: string, body: unknown): Promise<HttpAnswer<T>> {
    return send<T>(this.baseUrl, 'PUT', path, { authorization: `Bearer ${this.token}` }, JSON.stringify(body));
  }
}

/** Unsigned request, for testing rejections. */
export function rawRequest<T = any>(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer<T>> {
  return send<T>(baseUrl, method, path, headers, body);
}
