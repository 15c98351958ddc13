import pg from 'pg';

/**
 * Money and counters are `bigint` in the database; node-postgres hands them over as strings by
 * default. We read them as numbers and fail loudly on anything a JS number cannot hold exactly.
 * `date` columns stay `YYYY-MM-DD` strings: a JS Date would shift them by the process timezone.
 */
const INT8_OID = 20;
const DATE_OID = 1082;

export function installPgTypeParsers(): void {
  pg.types.setTypeParser(INT8_OID, (text: string) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new Error(`bigint ${text} exceeds the safe integer range`);
    return n;
  });
  pg.types.setTypeParser(DATE_OID, (text: string) => text);
}

installPgTypeParsers();
