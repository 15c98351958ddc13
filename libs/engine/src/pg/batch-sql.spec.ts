import { batchedInsert, batchedRead } from './batch-sql.js';

describe('set-based statements of a batch', () => {
  it('turns a read into one LATERAL over the commands, each row tagged with its command', () => {
    expect(batchedRead(`SELECT * FROM t WHERE a = $1::text AND b > $2::int`).sql).toBe(
      `SELECT k.__i, r.* FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(p1, p2, __i) CROSS JOIN LATERAL (SELECT * FROM t WHERE a = k.p1::text AND b > k.p2::int) AS r`,
    );
    expect(batchedRead(`SELECT $1::text || $12::text`).params).toBe(12);
    expect(batchedRead(`SELECT 1 AS one`)).toEqual({
      sql: `SELECT k.__i, r.* FROM generate_series(1, $1::int) AS k(__i) CROSS JOIN LATERAL (SELECT 1 AS one) AS r`,
      params: 0,
    });
  });

  it('turns a one-row insert into an INSERT … SELECT over the commands, keeping ON CONFLICT and RETURNING', () => {
    expect(batchedInsert(`INSERT INTO s.t (a, b) VALUES ($1::text, coalesce($2::int, 0)) ON CONFLICT (a) DO NOTHING`)).toEqual({
      sql: `INSERT INTO s.t (a, b) SELECT k.p1::text, coalesce(k.p2::int, 0) FROM unnest($1::text[], $2::text[]) AS k(p1, p2) ON CONFLICT (a) DO NOTHING`,
      params: 2,
    });
    expect(batchedInsert(`INSERT INTO t (a) VALUES ('(', $1::text) RETURNING a`)?.sql).toBe(
      `INSERT INTO t (a) SELECT '(', k.p1::text FROM unnest($1::text[]) AS k(p1) RETURNING a`,
    );
    expect(batchedInsert(`INSERT INTO t (a) VALUES ($1::text) ON CONFLICT (a) DO UPDATE SET a = $1::text`)?.sql).toBe(
      `INSERT INTO t (a) SELECT k.p1::text FROM unnest($1::text[]) AS k(p1) ON CONFLICT (a) DO UPDATE SET a = k.p1::text`,
    );
  });

  it('leaves every other write as it is (it runs once per command)', () => {
    for (const sql of [
      `UPDATE t SET a = $1::text WHERE b = $2::int`,
      `INSERT INTO t (a) VALUES ($1::text), ($2::text)`,
      `INSERT INTO t (a) SELECT $1::text`,
      `WITH x AS (INSERT INTO t (a) VALUES ($1::text) RETURNING a) UPDATE u SET n = n + 1`,
      `INSERT INTO t (a) VALUES ('fixed')`,
      `SELECT ledger.open_accounts($1::text[])`,
    ])
      expect(batchedInsert(sql)).toBeNull();
  });
});
