import canonicalize from 'canonicalize';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256(key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function constantTimeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || a.length % 2 !== 0) return false;
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && ba.length * 2 === a.length && timingSafeEqual(ba, bb);
}

/**
 * Canonical JSON (RFC 8785, the `canonicalize` package): object keys sorted by UTF-16 code units,
 * no whitespace, `undefined` members dropped, numbers and strings as ECMAScript writes them. Two
 * bodies that mean the same thing hash the same, whatever order a terminal wrote the keys in.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('not a JSON value');
  return text;
}
