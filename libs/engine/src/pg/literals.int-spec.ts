import { createTestDatabase, type TestDatabase } from '@onecard/testing';
import pg from 'pg';
import { sqlValue } from './literals.js';

/**
 * Every literal the engine writes reads back in PostgreSQL as the value a bound parameter would
 * give: text with quotes, backslashes, the dollar tag, JSON, arrays of each, bytea, dates.
 */
describe('SQL literals (real PostgreSQL)', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const bound = async (sql: string, value: unknown) => (await client.query(sql.replace('?', '$1'), [value])).rows[0].v;
  const inlined = async (sql: string, value: unknown) => (await client.query(sql.replace('?', () => sqlValue(value)))).rows[0].v;

  const TEXTS = [
    '',
    'plain',
    "it's",
    'back\\slash',
    '\\x41',
    'a $o$ tag',
    '$o$',
    "$o$' and \\",
    '{"decision":"ALLOW","note":"say \\"hi\\"","path":"C:\\\\tmp"}',
    'NULL',
    'null',
    'two words',
    'comma,brace{}',
    '中文 与 emoji 🚆',
    ' leading and trailing ',
  ];

  it.each(TEXTS)('text %j', async (s) => {
    expect(await inlined('SELECT ?::text AS v', s)).toBe(await bound('SELECT ?::text AS v', s));
  });

  it('arrays of text, with NULLs and every awkward element, as bound arrays read', async () => {
    const arr = [...TEXTS, null];
    expect(await inlined('SELECT ?::text[] AS v', arr)).toEqual(await bound('SELECT ?::text[] AS v', arr));
    expect(await inlined('SELECT ?::text[] AS v', [])).toEqual([]);
  });

  it('arrays of numbers, booleans, JSON and nested arrays', async () => {
    expect(await inlined('SELECT ?::bigint[] AS v', [1, -2, 9_007_199_254_740_991])).toEqual(['1', '-2', '9007199254740991']);
    expect(await inlined('SELECT ?::boolean[] AS v', [true, false, null])).toEqual([true, false, null]);
    const docs = [JSON.stringify({ a: "it's", b: 'x\\y', c: '"q"' }), '{}'];
    expect(await inlined('SELECT ?::json[]::text[] AS v', docs)).toEqual(await bound('SELECT ?::json[]::text[] AS v', docs));
    expect(
      await inlined('SELECT ?::int[] AS v', [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('bytea, bytea[] and timestamps', async () => {
    const b = Buffer.from([0, 1, 0xff, 0x5c, 0x27]);
    expect(await inlined('SELECT ?::bytea AS v', b)).toEqual(b);
    expect(await inlined('SELECT ?::bytea[] AS v', [b, null])).toEqual(await bound('SELECT ?::bytea[] AS v', [b, null]));
    const at = new Date('2026-03-02T08:15:30.123Z');
    expect(await inlined('SELECT ?::timestamptz AS v', at)).toEqual(at);
    expect(await inlined('SELECT ?::timestamptz[] AS v', [at])).toEqual([at]);
  });

  it('objects as JSON, and NUL refused', async () => {
    const o = { k: "v'\\", n: 1 };
    expect(await inlined('SELECT ?::jsonb AS v', o)).toEqual(o);
    expect(() => sqlValue('a\u0000b')).toThrow(/NUL/);
  });
});
