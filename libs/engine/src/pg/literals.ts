import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * Values written as SQL literals for the engine's multi-statement round trips (the simple query
 * protocol takes no bind parameters). A literal holds the text form node-postgres would send for
 * a bound parameter (`prepareValue`: Dates as ISO, Buffers as `\x…`, objects as JSON, arrays as
 * `{…}`), and like a bound parameter it is of unknown type until the statement casts it (every
 * parameter the engine sends is cast).
 *
 * Quoting, cheapest first: text with neither a quote nor a backslash goes in single quotes as it
 * is; other text is dollar-quoted (`$o$…$o$`: nothing inside is special, so JSON with its quotes
 * and backslashes is sent as it is, not escaped twice); text that holds the tag itself falls back
 * to the driver's `escapeLiteral`. Arrays are written element by element with the array syntax's
 * own quoting (what node-postgres does, minus quoting elements that need none).
 */
const NEEDS_QUOTING = /['\\]/;
const DOLLAR_TAG = '$o$';
/** Array elements that need no double quotes: no separator, brace, quote, backslash or space, and not NULL. */
const BARE_ELEMENT = /^[A-Za-z0-9_.:+\-@/=#]+$/;
const ELEMENT_ESCAPES = /[\\"]/g;

export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return quoted(arrayLiteral(value));
  const text = pgUtils.prepareValue(value);
  if (text === null || text === undefined) return 'NULL';
  if (Buffer.isBuffer(text)) return `'\\x${text.toString('hex')}'`;
  return quoted(String(text));
}

/** The text form of one parameter value, as an element of a `text[]` (the engine's set-based statements). */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = pgUtils.prepareValue(value);
  if (text === null || text === undefined) return null;
  return Buffer.isBuffer(text) ? `\\x${text.toString('hex')}` : String(text);
}

function quoted(s: string): string {
  if (s.includes('\u0000')) throw new Error('a PostgreSQL literal cannot hold a NUL character');
  if (!NEEDS_QUOTING.test(s)) return `'${s}'`;
  return s.includes(DOLLAR_TAG) ? pg.escapeLiteral(s) : `${DOLLAR_TAG}${s}${DOLLAR_TAG}`;
}

/** `{…}` as node-postgres writes an array parameter (`arrayString`). */
function arrayLiteral(values: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const item = values[i];
    if (item === null || item === undefined) out += 'NULL';
    else if (Array.isArray(item)) out += arrayLiteral(item);
    else if (typeof item === 'number' || typeof item === 'bigint') out += String(item);
    else if (ArrayBuffer.isView(item)) out += `"\\\\x${Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('hex')}"`;
    else out += element(String(pgUtils.prepareValue(item)));
  }
  return `${out}}`;
}

function element(s: string): string {
  if (BARE_ELEMENT.test(s) && s.toUpperCase() !== 'NULL') return s;
  return `"${s.replace(ELEMENT_ESCAPES, '\\$&')}"`;
}
