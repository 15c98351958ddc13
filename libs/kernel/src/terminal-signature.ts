import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqualHex } from './hashing.js';

/**
 * Terminal request signing (TERMINAL-API.md "Terminal authentication"). Shared by the service
 * (verification) and every client in this repository (CLI, simulator, tests), so both sides compute
 * exactly the same bytes.
 */
export const TERMINAL_HEADERS = {
  id: 'x-terminal-id',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
} as const;

/** Allowed clock difference between a terminal and the service. */
export const SIGNATURE_WINDOW_MS = 300_000;

/** key = HMAC-SHA256(masterKey, terminalId), raw 32 bytes: per-terminal key diversification. */
export function diversifyTerminalKey(masterKey: string, terminalId: string): Buffer {
  return createHmac('sha256', Buffer.from(masterKey, 'utf8')).update(Buffer.from(terminalId, 'utf8')).digest();
}

/** The exact string that is signed: method, path with query, timestamp and sha256 of the body. */
export function signingString(method: string, pathWithQuery: string, timestampMs: string, body: string | Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestampMs}\n${bodyHash}`;
}

export function computeSignature(key: Buffer, method: string, pathWithQuery: string, timestampMs: string, body: string | Buffer): string {
  return createHmac('sha256', key)
    .update(signingString(method, pathWithQuery, timestampMs, body))
    .digest('hex');
}

export interface SignedHeaders {
  'x-terminal-id': string;
  'x-timestamp': string;
  'x-signature': string;
}

/** Headers for one signed request. `body` must be the exact bytes that will be sent. */
export function signTerminalRequest(opts: {
  masterKey: string;
  terminalId: string;
  method: string;
  path: string;
  body?: string | Buffer;
  timestampMs?: number;
}): SignedHeaders {
  const ts = String(opts.timestampMs ?? Date.now());
  const key = diversifyTerminalKey(opts.masterKey, opts.terminalId);
  return {
    'x-terminal-id': opts.terminalId,
    'x-timestamp': ts,
    'x-signature': computeSignature(key, opts.method, opts.path, ts, opts.body ?? ''),
  };
}

export function verifySignature(key: Buffer, method: string, pathWithQuery: string, timestampMs: string, body: string | Buffer, signature: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  return constantTimeEqualHex(computeSignature(key, method, pathWithQuery, timestampMs, body), signature);
}
