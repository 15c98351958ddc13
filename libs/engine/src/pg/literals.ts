import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * A value as node-postgres would bind it, written as a literal with the driver's own escaping
 * (`escapeLiteral`): the text form the driver sends for a parameter (arrays as `{…}`, Dates as ISO,
 * Buffers as `\x…`, objects as JSON), quoted. Like a bound parameter, the literal is of unknown type
 * until the statement gives it one (every parameter the engine sends is cast).
 */
const NEEDS_ESCAPING = /['\\]/;

export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = pgUtils.prepareValue(value);
  if (text === null || text === undefined) return 'NULL';
  if (Buffer.isBuffer(text)) return `'\\x${text.toString('hex')}'`;
  const s = String(text);
  if (s.includes('\u0000')) throw new Error('a PostgreSQL literal cannot hold a NUL character');
  // Most values hold neither a quote nor a backslash: quoted as they are, what escapeLiteral would give.
  return NEEDS_ESCAPING.test(s) ? pg.escapeLiteral(s) : `'${s}'`;
}

/** The text form of one parameter value, as an element of a `text[]` (the engine's set-based statements). */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = pgUtils.prepareValue(value);
  if (text === null || text === undefined) return null;
  return Buffer.isBuffer(text) ? `\\x${text.toString('hex')}` : String(text);
}
