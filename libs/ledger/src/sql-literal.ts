/**
 * A string as a PostgreSQL literal, for the few statements the executor sends over the simple query
 * protocol (several statements in one round trip cannot take bind parameters). The E'' form with
 * doubled quotes and backslashes reads the same whatever `standard_conforming_strings` says.
 */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a PostgreSQL literal cannot hold a NUL character');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
