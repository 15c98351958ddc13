import pgUtils from 'pg/lib/utils.js';

/**
 * A string as a PostgreSQL literal, for the few statements the executor sends over the simple query
 * protocol (several statements in one round trip cannot take bind parameters). The E'' form with
 * doubled quotes and backslashes reads the same whatever `standard_conforming_strings` says.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a PostgreSQL literal cannot hold a NUL character');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * A value as node-postgres would bind it, written as a literal: the text form the driver sends
 * for a parameter (arrays as `{…}`, Dates as ISO, objects as JSON), quoted. Like a bound
 * parameter, the literal is of unknown type until the statement's context gives it one.
 */
export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = pgUtils.prepareValue(value);
  if (text === null || text === undefined) return 'NULL';
  if (Buffer.isBuffer(text)) return `'\\x${text.toString('hex')}'::bytea`;
  return sqlLiteral(String(text));
}

/**
 * `$1 … $n` of a statement replaced by literals, so that several statements can share one round
 * trip (the simple query protocol takes no bind parameters). Statements given here must not
 * contain `$n` inside their own string literals.
 */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`statement refers to $${n} but has ${params.length} parameters`);
    return sqlValue(params[i]);
  });
}
