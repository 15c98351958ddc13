import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { sqlValue } from './literals.js';

/** A statement with `$n` parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Server-side prepared statements for what the engine sends in one round trip (the simple query
 * protocol takes no bind parameters, so nothing would otherwise keep a plan): each pooled
 * connection prepares a statement the first time it sends it (`PREPARE` in the same round trip)
 * and runs `EXECUTE name(literals)` from then on.
 *
 * A failed round trip may or may not have run its PREPAREs: the connection then starts a new
 * generation of names, so a name is never prepared twice (the old ones go with the connection).
 */
export class PreparedStatements {
  /** Per connection, shared by every engine of the process (they share the pool's connections). */
  private static readonly byClient = new WeakMap<PoolClient, { generation: number; names: Set<string> }>();
  private readonly ids = new Map<string, string>();

  /** `EXECUTE` for `statement`, pushing the `PREPARE` it needs first onto `prepares`. */
  render(client: PoolClient, statement: Statement, prepares: string[]): string {
    const state = this.stateOf(client);
    const name = `oc_${this.idOf(statement.sql)}_${state.generation}`;
    if (!state.names.has(name)) {
      state.names.add(name);
      prepares.push(`PREPARE ${name} AS ${statement.sql}`);
    }
    return statement.params.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${statement.params.map(sqlValue).join(', ')})`;
  }

  /** After a failed round trip on this connection: forget what it may have prepared. */
  forget(client: PoolClient): void {
    const state = this.stateOf(client);
    state.generation += 1;
    state.names.clear();
  }

  private stateOf(client: PoolClient) {
    let state = PreparedStatements.byClient.get(client);
    if (!state) {
      state = { generation: 0, names: new Set() };
      PreparedStatements.byClient.set(client, state);
    }
    return state;
  }

  private idOf(sql: string): string {
    let id = this.ids.get(sql);
    if (!id) {
      id = createHash('sha256').update(sql).digest('hex').slice(0, 16);
      this.ids.set(sql, id);
    }
    return id;
  }
}
