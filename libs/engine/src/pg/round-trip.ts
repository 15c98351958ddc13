import type { PoolClient, QueryResult } from 'pg';
import { PreparedStatements, type Statement } from './prepared-statements.js';

/**
 * Several statements sent as one simple-protocol query (one socket write, one wake-up on each
 * side): statements added with `add` are prepared on first use per connection and sent as
 * `EXECUTE name(literals)`; `raw` adds a statement as it is (BEGIN, SAVEPOINT, COMMIT). The first
 * error stops the rest (PostgreSQL runs a multi-statement query up to its first failure); the
 * connection then forgets what it may have prepared in it.
 */
export class RoundTrip {
  private readonly parts: string[] = [];
  private readonly slots: number[] = [];
  private results: QueryResult[] = [];

  constructor(
    private readonly client: PoolClient,
    private readonly statements: PreparedStatements,
  ) {}

  raw(sql: string): void {
    this.parts.push(sql);
  }

  /** Adds a statement; answers the slot whose result `result(slot)` gives after `send`. */
  add(statement: Statement): number {
    const prepares: string[] = [];
    const execute = this.statements.render(this.client, statement, prepares);
    this.parts.push(...prepares, execute);
    this.slots.push(this.parts.length - 1);
    return this.slots.length - 1;
  }

  get size(): number {
    return this.parts.length;
  }

  async send(): Promise<void> {
    if (this.parts.length === 0) return;
    try {
      const r = (await this.client.query(this.parts.join(';\n'))) as unknown as QueryResult | QueryResult[];
      this.results = Array.isArray(r) ? r : [r];
    } catch (error) {
      this.statements.forget(this.client);
      throw error;
    }
  }

  result(slot: number): QueryResult {
    return this.results[this.slots[slot]!]!;
  }
}
