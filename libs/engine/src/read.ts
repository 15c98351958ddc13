/**
 * A read a command declares in its plan: one SQL statement whose `$n` parameters are all cast
 * explicitly (`$1::text`, `$2::timestamptz`), and what its rows mean. The engine sends the reads
 * of every command of a batch with BEGIN, one statement per kind of read for the whole batch
 * (`pg/batch-sql.ts`), so a read is never a round trip of its own.
 */
export interface Read<T> {
  readonly sql: string;
  readonly params: readonly unknown[];
  map(rows: any[]): T;
}

const checked = new Set<string>();

/** A declared read; checks once per statement text that it is one statement with cast parameters. */
export function read<T>(sql: string, params: readonly unknown[], map: (rows: any[]) => T): Read<T> {
  assertBatchable(sql, 'a read');
  return { sql, params, map };
}

/** One statement, every `$n` cast (`$n::type`): what the batch rewriting of `pg/batch-sql.ts` needs. */
export function assertBatchable(sql: string, what: string): void {
  if (checked.has(sql)) return;
  if (sql.includes(';')) throw new Error(`${what} is one statement: ${sql.slice(0, 80)}`);
  const uncast = /\$\d+(?!\d)(?!::)/.exec(sql);
  if (uncast) throw new Error(`${what} casts every parameter ($n::type); ${uncast[0]} is not cast in: ${sql.slice(0, 120)}`);
  checked.add(sql);
}
