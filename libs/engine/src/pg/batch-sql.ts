/**
 * The statements of a batch, set-based (ADR 0012): the same read or insert declared by several
 * commands of a batch becomes one statement over arrays, one element per command.
 *
 * A read `SELECT … WHERE card_no = $1::text` becomes
 *   SELECT k.__i, r.* FROM unnest($1::text[]) WITH ORDINALITY AS k(p1, __i)
 *   CROSS JOIN LATERAL (SELECT … WHERE card_no = k.p1::text) AS r
 * — a nested loop over the commands (LATERAL keeps it one), each row tagged with its command's
 * position (1-based) and the rows of one command in the order the read gives them. Row locks
 * (`FOR UPDATE`) are taken in command order, which is the batch's lock order.
 *
 * An insert `INSERT INTO t (a, b) VALUES ($1::text, $2::int) [ON CONFLICT …]` becomes
 *   INSERT INTO t (a, b) SELECT k.p1::text, k.p2::int FROM unnest($1::text[], $2::text[]) AS k(p1, p2) [ON CONFLICT …]
 * Other writes run once per command (an UPDATE of one row per command would silently apply once
 * if two commands named the same row; batch keys should prevent it, but a slip would lose money).
 *
 * Every parameter travels as text and is cast by the statement itself (`read()` insists on casts),
 * so one rewritten statement serves every batch size and is prepared once per connection.
 */

const PARAM = /\$(\d+)(?!\d)/g;

function maxParam(sql: string): number {
  let max = 0;
  for (const m of sql.matchAll(PARAM)) max = Math.max(max, Number(m[1]));
  return max;
}

function substitute(sql: string): string {
  return sql.replace(PARAM, (_, n: string) => `k.p${n}`);
}

function unnestOf(n: number): string {
  return Array.from({ length: n }, (_, i) => `$${i + 1}::text[]`).join(', ');
}

function columns(n: number): string {
  return Array.from({ length: n }, (_, i) => `p${i + 1}`).join(', ');
}

export interface BatchedStatement {
  sql: string;
  /** Parameters the original statement takes (each becomes one text[] of the batched one). */
  params: number;
}

const readCache = new Map<string, BatchedStatement>();

/** The set-based form of a declared read (a statement without parameters gets the batch size as `$1`). */
export function batchedRead(sql: string): BatchedStatement {
  let b = readCache.get(sql);
  if (!b) {
    const n = maxParam(sql);
    b =
      n === 0
        ? { sql: `SELECT k.__i, r.* FROM generate_series(1, $1::int) AS k(__i) CROSS JOIN LATERAL (${sql}) AS r`, params: 0 }
        : {
            sql: `SELECT k.__i, r.* FROM unnest(${unnestOf(n)}) WITH ORDINALITY AS k(${columns(n)}, __i) CROSS JOIN LATERAL (${substitute(sql)}) AS r`,
            params: n,
          };
    readCache.set(sql, b);
  }
  return b;
}

const insertCache = new Map<string, BatchedStatement | null>();

/** The set-based form of `INSERT INTO t (…) VALUES (…) [tail]`, or null if the statement has another shape. */
export function batchedInsert(sql: string): BatchedStatement | null {
  let b = insertCache.get(sql);
  if (b === undefined) {
    b = rewriteInsert(sql);
    insertCache.set(sql, b);
  }
  return b;
}

function rewriteInsert(sql: string): BatchedStatement | null {
  const head = /^\s*INSERT\s+INTO\s+[\w."]+\s*\(/i.exec(sql);
  if (!head) return null;
  const colsEnd = closingParen(sql, head[0].length - 1);
  if (colsEnd < 0) return null;
  const values = /^\s*VALUES\s*\(/i.exec(sql.slice(colsEnd + 1));
  if (!values) return null;
  const open = colsEnd + values[0].length;
  const close = closingParen(sql, open);
  if (close < 0) return null;
  const tail = sql.slice(close + 1);
  // One row only, and nothing but ON CONFLICT / RETURNING after it.
  if (/^\s*,/.test(tail) || !/^\s*(ON\s+CONFLICT\b[\s\S]*|RETURNING\b[\s\S]*)?$/i.test(tail)) return null;
  const n = maxParam(sql);
  if (n === 0) return null;
  const exprs = substitute(sql.slice(open + 1, close));
  return {
    sql: `${sql.slice(0, colsEnd + 1)} SELECT ${exprs} FROM unnest(${unnestOf(n)}) AS k(${columns(n)})${substitute(tail)}`,
    params: n,
  };
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text; -1 if unbalanced. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
